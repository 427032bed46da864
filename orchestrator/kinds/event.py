"""Event: a report of something that happened to an object, kept in the cluster's event list."""

from __future__ import annotations

from ..objects import Event
from .kind import Kind

KIND = Kind(
    kind="Event", plural="events", singular="event", short_names=("ev",), group="", record=Event,
)
