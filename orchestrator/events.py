"""Recording events the way client-go's event aggregator does: repeats bump a count."""

from __future__ import annotations

from .model import Cluster, Event

MAX_EVENTS_PER_CLUSTER = 1000  # a bounded ring: the API server also forgets events (after an hour)


def record(cluster: Cluster, now: float, type_: str, reason: str, kind: str, name: str, message: str,
           source: str, namespace: str = "default") -> None:
    events = cluster.events
    for i in range(len(events) - 1, max(-1, len(events) - 21), -1):
        event = events[i]
        if (event.name == name and event.reason == reason and event.message == message and event.kind == kind
                and event.namespace == namespace):
            event.count += 1
            event.last = now
            return
    events.append(Event(type_, reason, kind, name, namespace, message, source, now, now))
    if len(events) > MAX_EVENTS_PER_CLUSTER:
        del events[: len(events) - MAX_EVENTS_PER_CLUSTER]
