"""Deleting a namespace: everything in it goes, each object as its kind deletes it (kubectl's default background
cascade, carried out at once; a real namespace shows Terminating a while)."""

from __future__ import annotations

from ..kinds.registry import KINDS

# The order a namespace's objects go in, so that its events and pod deletions come out the same every time.
NAMESPACE_CONTENTS = ("deployments", "services", "horizontalpodautoscalers", "configmaps", "secrets",
                      "poddisruptionbudgets", "jobs", "ingresses", "managedcertificates", "pods")


def delete_namespace(sim, cluster, name: str) -> None:
    for plural in NAMESPACE_CONTENTS:
        kind = KINDS[plural]
        for obj in [o for o in getattr(cluster, kind.store).values() if o.namespace == name]:
            kind.delete(sim, cluster, kind, obj)
    del cluster.namespaces[name]
