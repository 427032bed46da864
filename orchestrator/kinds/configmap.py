"""ConfigMap: configuration that containers read as environment variables."""

from __future__ import annotations

from ..objects import ConfigMap
from .kind import Kind

KIND = Kind(
    kind="ConfigMap", plural="configmaps", singular="configmap", short_names=("cm",), group="",
    api_versions=("v1",), store="configmaps", record=ConfigMap,
)
