"""Secret: like a ConfigMap, for values that describe and logs must not show."""

from __future__ import annotations

from ..objects import Secret
from .kind import Kind

KIND = Kind(
    kind="Secret", plural="secrets", singular="secret", short_names=(), group="", api_versions=("v1",),
    store="secrets", record=Secret,
)
