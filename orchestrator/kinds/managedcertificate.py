"""ManagedCertificate: GKE's custom resource for a Google-managed TLS certificate that an Ingress serves."""

from __future__ import annotations

from ..objects import ManagedCertificate
from .kind import Kind

KIND = Kind(
    kind="ManagedCertificate", plural="managedcertificates", singular="managedcertificate", short_names=("mcrt",),
    group="networking.gke.io", api_versions=("networking.gke.io/v1",), store="certificates",
    record=ManagedCertificate,
)
