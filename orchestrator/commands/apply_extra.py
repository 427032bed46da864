"""``kubectl apply -f -`` for the kinds in :data:`orchestrator.objects.SPARSE_STORES`: ConfigMap, Secret,
PodDisruptionBudget, Job, Ingress and ManagedCertificate. Each handler returns kubectl's verb for the object
(created, configured, unchanged) and changes nothing on a dry run."""

from __future__ import annotations

from ..manifests import Manifest
from ..naming import uid
from ..objects import ConfigMap, Ingress, Job, ManagedCertificate, PodDisruptionBudget, Secret
from ..pods import begin_delete
from .parse import CommandError

SOURCES = {"ConfigMap": "configmaps", "Secret": "secrets", "PodDisruptionBudget": "pdbs", "Job": "jobs",
           "Ingress": "ingresses", "ManagedCertificate": "certificates"}
# kubectl get's plural for each kind, where it differs from the cluster attribute.
PLURALS = {"ConfigMap": "configmaps", "Secret": "secrets", "PodDisruptionBudget": "poddisruptionbudgets",
           "Job": "jobs", "Ingress": "ingresses", "ManagedCertificate": "managedcertificates"}


def source(cluster, kind: str) -> dict:
    return getattr(cluster, SOURCES[kind])


def apply_object(ctx, m: Manifest, namespace: str, existing) -> str:
    """Create or update one object of an extra kind."""
    return _HANDLERS[m.kind](ctx, m, namespace, existing)


def _labels(current: dict, given: dict | None) -> dict:
    return {**current, **(given or {})}


def _annotations(current: dict, given: dict | None) -> dict:
    from .apply import INTERNAL_ANNOTATIONS

    return {**current, **{k: v for k, v in (given or {}).items() if k not in INTERNAL_ANNOTATIONS}}


def _simple(ctx, m: Manifest, namespace: str, existing, cls, fields: dict) -> str:
    """Objects whose whole spec may change on apply: update the fields given, keep the labels it had."""
    store = source(ctx.cluster, m.kind)
    if existing is None:
        if ctx.commit:
            obj = cls(name=m.name, namespace=namespace, created=ctx.sim.time, uid=uid(ctx.sim.rng),
                      labels=dict(m.labels or {}), **fields)
            if hasattr(obj, "annotations"):
                obj.annotations = _annotations({}, m.annotations)
            store[obj.key] = obj
        return "created"
    labels = _labels(existing.labels, m.labels)
    annotations = _annotations(getattr(existing, "annotations", {}), m.annotations)
    changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if not changed and labels == existing.labels and annotations == getattr(existing, "annotations", {}):
        return "unchanged"
    if ctx.commit:
        for key, value in changed.items():
            setattr(existing, key, value)
        existing.labels = labels
        if hasattr(existing, "annotations"):
            existing.annotations = annotations
    return "configured"


def _configmap(ctx, m: Manifest, namespace: str, existing) -> str:
    return _simple(ctx, m, namespace, existing, ConfigMap, {"data": m.spec["data"]})


def _secret(ctx, m: Manifest, namespace: str, existing) -> str:
    if existing is not None and existing.type != m.spec["type"]:
        raise CommandError(f'The Secret "{m.name}" is invalid: type: Invalid value: "{m.spec["type"]}": field is '
                           "immutable")
    return _simple(ctx, m, namespace, existing, Secret, {"data": m.spec["data"], "type": m.spec["type"]})


def _pdb(ctx, m: Manifest, namespace: str, existing) -> str:
    fields = {"selector": m.spec["selector"], "min_available": m.spec.get("min_available"),
              "max_unavailable": m.spec.get("max_unavailable")}
    return _simple(ctx, m, namespace, existing, PodDisruptionBudget, fields)


def _job(ctx, m: Manifest, namespace: str, existing) -> str:
    from ..controllers.job import labels_for

    spec = m.spec
    if existing is not None:
        added = labels_for(existing)  # -o yaml prints them; applying that output back is no change
        spec["template"]["labels"] = {k: v for k, v in spec["template"]["labels"].items() if k not in added}
        if spec["template"] != existing.template or spec["completions"] != existing.completions:
            field = "spec.template" if spec["template"] != existing.template else "spec.completions"
            shown = "core.PodTemplateSpec{...}" if field == "spec.template" else str(spec["completions"])
            raise CommandError(f'The Job "{m.name}" is invalid: {field}: Invalid value: {shown}: field is immutable')
        fields = {k: spec.get(k) for k in ("parallelism", "backoff_limit", "ttl_after_finished")}
        return _simple(ctx, m, namespace, existing, Job, fields)
    ctx.room(min(spec["parallelism"], spec["completions"]))
    word = _simple(ctx, m, namespace, None, Job, {k: spec.get(k) for k in (
        "template", "completions", "parallelism", "backoff_limit", "ttl_after_finished")})
    if ctx.commit:
        ctx.sim.settle()  # the job controller creates the first pod at once, as a Deployment's ReplicaSet does
    return word


def _ingress(ctx, m: Manifest, namespace: str, existing) -> str:
    fields = {k: m.spec[k] for k in ("class_name", "rules", "tls", "default_backend")}
    return _simple(ctx, m, namespace, existing, Ingress, fields)


def _certificate(ctx, m: Manifest, namespace: str, existing) -> str:
    word = _simple(ctx, m, namespace, existing, ManagedCertificate, {"domains": m.spec["domains"]})
    if word == "configured" and ctx.commit and existing.domains == m.spec["domains"]:
        return word
    if word == "configured" and ctx.commit:  # new domains: Google issues a new certificate
        existing.status, existing.active_at = "Provisioning", None
    return word


_HANDLERS = {"ConfigMap": _configmap, "Secret": _secret, "PodDisruptionBudget": _pdb, "Job": _job,
             "Ingress": _ingress, "ManagedCertificate": _certificate}


def delete_object(sim, cluster, kind: str, obj) -> None:
    """Delete one object; a Job takes its pods with it (kubectl's default background propagation)."""
    if kind == "Job":
        for pod in [p for p in cluster.pods.values() if p.owner_kind == "Job" and p.owner == obj.name
                    and p.namespace == obj.namespace]:
            if pod.finished:
                cluster.remove_pod(pod)
            else:
                begin_delete(cluster, pod, sim.time)
    del source(cluster, kind)[obj.key]


def delete_namespace_objects(sim, cluster, namespace: str) -> None:
    for kind in SOURCES:
        for obj in [o for o in source(cluster, kind).values() if o.namespace == namespace]:
            delete_object(sim, cluster, kind, obj)
