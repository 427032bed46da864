"""``kubectl describe service``: kubectl 1.33's describeService, a Service and its endpoints."""

from __future__ import annotations

from ..describing import Describer, Lines, format_labels
from ..model import Service
from ..services import endpoint_addresses

# GKE marks every Service of a VPC-native cluster for container-native load balancing.
NEG_ANNOTATION = {"cloud.google.com/neg": '{"ingress":true}'}
MAX_ENDPOINTS = 3  # describe's formatEndpointSlices shows three and counts the rest


def describe_service(ctx: Describer, svc: Service) -> str:
    """``kubectl describe service NAME``: kubectl 1.33's describeService."""
    cluster = ctx.cluster
    w = Lines()
    w.add(f"Name:\t{svc.name}", f"Namespace:\t{svc.namespace}")
    w.labels("Labels", svc.labels)
    w.annotations("Annotations", {} if svc.name == "kubernetes" else NEG_ANNOTATION)
    w.add(f"Selector:\t{format_labels(svc.selector)}", f"Type:\t{svc.type}",
          "IP Family Policy:\tSingleStack", "IP Families:\tIPv4", f"IP:\t{svc.cluster_ip}", f"IPs:\t{svc.cluster_ip}")
    if svc.external_ip:
        w.add(f"LoadBalancer Ingress:\t{svc.external_ip} (VIP)")
    addresses = endpoint_addresses(cluster, svc)
    for port in svc.ports:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "TCP")
        w.add(f"Port:\t{name}\t{port['port']}/{protocol}", f"TargetPort:\t{port['target_port']}/{protocol}")
        if port.get("node_port"):
            w.add(f"NodePort:\t{name}\t{port['node_port']}/{protocol}")
        mine = [a for a in addresses if a.rsplit(":", 1)[1] == str(port["target_port"])]
        shown = ",".join(mine[:MAX_ENDPOINTS])
        if len(mine) > MAX_ENDPOINTS:
            shown += f" + {len(mine) - MAX_ENDPOINTS} more..."
        w.add(f"Endpoints:\t{shown}")
    w.add("Session Affinity:\tNone")
    if svc.type in ("NodePort", "LoadBalancer"):
        w.add("External Traffic Policy:\tCluster")
    w.add("Internal Traffic Policy:\tCluster")
    ctx.events(w, "Service", svc.name, svc.namespace)
    return w.text()
