"""Deleting a namespace: everything in it goes, each object as its kind deletes it (kubectl's default background
cascade, carried out at once; a real namespace shows Terminating a while)."""

from __future__ import annotations

from ..kinds.registry import KINDS


def delete_namespace(sim, cluster, name: str) -> None:
    # In registry order, pods last: a Deployment or a Job first takes its own pods, as its cascade words it.
    kinds = [k for k in KINDS.values() if k.store and k.delete and k.plural != "pods"] + [KINDS["pods"]]
    for kind in kinds:
        for obj in [o for o in getattr(cluster, kind.store).values() if o.namespace == name]:
            kind.delete(sim, cluster, kind, obj)
    del cluster.namespaces[name]
