"""``kubectl describe`` for the ways traffic reaches pods: a Service and its endpoints, an Ingress and the
Services behind it."""

from __future__ import annotations

from ..describing import Describer, Lines, format_labels
from ..model import Ingress, Service
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


def _backend_text(ctx: Describer, namespace: str, backend: dict) -> str:
    service = ctx.cluster.services.get(f"{namespace}/{backend['service']}")
    if service is None:
        return f"{backend['service']}:{backend['port']} (<error: services \"{backend['service']}\" not found>)"
    addresses = endpoint_addresses(ctx.cluster, service)
    shown = ",".join(addresses[:3]) + (f" + {len(addresses) - 3} more..." if len(addresses) > 3 else "")
    return f"{backend['service']}:{backend['port']} ({shown or '<none>'})"


def describe_ingress(ctx: Describer, i: Ingress) -> str:
    w = Lines()
    w.add(f"Name:\t{i.name}")
    w.labels("Labels", i.labels)
    w.add(f"Namespace:\t{i.namespace}", f"Address:\t{i.address or ''}", f"Ingress Class:\t{i.class_name or '<none>'}")
    default = _backend_text(ctx, i.namespace, i.default_backend) if i.default_backend else "<default>"
    w.add(f"Default backend:\t{default}")
    if i.tls:
        w.add("TLS:")
        for t in i.tls:
            w.add(f"  {t['secret'] or 'SNI'} terminates {','.join(t['hosts'])}")
    w.add("Rules:", "  Host\tPath\tBackends", "  ----\t----\t--------")
    for rule in i.rules:
        w.add(f"  {rule['host'] or '*'}\t\t")
        for path in rule["paths"]:
            w.add(f"  \t{path['path']}\t{_backend_text(ctx, i.namespace, path)}")
    w.annotations("Annotations", i.annotations)
    ctx.events(w, "Ingress", i.name, i.namespace)
    return w.text()
