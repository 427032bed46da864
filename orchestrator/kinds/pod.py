"""Pod: one or more containers that share a node and an IP address."""

from __future__ import annotations

from ..objects import Pod
from .kind import Kind

KIND = Kind(
    kind="Pod", plural="pods", singular="pod", short_names=("po",), group="", api_versions=("v1",), store="pods",
    record=Pod,
)
