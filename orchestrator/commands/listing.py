"""The stored objects a reading verb (get, describe) finds for a kind, in kubectl's order, with the ConfigMap the
control plane keeps in every namespace: listed, never stored."""

from __future__ import annotations

from ..kinds.kind import Kind
from ..objects import ConfigMap

# The root-ca-cert-publisher keeps this ConfigMap in every namespace.
ROOT_CA = "kube-root-ca.crt"
# Shortened, and not a real certificate: only its shape matters here.
CA_PEM = ("-----BEGIN CERTIFICATE-----\nMIIELTCCApWgAwIBAgIRAKzYh2lYIQ3SZ0IHrBYnDcswDQYJKoZIhvcNAQELBQAw\n"
          "-----END CERTIFICATE-----\n")


def stored_objects(cluster, kind: Kind, namespace: str, every_ns: bool) -> list:
    objects = [o for o in getattr(cluster, kind.store).values() if every_ns or o.namespace == namespace]
    if kind.plural == "configmaps":
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
