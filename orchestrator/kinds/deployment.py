"""Deployment: a desired number of identical pods, replaced gradually by a rolling update when its template changes."""

from __future__ import annotations

from ..objects import Deployment
from .kind import Kind

KIND = Kind(
    kind="Deployment", plural="deployments", singular="deployment", short_names=("deploy",), group="apps",
    api_versions=("apps/v1",), store="deployments", record=Deployment,
)
