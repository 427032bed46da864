"""Services: stable addresses in front of a changing set of ready pods."""

from __future__ import annotations

from . import events
from .model import Cluster, Pod, Service, matches
from .rng import Rng

LB_PROVISION_SECONDS = 45  # a GCP network load balancer typically needs the better part of a minute
NODE_PORT_RANGE = (30000, 32768)


def endpoints(cluster: Cluster, service: Service) -> list[Pod]:
    """Ready, non-terminating pods the service's selector matches: only they receive traffic."""
    if not service.selector:
        return []
    return [p for p in cluster.pods.values()
            if p.namespace == service.namespace and p.ready and not p.terminating and p.ip
            and matches(service.selector, p.labels)]


def endpoint_addresses(cluster: Cluster, service: Service) -> list[str]:
    if service.name == "kubernetes" and service.namespace == "default":
        return [f"{cluster.endpoint}:443"]
    out = []
    for pod in sorted(endpoints(cluster, service), key=lambda p: p.ip or ""):
        for port in service.ports:
            out.append(f"{pod.ip}:{port['target_port']}")
    return out


def new_service(cluster: Cluster, name: str, namespace: str, type_: str, ports: list[dict],
                selector: dict[str, str], labels: dict[str, str], now: float, rng: Rng) -> Service:
    used_ips = {s.cluster_ip for s in cluster.services.values()}
    while True:
        ip = f"34.118.{224 + rng.below(16)}.{1 + rng.below(254)}"
        if ip not in used_ips:
            break
    used_ports = {p.get("node_port") for s in cluster.services.values() for p in s.ports}
    for port in ports:
        port.setdefault("protocol", "TCP")
        if type_ in ("NodePort", "LoadBalancer") and not port.get("node_port"):
            while True:
                candidate = NODE_PORT_RANGE[0] + rng.below(NODE_PORT_RANGE[1] - NODE_PORT_RANGE[0])
                if candidate not in used_ports:
                    break
            port["node_port"] = candidate
            used_ports.add(candidate)
    service = Service(name=name, namespace=namespace, type=type_, cluster_ip=ip, ports=ports,
                      selector=dict(selector), created=now, labels=dict(labels))
    if type_ == "LoadBalancer":
        service.lb_ready_at = now + LB_PROVISION_SECONDS
        events.record(cluster, now, "Normal", "EnsuringLoadBalancer", "Service", name, "Ensuring load balancer",
                      "service-controller", namespace)
    cluster.services[service.key] = service
    cluster.sched_retry = True  # spreading now also counts the service's pods together
    return service


def provision_load_balancers(cluster: Cluster, now: float, rng: Rng) -> None:
    for service in cluster.services.values():
        if service.lb_ready_at is not None and service.external_ip is None and now >= service.lb_ready_at:
            service.external_ip = f"34.64.{rng.below(256)}.{1 + rng.below(254)}"
            events.record(cluster, now, "Normal", "EnsuredLoadBalancer", "Service", service.name,
                          "Ensured load balancer", "service-controller", service.namespace)
