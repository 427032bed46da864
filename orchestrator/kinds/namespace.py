"""Namespace: a name scope for objects; the cluster keeps only each one's creation time, and the listing makes
the objects kubectl prints from that."""

from __future__ import annotations

from ..api_fields import derived_uid, object_meta
from ..manifests import ANY, TOP, Manifest
from .kind import AGE, NAME, Column, Kind


class Listed:
    """A namespace as get prints it: its name, creation time and the label the API server gives it."""

    def __init__(self, name: str, created: float) -> None:
        self.name, self.created, self.namespace = name, created, ""
        self.labels = {"kubernetes.io/metadata.name": name}


def _render(sim, cluster, ns) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": object_meta(ns.name, None, derived_uid(f"namespace:{ns.name}:{ns.created}"), ns.created,
                                    {"kubernetes.io/metadata.name": ns.name}),
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def _apply(ctx, kind: Kind, m: Manifest, namespace: None, existing) -> str:
    if existing is not None:
        return "unchanged"
    if ctx.commit:
        ctx.cluster.namespaces[m.name] = ctx.sim.time
    return "created"


KIND = Kind(
    kind="Namespace", plural="namespaces", singular="namespace", short_names=("ns",), group="", api_versions=("v1",),
    namespaced=False,
    listing=lambda cluster, namespace, every_ns: [Listed(n, c) for n, c in sorted(cluster.namespaces.items())],
    schema={**TOP, "spec": {"finalizers": ANY}},
    columns=(NAME, Column("STATUS", lambda ctx, ns: "Active"), AGE),
    render=_render,
    apply=_apply,
)
