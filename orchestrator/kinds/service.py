"""Service: one stable address in front of the ready pods its selector picks (services.py allocates addresses and
finds the endpoints; the traffic controller spreads requests over them)."""

from __future__ import annotations

import copy

from .. import events
from ..api_fields import derived_uid, object_meta
from ..applying import merged
from ..describing import Describer, Lines, format_labels
from ..manifest_pods import port_protocol
from ..manifests import ANY, NO, TOP, Manifest, ManifestError, Reader
from ..objects import Service
from ..services import LB_PROVISION_SECONDS, NODE_PORT_RANGE, endpoint_addresses, new_service
from .kind import AGE, NAME, Column, Kind, remove_stored

# GKE marks every Service of a VPC-native cluster for container-native load balancing.
NEG_ANNOTATION = {"cloud.google.com/neg": '{"ingress":true}'}
MAX_ENDPOINTS = 3  # describe's formatEndpointSlices shows three and counts the rest


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "Service", "", "v1.ServiceSpec")
    type_ = r.str(spec, "type", "ServiceSpec", "spec") or "ClusterIP"
    if type_ == "ExternalName":
        raise r.unsupported("spec.type: ExternalName")
    if type_ not in ("ClusterIP", "NodePort", "LoadBalancer"):
        raise r.invalid("spec.type", f'Unsupported value: "{type_}": supported values: "ClusterIP", "ExternalName", '
                        '"LoadBalancer", "NodePort"')
    raw = r.items(spec, "ports", "ServiceSpec", "spec", "v1.ServicePort")
    if not raw:
        raise r.invalid("spec.ports", "Required value")
    ports, names = [], set()
    for j, p in enumerate(raw):
        at = f"spec.ports[{j}]"
        number = r.int(p, "port", "ServicePort", at)
        if number is None or not 0 < number < 65536:
            raise r.invalid(f"{at}.port", f"Invalid value: {number or 0}: must be between 1 and 65535, inclusive")
        name = r.str(p, "name", "ServicePort", at)
        if len(raw) > 1 and not name:
            raise r.invalid(f"{at}.name", "Required value")
        if name in names:
            raise r.invalid(f"{at}.name", f'Duplicate value: "{name}"')
        names.add(name)
        target = r.int_or_str(p, "targetPort", "ServicePort", at)
        if isinstance(target, int) and not 0 <= target < 65536:
            raise r.invalid(f"{at}.targetPort", f"Invalid value: {target}: must be between 1 and 65535, inclusive")
        entry: dict = {"port": number, "target_port": target or number,
                       "protocol": port_protocol(r, p, "ServicePort", at)}
        node_port = r.int(p, "nodePort", "ServicePort", at)
        if node_port:
            if type_ == "ClusterIP":
                raise r.invalid(f"{at}.nodePort", "Forbidden: may not be used when `type` is 'ClusterIP'")
            if not 30000 <= node_port <= 32767:
                raise r.invalid(f"{at}.nodePort", f"Invalid value: {node_port}: provided port is not in the valid "
                                "range. The range of valid ports is 30000-32767")
            entry["node_port"] = node_port
        if name:
            entry["name"] = name
        ports.append(entry)
    out = {"type": type_, "ports": ports, "selector": r.strmap(spec, "selector", "ServiceSpec", "spec") or {}}
    cluster_ip = r.str(spec, "clusterIP", "ServiceSpec", "spec")
    if cluster_ip == "None":
        raise r.unsupported("spec.clusterIP: None")
    if cluster_ip:
        out["cluster_ip"] = cluster_ip
    return out


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


def _ports_api(service: Service) -> list[dict]:
    out = []
    for p in service.ports:
        port = {"port": p["port"], "protocol": p.get("protocol", "TCP"), "targetPort": p["target_port"]}
        if p.get("name"):
            port["name"] = p["name"]
        if p.get("node_port") and service.type != "ClusterIP":
            port["nodePort"] = p["node_port"]
        out.append(port)
    return out


def _render(sim, cluster, s: Service) -> dict:
    spec: dict = {"clusterIP": s.cluster_ip, "clusterIPs": [s.cluster_ip], "internalTrafficPolicy": "Cluster",
                  "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": _ports_api(s),
                  "sessionAffinity": "None", "type": s.type}
    if s.selector:
        spec["selector"] = dict(s.selector)
    if s.type in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = "Cluster"
    if s.type == "LoadBalancer":
        spec["allocateLoadBalancerNodePorts"] = True
    balancer = {"ingress": [{"ip": s.external_ip, "ipMode": "VIP"}]} if s.external_ip else {}
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": object_meta(s.name, s.namespace, derived_uid(f"service:{s.key}:{s.created}"), s.created,
                                    s.labels),
            "spec": spec, "status": {"loadBalancer": balancer}}


def _external_ip(ctx, s: Service) -> str:
    return s.external_ip or ("<pending>" if s.type == "LoadBalancer" else "<none>")


def _ports(ctx, s: Service) -> str:
    return ",".join(f"{p['port']}:{p['node_port']}/{p['protocol']}" if p.get("node_port")
                    else f"{p['port']}/{p['protocol']}" for p in s.ports)


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, svc) -> str:
    sim, cluster, spec = ctx.sim, ctx.cluster, m.spec
    others = [s for s in cluster.services.values() if s is not svc]
    used_ports = {p["node_port"] for s in others for p in s.ports if p.get("node_port")}
    for i, port in enumerate(spec["ports"]):
        if port.get("node_port") and port["node_port"] in used_ports:
            raise ManifestError(f'The Service "{m.name}" is invalid: spec.ports[{i}].nodePort: Invalid value: '
                               f"{port['node_port']}: provided port is already allocated")
    ip = spec.get("cluster_ip")
    if svc is None:
        if ip and ip in {s.cluster_ip for s in others}:
            raise ManifestError(f'The Service "{m.name}" is invalid: spec.clusterIPs[0]: Invalid value: "{ip}": '
                               f"failed to allocate IP {ip}: provided IP is already allocated")
        if ctx.commit:
            created = new_service(cluster, m.name, namespace, spec["type"], copy.deepcopy(spec["ports"]),
                                  spec["selector"], m.labels or {}, sim.time, sim.rng)
            if ip:
                created.cluster_ip = ip
        return "created"
    if ip and ip != svc.cluster_ip:
        raise ManifestError(f'The Service "{m.name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{{"{ip}"}}'
                           ": may not change once set")
    ports = copy.deepcopy(spec["ports"])
    wants_node_ports = spec["type"] in ("NodePort", "LoadBalancer")
    for port in ports:
        if wants_node_ports and not port.get("node_port"):
            # Like the API server, an update keeps the node port a port already had.
            same = next((p for p in svc.ports if p["port"] == port["port"] and p.get("node_port")), None)
            if same is not None:
                port["node_port"] = same["node_port"]
    labels = merged(svc.labels, m.labels)
    if (spec["type"], ports, spec["selector"], labels) == (svc.type, svc.ports, svc.selector, svc.labels):
        return "unchanged"
    if ctx.commit:
        for port in ports:
            if wants_node_ports and not port.get("node_port"):
                port["node_port"] = _free_node_port(sim, used_ports | {p.get("node_port") for p in ports})
        if spec["type"] == "LoadBalancer" and svc.type != "LoadBalancer":
            svc.lb_ready_at = sim.time + LB_PROVISION_SECONDS
            events.record(cluster, sim.time, "Normal", "EnsuringLoadBalancer", "Service", svc.name,
                          "Ensuring load balancer", "service-controller", namespace)
        elif spec["type"] != "LoadBalancer":
            svc.lb_ready_at = svc.external_ip = None
        svc.type, svc.ports, svc.selector, svc.labels = spec["type"], ports, dict(spec["selector"]), labels
        cluster.sched_retry = True
    return "configured"


def _free_node_port(sim, used: set) -> int:
    low, high = NODE_PORT_RANGE
    while True:
        candidate = low + sim.rng.below(high - low)
        if candidate not in used:
            return candidate


KIND = Kind(
    kind="Service", plural="services", singular="service", short_names=("svc",), group="", api_versions=("v1",),
    store="services", record=Service,
    schema={**TOP, "spec": {
        "type": ANY, "selector": ANY,
        "ports": [{"name": ANY, "port": ANY, "targetPort": ANY, "protocol": ANY, "nodePort": ANY,
                   "appProtocol": ANY}],
        **dict.fromkeys(("clusterIP", "clusterIPs", "sessionAffinity", "internalTrafficPolicy",
                         "externalTrafficPolicy", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts"),
                        ANY),
        **dict.fromkeys(("loadBalancerIP", "externalIPs", "externalName", "loadBalancerSourceRanges",
                         "sessionAffinityConfig", "healthCheckNodePort", "loadBalancerClass",
                         "publishNotReadyAddresses", "trafficDistribution"), NO)}},
    parse=_parse,
    columns=(NAME, Column("TYPE", lambda ctx, s: s.type), Column("CLUSTER-IP", lambda ctx, s: s.cluster_ip),
             Column("EXTERNAL-IP", _external_ip), Column("PORT(S)", _ports), AGE,
             Column("SELECTOR", lambda ctx, s: format_labels(s.selector), wide=True)),
    describe=describe_service,
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
