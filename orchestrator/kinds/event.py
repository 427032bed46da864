"""Event: a report of something that happened to an object, kept in the cluster's event list (events.py records
them). Events are listed in the order they were recorded, never sorted by name."""

from __future__ import annotations

import hashlib

from ..api_fields import derived_uid, iso, object_meta
from ..objects import Event
from .kind import Column, Kind


def _render(sim, cluster, e: Event) -> dict:
    namespace = e.namespace or "default"
    suffix = hashlib.sha256(f"{e.kind}/{e.name}/{e.reason}/{e.first}/{e.message}".encode()).hexdigest()[:16]
    involved = {"kind": e.kind, "name": e.name}
    if e.namespace:
        involved["namespace"] = e.namespace
    return {"apiVersion": "v1", "kind": "Event", "count": e.count, "firstTimestamp": iso(e.first),
            "involvedObject": involved, "lastTimestamp": iso(e.last), "message": e.message,
            "metadata": object_meta(f"{e.name}.{suffix}", namespace, derived_uid(f"event:{e.name}.{suffix}"), e.first),
            "reason": e.reason, "reportingComponent": e.source, "reportingInstance": "",
            "source": {"component": e.source}, "type": e.type}


def _list(cluster, namespace: str, every_ns: bool) -> list[Event]:
    """In the order they were recorded; a cluster-scoped object's events (a node's) show in default."""
    return [e for e in cluster.events if every_ns or e.namespace == namespace or
            (e.namespace == "" and namespace == "default")]


KIND = Kind(
    kind="Event", plural="events", singular="event", short_names=("ev",), group="", record=Event,
    listing=_list,
    columns=(Column("LAST SEEN", lambda ctx, e: ctx.age(e.last)), Column("TYPE", lambda ctx, e: e.type),
             Column("REASON", lambda ctx, e: e.reason), Column("OBJECT", lambda ctx, e: f"{e.kind.lower()}/{e.name}"),
             Column("MESSAGE", lambda ctx, e: e.message)),
    render=_render,
)
