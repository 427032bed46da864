"""Recording events the way client-go's event aggregator does: repeats bump a count."""

from __future__ import annotations

from .model import Cluster, Event

MAX_EVENTS_PER_CLUSTER = 1000  # a bounded ring: the API server also forgets events (after an hour)


def record(cluster: Cluster, now: float, type_: str, reason: str, kind: str, name: str, message: str,
           source: str, namespace: str = "default") -> None:
    events = cluster.events
    for event in reversed(events[-20:]):
        if (event.kind, event.name, event.reason, event.message) == (kind, name, reason, message):
            event.count += 1
            event.last = now
            return
    events.append(Event(type_, reason, kind, name, namespace, message, source, now, now))
    if len(events) > MAX_EVENTS_PER_CLUSTER:
        del events[: len(events) - MAX_EVENTS_PER_CLUSTER]
