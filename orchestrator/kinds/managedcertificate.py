"""ManagedCertificate: GKE's custom resource for a Google-managed TLS certificate that an Ingress serves. The
Ingress controller (controllers/ingress.py) moves it from Provisioning to Active."""

from __future__ import annotations

import re

from ..api_fields import iso, object_meta, uid_of
from ..applying import apply_fields
from ..manifests import ANY, TOP, Manifest, Reader
from ..objects import ManagedCertificate
from .kind import AGE, NAME, Column, Kind, remove_stored


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "ManagedCertificate", "", "v1.ManagedCertificateSpec")
    domains = r.list(spec, "domains", "ManagedCertificateSpec", "spec", "string")
    if not domains:
        raise r.invalid("spec.domains", "Required value")
    if len(domains) > 100:
        raise r.invalid("spec.domains", f"Too many: {len(domains)}: must have at most 100 items")
    for i, domain in enumerate(domains):
        if not isinstance(domain, str) or not re.match(r"^(([a-zA-Z0-9]+|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9])\.)+"
                                                       r"[a-zA-Z][-a-zA-Z0-9]*[a-zA-Z0-9]\.?$", domain):
            raise r.invalid(f"spec.domains[{i}]", f'Invalid value: "{domain}": spec.domains[{i}] in body should match '
                            "a fully qualified domain name (wildcards are not supported)")
    return {"domains": list(domains)}


def _render(sim, cluster, c: ManagedCertificate) -> dict:
    status: dict = {"certificateStatus": c.status,
                    "domainStatus": [{"domain": d, "status": c.status} for d in c.domains]}
    if c.status == "Active":
        status["certificateName"] = "mcrt-" + uid_of(c, "mcrt")
        status["expireTime"] = iso((c.active_at or c.created) + 90 * 86400)  # Google-managed certificates last 90 days
    return {"apiVersion": "networking.gke.io/v1", "kind": "ManagedCertificate",
            "metadata": object_meta(c.name, c.namespace, uid_of(c, "mcrt"), c.created, c.labels, generation=1),
            "spec": {"domains": list(c.domains)}, "status": status}


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, existing) -> str:
    word = apply_fields(ctx, kind, m, namespace, existing, ManagedCertificate, {"domains": m.spec["domains"]})
    if word == "configured" and ctx.commit and existing.domains == m.spec["domains"]:
        return word
    if word == "configured" and ctx.commit:  # new domains: Google issues a new certificate
        existing.status, existing.active_at = "Provisioning", None
    return word


KIND = Kind(
    kind="ManagedCertificate", plural="managedcertificates", singular="managedcertificate", short_names=("mcrt",),
    group="networking.gke.io", api_versions=("networking.gke.io/v1",), store="certificates",
    record=ManagedCertificate,
    schema={**TOP, "spec": {"domains": ANY}},
    parse=_parse,
    columns=(NAME, AGE, Column("STATUS", lambda ctx, c: c.status)),  # the CRD's printer columns
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
