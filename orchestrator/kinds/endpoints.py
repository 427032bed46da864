"""Endpoints: the addresses of a Service's ready pods, derived from the Service and listed under its name."""

from __future__ import annotations

from .kind import Kind

KIND = Kind(
    kind="Endpoints", plural="endpoints", singular="endpoints", short_names=("ep",), group="",
)
