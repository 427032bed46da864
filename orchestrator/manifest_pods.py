"""The pod spec inside a manifest (a Pod's ``spec``, the template of a Deployment or Job): containers with their
ports, resources, probes and environment, node selectors and tolerations, checked with the API server's words
and turned into the engine's shape."""

from __future__ import annotations

from . import probes
from .manifest_env import env_from, env_vars
from .manifests import NAME_RE, Reader, quantity
from .quantity import format_cpu, format_memory


def pod_spec(r: Reader, spec: dict, path: str, pod: bool, restart: tuple[str, ...] = ("Always",)) -> dict:
    """A PodSpec -> the engine's template fields: containers, node_selector, tolerations, node_name.
    ``restart`` lists the restartPolicy values the owner allows (a Job's: OnFailure, Never)."""
    raw = r.items(spec, "containers", "PodSpec", path, "v1.Container")
    if not raw:
        raise r.invalid(f"{path}.containers", "Required value")
    containers, seen = [], set()
    for i, c in enumerate(raw):
        container = _container(r, c, f"{path}.containers[{i}]")
        if container["name"] in seen:
            raise r.invalid(f"{path}.containers[{i}].name", f'Duplicate value: "{container["name"]}"')
        seen.add(container["name"])
        containers.append(container)
    out: dict = {"containers": containers}
    policy = r.str(spec, "restartPolicy", "PodSpec", path) or "Always"
    if policy not in restart:
        if not pod:
            allowed = ", ".join(f'"{v}"' for v in restart)
            raise r.invalid(f"{path}.restartPolicy", f'Unsupported value: "{policy}": supported values: {allowed}')
        raise r.unsupported(f"{path}.restartPolicy: {policy}")
    if policy != "Always":
        out["restart_policy"] = policy
    security = r.dict(spec, "securityContext", "PodSpec", path, "v1.PodSecurityContext")
    if security:
        out["security_context"] = security
    selector = r.strmap(spec, "nodeSelector", "PodSpec", path)
    if selector:
        out["node_selector"] = selector
    tolerations = [_toleration(r, t, f"{path}.tolerations[{i}]")
                   for i, t in enumerate(r.items(spec, "tolerations", "PodSpec", path, "v1.Toleration"))]
    if tolerations:
        out["tolerations"] = tolerations
    node_name = r.str(spec, "nodeName", "PodSpec", path)
    if node_name:
        out["node_name"] = node_name
    return out


def _container(r: Reader, c: dict, path: str) -> dict:
    name, image = r.str(c, "name", "Container", path), r.str(c, "image", "Container", path)
    if not name:
        raise r.invalid(f"{path}.name", "Required value")
    if len(name) > 63 or not NAME_RE.match(name):
        raise r.invalid(f"{path}.name", f'Invalid value: "{name}": a lowercase RFC 1123 label must consist of lower '
                        "case alphanumeric characters or '-', and must start and end with an alphanumeric character")
    if not image or not image.strip():
        raise r.invalid(f"{path}.image", "Required value")
    out: dict = {"name": name, "image": image, "cpu": None, "memory": None, "port": None}
    ports = []
    for j, p in enumerate(r.items(c, "ports", "Container", path, "v1.ContainerPort")):
        at = f"{path}.ports[{j}]"
        number = r.int(p, "containerPort", "ContainerPort", at)
        if number is None or not 0 < number < 65536:
            raise r.invalid(f"{at}.containerPort", f"Invalid value: {number or 0}: must be between 1 and 65535, "
                            "inclusive")
        entry: dict = {"containerPort": number}
        port_name = r.str(p, "name", "ContainerPort", at)
        if port_name:
            entry["name"] = port_name
        protocol = port_protocol(r, p, "ContainerPort", at)
        if protocol != "TCP":
            entry["protocol"] = protocol
        ports.append(entry)
    if ports:
        out["port"] = ports[0]["containerPort"]
        if len(ports) > 1 or len(ports[0]) > 1:
            out["ports"] = ports
    _resources(r, c, path, out)
    for key, internal in (("livenessProbe", "liveness"), ("readinessProbe", "readiness")):
        if c.get(key) is not None:
            out[internal] = _probe(r, r.dict(c, key, "Container", path, "v1.Probe"), f"{path}.{key}", internal)
    for key in ("command", "args"):
        words = r.list(c, key, "Container", path, "string")
        if any(not isinstance(w, str) for w in words):
            raise r.bad_request(f"json: cannot unmarshal number into Go struct field Container.{path}.{key} of "
                                "type string")
        if words:
            out[key] = list(words)
    env = env_vars(r, c, path)
    if env:
        out["env"] = env
    sources = env_from(r, c, path)
    if sources:
        out["envFrom"] = sources
    security = r.dict(c, "securityContext", "Container", path, "v1.SecurityContext")
    if security:
        out["securityContext"] = security
    workdir = r.str(c, "workingDir", "Container", path)
    if workdir:
        out["workingDir"] = workdir
    return out


def port_protocol(r: Reader, obj: dict, struct: str, path: str) -> str:
    protocol = r.str(obj, "protocol", struct, path) or "TCP"
    if protocol not in ("TCP", "UDP", "SCTP"):
        raise r.invalid(f"{path}.protocol", f'Unsupported value: "{protocol}": supported values: "SCTP", "TCP", '
                        '"UDP"')
    return protocol


def _resources(r: Reader, c: dict, path: str, out: dict) -> None:
    resources = r.dict(c, "resources", "Container", path, "v1.ResourceRequirements")
    for section, prefix in (("requests", ""), ("limits", "limit_")):
        values = r.dict(resources, section, "ResourceRequirements", f"{path}.resources", "v1.ResourceList")
        for resource, value in values.items():
            if resource not in ("cpu", "memory"):
                raise r.unsupported(f"{path}.resources.{section}.{resource}")
            out[prefix + resource] = quantity(r, value, resource)
    for resource, fmt in (("cpu", format_cpu), ("memory", format_memory)):
        limit = out.get(f"limit_{resource}")
        if limit is None:
            continue
        if out[resource] is None:
            out[resource] = limit  # the API server's default: a limit alone is also the request
        elif out[resource] > limit:
            raise r.invalid(f"{path}.resources.requests", f'Invalid value: "{fmt(out[resource])}": must be less '
                            f"than or equal to {resource} limit of {fmt(limit)}")


def _probe(r: Reader, spec: dict, path: str, kind: str) -> dict:
    handlers = [k for k in ("httpGet", "tcpSocket", "exec") if spec.get(k) is not None]
    if not handlers:
        raise r.invalid(path, "Required value: must specify a handler type")
    if len(handlers) > 1:
        raise r.invalid(f"{path}.{handlers[1]}", "Forbidden: may not specify more than 1 handler type")
    handler = handlers[0]
    body = r.dict(spec, handler, "Probe", path, "v1.HTTPGetAction")
    at = f"{path}.{handler}"
    out: dict = {}
    if handler == "exec":
        command = r.list(body, "command", "ExecAction", at, "string")
        out["exec"] = {"command": [str(w) for w in command]}
    else:
        port = r.int_or_str(body, "port", "HTTPGetAction", at)
        if port is None or (isinstance(port, int) and not 0 < port < 65536):
            raise r.invalid(f"{at}.port", f"Invalid value: {port or 0}: must be between 1 and 65535, inclusive")
        out[handler] = {"port": port}
        if handler == "httpGet":
            out[handler]["path"] = r.str(body, "path", "HTTPGetAction", at) or "/"
            out[handler]["scheme"] = r.str(body, "scheme", "HTTPGetAction", at) or "HTTP"
    for key, default in probes.DEFAULTS.items():
        value = r.int(spec, key, "Probe", path)
        value = default if value is None else value
        least = 0 if key == "initialDelaySeconds" else 1
        if value < least:
            raise r.invalid(f"{path}.{key}", f"Invalid value: {value}: must be greater than or equal to {least}")
        if key == "successThreshold" and kind == "liveness" and value != 1:
            raise r.invalid(f"{path}.{key}", f"Invalid value: {value}: must be 1")
        out[key] = value
    return out


def _toleration(r: Reader, t: dict, at: str) -> dict:
    key, value = r.str(t, "key", "Toleration", at), r.str(t, "value", "Toleration", at)
    operator = r.str(t, "operator", "Toleration", at) or "Equal"
    effect = r.str(t, "effect", "Toleration", at)
    seconds = r.int(t, "tolerationSeconds", "Toleration", at)
    if operator not in ("Equal", "Exists"):
        raise r.invalid(f"{at}.operator", f'Unsupported value: "{operator}": supported values: "Equal", "Exists"')
    if operator == "Exists" and value:
        raise r.invalid(f"{at}.operator", f'Invalid value: "{value}": value must be empty when `operator` is '
                        "'Exists'")
    if operator == "Equal" and not key:
        raise r.invalid(f"{at}.operator", 'Invalid value: "Equal": operator must be Exists when `key` is empty, '
                        'which means "match all values and all keys"')
    if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
        raise r.invalid(f"{at}.effect", f'Unsupported value: "{effect}": supported values: "NoExecute", '
                        '"NoSchedule", "PreferNoSchedule"')
    if seconds is not None and effect != "NoExecute":
        raise r.invalid(f"{at}.effect", f'Invalid value: "{effect or ""}": effect must be \'NoExecute\' when '
                        "`tolerationSeconds` is set")
    out: dict = {"key": key} if key else {}
    out["operator"] = operator
    if value:
        out["value"] = value
    if effect:
        out["effect"] = effect
    if seconds is not None:
        out["seconds"] = seconds
    return out
