"""What ``kubectl apply`` does to an object whatever its kind: maps merged with what the object had (there is no
last-applied record here), and for kinds whose whole spec may change, the fields given set and the answer kubectl
prints (created, configured, unchanged). Each kind's own apply (``Kind.apply``) builds on these; ``ctx`` is
the apply command's context (``sim``, ``cluster``, ``commit`` false on a dry run, ``room`` for the pod cap)."""

from __future__ import annotations

from .kinds.kind import Kind
from .manifests import Manifest
from .naming import uid

INTERNAL_ANNOTATIONS = ("deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration")


def merged(current: dict, given: dict | None) -> dict:
    """Apply keeps what it did not set (there is no last-applied record here), so maps are merged."""
    return {**current, **{k: v for k, v in (given or {}).items() if k not in INTERNAL_ANNOTATIONS}}


def merged_labels(current: dict, given: dict | None) -> dict:
    """Labels given are added to the object's; unlike annotations, none is held back."""
    return {**current, **(given or {})}


def apply_fields(ctx, kind: Kind, m: Manifest, namespace: str, existing, cls, fields: dict) -> str:
    """Objects whose whole spec may change on apply: update the fields given, keep the labels it had."""
    store = getattr(ctx.cluster, kind.store)
    if existing is None:
        if ctx.commit:
            obj = cls(name=m.name, namespace=namespace, created=ctx.sim.time, uid=uid(ctx.sim.rng),
                      labels=dict(m.labels or {}), **fields)
            if hasattr(obj, "annotations"):
                obj.annotations = merged({}, m.annotations)
            store[obj.key] = obj
        return "created"
    labels = merged_labels(existing.labels, m.labels)
    annotations = merged(getattr(existing, "annotations", {}), m.annotations)
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
