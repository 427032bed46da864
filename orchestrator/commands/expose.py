"""``kubectl expose`` and ``sim traffic``: putting a service in front of a deployment and sending it load."""

from __future__ import annotations

import re

from ..catalog import find_image
from ..services import new_service
from .parse import CommandError, Flag, is_digits, parse_flags
from .resources import namespace_of, not_found, one_target

TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer"}
NAME_RE = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
MAX_RPS = 1_000_000


def expose(sim, cluster, args: list[str]) -> str:
    spec = [Flag("port", None, "int"), Flag("target-port"), Flag("type"), Flag("name"), Flag("protocol"),
            Flag("namespace", "n"), Flag("selector")]
    positional, flags = parse_flags(args, spec, "kubectl expose")
    namespace = namespace_of(cluster, flags)
    kind, name = one_target(positional)
    if kind.plural == "deployments":
        owner = cluster.deployments.get(f"{namespace}/{name}")
        if owner is None:
            raise not_found(kind, name)
        selector, labels, containers = owner.selector, owner.labels, owner.template["containers"]
    elif kind.plural == "pods":
        owner = cluster.pods.get(f"{namespace}/{name}")
        if owner is None:
            raise not_found(kind, name)
        selector, labels, containers = owner.labels, owner.labels, owner.containers
    else:
        raise CommandError(f"error: cannot expose a {kind.singular.capitalize()}")
    type_text = (flags["type"] or "ClusterIP").strip('"')
    type_ = TYPES.get(type_text.lower())
    if type_ is None:
        raise CommandError(f'The Service "{flags["name"] or name}" is invalid: spec.type: Unsupported value: '
                           f'"{type_text}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"')
    port = flags["port"]
    if port is None:
        port = next((c.get("port") for c in containers if c.get("port")), None)
        if port is None:
            image = find_image(containers[0]["image"])
            if image is None or image.port is None:
                raise CommandError("error: couldn't find port via --port flag or introspection\n"
                                   "See 'kubectl expose -h' for help and examples")
            port = image.port
    if not 0 < port < 65536:
        raise CommandError(f'The Service "{name}" is invalid: spec.ports[0].port: Invalid value: {port}: must be '
                           "between 1 and 65535, inclusive")
    target = flags["target-port"]
    target_port = int(target) if target and is_digits(target) else (target or port)
    if isinstance(target_port, int) and not 0 < target_port < 65536:
        raise CommandError(f'The Service "{name}" is invalid: spec.ports[0].targetPort: Invalid value: {target_port}: '
                           "must be between 1 and 65535, inclusive")
    service_name = flags["name"] or name
    if not NAME_RE.match(service_name) or len(service_name) > 63:
        raise CommandError(f'The Service "{service_name}" is invalid: metadata.name: Invalid value: '
                           f'"{service_name}": a DNS-1035 label must consist of lower case alphanumeric characters '
                           "or '-', start with an alphabetic character, and end with an alphanumeric character")
    if f"{namespace}/{service_name}" in cluster.services:
        raise CommandError(f'Error from server (AlreadyExists): services "{service_name}" already exists')
    protocol = (flags["protocol"] or "TCP").upper()
    new_service(cluster, service_name, namespace, type_,
                [{"port": port, "target_port": target_port, "protocol": protocol}], selector, labels, sim.time,
                sim.rng)
    return f"service/{service_name} exposed"


def traffic(sim, cluster, args: list[str]) -> str:
    if len(args) != 2:
        raise CommandError("사용법: sim traffic SERVICE RPS   예) sim traffic web 200")
    name, text = args
    service = cluster.services.get(f"default/{name}")
    if service is None:
        raise CommandError(f'Error from server (NotFound): services "{name}" not found')
    try:
        rps = float(text)
    except ValueError:
        raise CommandError(f"'{text}'은(는) 숫자가 아닙니다. 초당 요청 수를 숫자로 입력해 주세요.") from None
    if not 0 <= rps <= MAX_RPS:
        raise CommandError(f"초당 요청 수는 0에서 {MAX_RPS:,} 사이로 입력해 주세요.")
    service.rps = rps
    if rps == 0:
        return f"{name} 서비스로 가는 트래픽을 멈췄습니다."
    return (f"{name} 서비스에 초당 {rps:g}개의 요청을 보냅니다. 요청은 준비된(Ready) 엔드포인트에만 "
            "고르게 나뉩니다.")
