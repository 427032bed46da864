"""``kubectl get`` tables for ConfigMaps, Secrets, PodDisruptionBudgets, Jobs, Ingresses and ManagedCertificates,
with the columns of kubectl's printers (and of the ManagedCertificate CRD)."""

from __future__ import annotations

from ..disruption import budget
from ..objects import ConfigMap
from ..timefmt import human_duration

# Every namespace holds this ConfigMap (the root-ca-cert-publisher keeps it there), so it is listed, never stored.
ROOT_CA = "kube-root-ca.crt"
EXTRA_SOURCES = {"configmaps": "configmaps", "secrets": "secrets", "poddisruptionbudgets": "pdbs", "jobs": "jobs",
                 "ingresses": "ingresses", "managedcertificates": "certificates"}


def extra_objects(cluster, plural: str, namespace: str, every_ns: bool) -> list:
    objects = [o for o in getattr(cluster, EXTRA_SOURCES[plural]).values() if every_ns or o.namespace == namespace]
    if plural == "configmaps":
        for ns, created in cluster.namespaces.items():
            if (every_ns or ns == namespace) and f"{ns}/{ROOT_CA}" not in cluster.configmaps:
                objects.append(root_ca(ns, created))
    return sorted(objects, key=lambda o: (o.namespace, o.name) if every_ns else o.name)


def root_ca(namespace: str, created: float) -> ConfigMap:
    return ConfigMap(name=ROOT_CA, namespace=namespace, created=created,
                     annotations={"kubernetes.io/description": "Contains a CA bundle that can be used to verify the "
                                  "kube-apiserver when using internal endpoints such as the internal service IP or "
                                  "kubernetes.default.svc. No other usage is guaranteed across distributions of "
                                  "Kubernetes clusters."},
                     data={"ca.crt": CA_PEM})


# Shortened, and not a real certificate: only its shape matters here.
CA_PEM = ("-----BEGIN CERTIFICATE-----\nMIIELTCCApWgAwIBAgIRAKzYh2lYIQ3SZ0IHrBYnDcswDQYJKoZIhvcNAQELBQAw\n"
          "-----END CERTIFICATE-----\n")


def int_or_percent(value) -> str:
    return "N/A" if value is None else str(value)


class ExtraRows:
    """Row builders mixed into kubectl_get's printer context (``self.age``, ``self.cluster``, ``self.now``)."""

    def _configmaps(self, maps):
        return ["NAME", "DATA", "AGE"], [[m.name, str(len(m.data)), self.age(m.created)] for m in maps]

    def _secrets(self, secrets):
        return (["NAME", "TYPE", "DATA", "AGE"],
                [[s.name, s.type, str(len(s.data)), self.age(s.created)] for s in secrets])

    def _poddisruptionbudgets(self, pdbs):
        rows = [[p.name, int_or_percent(p.min_available), int_or_percent(p.max_unavailable),
                 str(budget(self.cluster, p).allowed), self.age(p.created)] for p in pdbs]
        return ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], rows

    def _jobs(self, jobs):
        header = ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
        if self.wide:
            header += ["CONTAINERS", "IMAGES", "SELECTOR"]
        rows = []
        for j in jobs:
            if j.start_time is None:
                duration = ""
            else:
                duration = human_duration((j.completion_time if j.complete else self.now) - j.start_time)
            row = [j.name, "Complete" if j.complete else "Running", f"{j.succeeded}/{j.completions}", duration,
                   self.age(j.created)]
            if self.wide:
                containers = j.template["containers"]
                row += [",".join(c["name"] for c in containers), ",".join(c["image"] for c in containers),
                        f"batch.kubernetes.io/controller-uid={j.uid}"]
            rows.append(row)
        return header, rows

    def _ingresses(self, ingresses):
        rows = []
        for i in ingresses:
            hosts = [r["host"] for r in i.rules if r["host"]]
            shown = ",".join(hosts[:3]) + (f" + {len(i.rules) - 3} more..." if len(hosts) > 3 else "")
            rows.append([i.name, i.class_name or "<none>", shown or "*", i.address or "",
                         "80, 443" if i.tls else "80", self.age(i.created)])
        return ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], rows

    def _managedcertificates(self, certs):
        return ["NAME", "AGE", "STATUS"], [[c.name, self.age(c.created), c.status] for c in certs]
