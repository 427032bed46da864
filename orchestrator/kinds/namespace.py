"""Namespace: a name scope for objects; the cluster keeps only each one's creation time."""

from __future__ import annotations

from .kind import Kind

KIND = Kind(
    kind="Namespace", plural="namespaces", singular="namespace", short_names=("ns",), group="",
    api_versions=("v1",), namespaced=False,
)
