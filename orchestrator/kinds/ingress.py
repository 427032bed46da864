"""Ingress: HTTP(S) routing by host and path to Services; on GKE, an external Application Load Balancer."""

from __future__ import annotations

from ..objects import Ingress
from .kind import Kind

KIND = Kind(
    kind="Ingress", plural="ingresses", singular="ingress", short_names=("ing",), group="networking.k8s.io",
    api_versions=("networking.k8s.io/v1",), store="ingresses", record=Ingress,
)
