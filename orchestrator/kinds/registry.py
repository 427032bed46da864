"""Every kind the engine simulates, each declared once in its own module. kubectl's resource names, the kinds a
manifest may hold and where each kind's objects are kept are all read from here."""

from __future__ import annotations

from . import (
    configmap,
    deployment,
    endpoints,
    event,
    horizontalpodautoscaler,
    ingress,
    job,
    managedcertificate,
    namespace,
    node,
    pod,
    poddisruptionbudget,
    replicaset,
    secret,
    service,
)
from .kind import Kind

# In the order apply's messages list the kinds a manifest may hold.
KINDS: dict[str, Kind] = {
    m.KIND.plural: m.KIND
    for m in (deployment, service, pod, namespace, horizontalpodautoscaler,
              configmap, secret, poddisruptionbudget, job, ingress, managedcertificate,
              node, replicaset, event, endpoints)
}
BY_KIND: dict[str, Kind] = {k.kind: k for k in KINDS.values()}
_BY_NAME: dict[str, Kind] = {name.lower(): k for k in KINDS.values() for name in k.names()}


def find(name: str) -> Kind | None:
    """The kind kubectl would take ``name`` for (any case; plural, singular, short or group-qualified), or None."""
    return _BY_NAME.get(name.lower())
