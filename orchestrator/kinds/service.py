"""Service: one stable address in front of the ready pods its selector picks."""

from __future__ import annotations

from ..objects import Service
from .kind import Kind

KIND = Kind(
    kind="Service", plural="services", singular="service", short_names=("svc",), group="", api_versions=("v1",),
    store="services", record=Service,
)
