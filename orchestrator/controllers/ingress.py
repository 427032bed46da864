"""GKE's Ingress controller and managed certificates.

On GKE an Ingress without another class becomes an external Application Load Balancer: once every backend
Service exists, the load balancer gets a global anycast address after a while (:data:`INGRESS_PROVISION_SECONDS`;
real ones take a few minutes). A ManagedCertificate named in the Ingress's ``networking.gke.io/managed-certificates``
annotation turns from Provisioning to Active :data:`CERT_PROVISION_SECONDS` after the Ingress has its address.
That is a simplification stated in the lesson: Google's CA also needs the domain's DNS A record to point at
that address, and real provisioning can take up to an hour.
"""

from __future__ import annotations

from .. import events
from ..model import Cluster
from ..rng import Rng

INGRESS_PROVISION_SECONDS = 90
CERT_PROVISION_SECONDS = 300
SOURCE = "loadbalancer-controller"


def reconcile(cluster: Cluster, now: float, rng: Rng) -> None:
    if not cluster.ingresses and not cluster.certificates:
        return
    for ingress in cluster.ingresses.values():
        missing = [b["service"] for b in ingress.backends()
                   if f"{ingress.namespace}/{b['service']}" not in cluster.services]
        problem = (f'Translation failed: invalid ingress spec: could not find service "{ingress.namespace}/'
                   f'{missing[0]}"') if missing else ""
        if problem != ingress.problem:
            ingress.problem = problem
            if problem:
                events.record(cluster, now, "Warning", "Translate", "Ingress", ingress.name, problem, SOURCE,
                              ingress.namespace)
        if problem or ingress.address is not None:
            continue
        if ingress.lb_ready_at is None:
            ingress.lb_ready_at = now + INGRESS_PROVISION_SECONDS
            events.record(cluster, now, "Normal", "Sync", "Ingress", ingress.name, "Scheduled for sync", SOURCE,
                          ingress.namespace)
        elif now >= ingress.lb_ready_at:
            ingress.address = f"35.{186 + rng.below(5)}.{rng.below(256)}.{1 + rng.below(254)}"  # global anycast
            events.record(cluster, now, "Normal", "IPChanged", "Ingress", ingress.name,
                          f"IP is now {ingress.address}", SOURCE, ingress.namespace)
    for cert in cluster.certificates.values():
        if cert.status == "Active":
            continue
        served = [i for i in cluster.ingresses.values()
                  if i.namespace == cert.namespace and i.address and cert.name in i.certificate_names()]
        if not served:
            cert.active_at = None
            continue
        if cert.active_at is None:
            cert.active_at = now + CERT_PROVISION_SECONDS
        elif now >= cert.active_at:
            cert.status = "Active"
