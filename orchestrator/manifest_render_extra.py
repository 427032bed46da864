"""``-o yaml|json`` for ConfigMap, Secret, PodDisruptionBudget, Job, Ingress and ManagedCertificate. Applying
the printed object again changes nothing: every field a manifest can set is printed back (a Secret's
``stringData`` as base64 ``data``, as the API server stores it)."""

from __future__ import annotations

from .controllers.job import labels_for
from .disruption import budget
from .manifest_render import _meta, derived_uid, iso, template_api


def _uid(obj, kind: str) -> str:
    return obj.uid or derived_uid(f"{kind}:{obj.key}:{obj.created}")


def _configmap(sim, cluster, m) -> dict:
    out = {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": _meta(m.name, m.namespace, _uid(m, "configmap"), m.created, m.labels, m.annotations)}
    if m.data:
        out["data"] = dict(m.data)
    return out


def _secret(sim, cluster, s) -> dict:
    out = {"apiVersion": "v1", "kind": "Secret", "type": s.type,
           "metadata": _meta(s.name, s.namespace, _uid(s, "secret"), s.created, s.labels, s.annotations)}
    if s.data:
        out["data"] = dict(s.data)
    return out


def _pdb(sim, cluster, p) -> dict:
    b = budget(cluster, p)
    spec: dict = {"selector": {"matchLabels": dict(p.selector)}}
    if p.min_available is not None:
        spec["minAvailable"] = p.min_available
    if p.max_unavailable is not None:
        spec["maxUnavailable"] = p.max_unavailable
    stamp = iso(p.created)
    condition = {"type": "DisruptionAllowed", "status": "True" if b.allowed > 0 else "False",
                 "reason": "SufficientPods" if b.allowed > 0 else "InsufficientPods", "message": "",
                 "lastTransitionTime": stamp, "observedGeneration": 1}
    status = {"currentHealthy": b.healthy, "desiredHealthy": b.desired, "disruptionsAllowed": b.allowed,
              "expectedPods": b.expected, "observedGeneration": 1, "conditions": [condition]}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": _meta(p.name, p.namespace, _uid(p, "pdb"), p.created, p.labels, generation=1),
            "spec": spec, "status": status}


def _job(sim, cluster, j) -> dict:
    extra = labels_for(j)
    template = template_api(j.template, {**j.template["labels"], **extra})
    spec: dict = {"backoffLimit": j.backoff_limit, "completionMode": "NonIndexed", "completions": j.completions,
                  "manualSelector": False, "parallelism": j.parallelism, "podReplacementPolicy": "TerminatingOrFailed",
                  "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": j.uid}}, "suspend": False,
                  "template": template}
    if j.ttl_after_finished is not None:
        spec["ttlSecondsAfterFinished"] = j.ttl_after_finished
    from .controllers.job import job_pods

    active = sum(1 for p in job_pods(cluster, j) if not p.finished and not p.terminating)
    status: dict = {}
    if j.start_time is not None:
        status["startTime"] = iso(j.start_time)
    if j.complete:
        stamp = iso(j.completion_time)
        status["completionTime"] = stamp
        status["conditions"] = [
            {"type": kind, "status": "True", "reason": reason, "message": message, "lastProbeTime": stamp,
             "lastTransitionTime": stamp}
            for kind, reason, message in (("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of "
                                           "succeeded pods"),
                                          ("Complete", "CompletionsReached", "Reached expected number of succeeded "
                                           "pods"))]
    elif active:
        status["active"] = active
    if j.succeeded:
        status["succeeded"] = j.succeeded
    status["ready"] = sum(1 for p in job_pods(cluster, j) if p.ready)
    status["terminating"] = 0
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": _meta(j.name, j.namespace, _uid(j, "job"), j.created, {**j.labels}, generation=1),
            "spec": spec, "status": status}


def _backend_api(b: dict) -> dict:
    port = {"number": b["port"]} if isinstance(b["port"], int) else {"name": b["port"]}
    return {"service": {"name": b["service"], "port": port}}


def _ingress(sim, cluster, i) -> dict:
    spec: dict = {}
    if i.class_name:
        spec["ingressClassName"] = i.class_name
    if i.default_backend:
        spec["defaultBackend"] = _backend_api(i.default_backend)
    if i.rules:
        spec["rules"] = []
        for rule in i.rules:
            entry: dict = {"http": {"paths": [{"path": p["path"], "pathType": p["path_type"],
                                               "backend": _backend_api(p)} for p in rule["paths"]]}}
            if rule["host"]:
                entry["host"] = rule["host"]
            spec["rules"].append(entry)
    if i.tls:
        spec["tls"] = [{k: v for k, v in (("hosts", t["hosts"]), ("secretName", t["secret"])) if v} for t in i.tls]
    balancer = {"ingress": [{"ip": i.address}]} if i.address else {}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": _meta(i.name, i.namespace, _uid(i, "ingress"), i.created, i.labels, i.annotations,
                              generation=1),
            "spec": spec, "status": {"loadBalancer": balancer}}


def _certificate(sim, cluster, c) -> dict:
    status: dict = {"certificateStatus": c.status,
                    "domainStatus": [{"domain": d, "status": c.status} for d in c.domains]}
    if c.status == "Active":
        status["certificateName"] = "mcrt-" + _uid(c, "mcrt")
        status["expireTime"] = iso((c.active_at or c.created) + 90 * 86400)  # Google-managed certificates last 90 days
    return {"apiVersion": "networking.gke.io/v1", "kind": "ManagedCertificate",
            "metadata": _meta(c.name, c.namespace, _uid(c, "mcrt"), c.created, c.labels, generation=1),
            "spec": {"domains": list(c.domains)}, "status": status}


RENDERERS = {"configmaps": _configmap, "secrets": _secret, "poddisruptionbudgets": _pdb, "jobs": _job,
             "ingresses": _ingress, "managedcertificates": _certificate}
