"""Ingress: HTTP(S) routing by host and path to Services; on GKE, an external Application Load Balancer that the
Ingress controller (controllers/ingress.py) provisions."""

from __future__ import annotations

from ..api_fields import object_meta, uid_of
from ..applying import apply_fields
from ..describing import Describer, Lines
from ..manifests import ANY, NO, TOP, Manifest, Reader
from ..objects import Ingress
from ..services import endpoint_addresses
from .kind import AGE, NAME, Column, Kind, remove_stored

PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
BACKEND_SCHEMA = {"service": {"name": ANY, "port": {"number": ANY, "name": ANY}}, "resource": NO}


def _backend(r: Reader, backend: dict, at: str) -> dict:
    service = r.dict(backend, "service", "IngressBackend", at, "v1.IngressServiceBackend")
    if not service:
        raise r.invalid(at, "Invalid value: \"\": one backend must be specified")
    name = r.str(service, "name", "IngressServiceBackend", f"{at}.service")
    if not name:
        raise r.invalid(f"{at}.service.name", "Required value")
    port = r.dict(service, "port", "IngressServiceBackend", f"{at}.service", "v1.ServiceBackendPort")
    number = r.int(port, "number", "ServiceBackendPort", f"{at}.service.port")
    port_name = r.str(port, "name", "ServiceBackendPort", f"{at}.service.port")
    if number is None and not port_name:
        raise r.invalid(f"{at}.service.port", "Invalid value: \"\": port name or number is required")
    if number is not None and port_name:
        raise r.invalid(f"{at}.service.port", "Invalid value: \"\": cannot set both port name & port number")
    if number is not None and not 0 < number < 65536:
        raise r.invalid(f"{at}.service.port.number", f"Invalid value: {number}: must be between 1 and 65535, "
                        "inclusive")
    return {"service": name, "port": number if number is not None else port_name}


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "Ingress", "", "v1.IngressSpec")
    out: dict = {"class_name": r.str(spec, "ingressClassName", "IngressSpec", "spec"), "rules": [], "tls": [],
                 "default_backend": None}
    if spec.get("defaultBackend") is not None:
        out["default_backend"] = _backend(
            r, r.dict(spec, "defaultBackend", "IngressSpec", "spec", "v1.IngressBackend"), "spec.defaultBackend")
    for i, rule in enumerate(r.items(spec, "rules", "IngressSpec", "spec", "v1.IngressRule")):
        at = f"spec.rules[{i}]"
        host = r.str(rule, "host", "IngressRule", at)
        http = r.dict(rule, "http", "IngressRule", at, "v1.HTTPIngressRuleValue")
        paths = []
        for j, p in enumerate(r.items(http, "paths", "HTTPIngressRuleValue", f"{at}.http", "v1.HTTPIngressPath")):
            pat = f"{at}.http.paths[{j}]"
            path = r.str(p, "path", "HTTPIngressPath", pat) or ""
            path_type = r.str(p, "pathType", "HTTPIngressPath", pat)
            if not path_type:
                raise r.invalid(f"{pat}.pathType", "Required value: pathType must be specified")
            if path_type not in PATH_TYPES:
                raise r.invalid(f"{pat}.pathType", f'Unsupported value: "{path_type}": supported values: "Exact", '
                                '"ImplementationSpecific", "Prefix"')
            if path_type != "ImplementationSpecific" and not path.startswith("/"):
                raise r.invalid(f"{pat}.path", f'Invalid value: "{path}": must be an absolute path')
            backend = _backend(r, r.dict(p, "backend", "HTTPIngressPath", pat, "v1.IngressBackend"), f"{pat}.backend")
            paths.append({"path": path, "path_type": path_type, **backend})
        if http and not paths:
            raise r.invalid(f"{at}.http.paths", "Required value")
        out["rules"].append({"host": host, "paths": paths})
    if not out["rules"] and out["default_backend"] is None:
        raise r.invalid("spec", "Invalid value: networking.IngressSpec{...}: either `defaultBackend` or `rules` must "
                        "be specified")
    for i, tls in enumerate(r.items(spec, "tls", "IngressSpec", "spec", "v1.IngressTLS")):
        hosts = r.list(tls, "hosts", "IngressTLS", f"spec.tls[{i}]", "string")
        out["tls"].append({"hosts": [str(h) for h in hosts],
                           "secret": r.str(tls, "secretName", "IngressTLS", f"spec.tls[{i}]") or ""})
    return out


def _backend_text(ctx: Describer, namespace: str, backend: dict) -> str:
    service = ctx.cluster.services.get(f"{namespace}/{backend['service']}")
    if service is None:
        return f"{backend['service']}:{backend['port']} (<error: services \"{backend['service']}\" not found>)"
    addresses = endpoint_addresses(ctx.cluster, service)
    shown = ",".join(addresses[:3]) + (f" + {len(addresses) - 3} more..." if len(addresses) > 3 else "")
    return f"{backend['service']}:{backend['port']} ({shown or '<none>'})"


def _describe(ctx: Describer, i: Ingress) -> str:
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


def _backend_api(b: dict) -> dict:
    port = {"number": b["port"]} if isinstance(b["port"], int) else {"name": b["port"]}
    return {"service": {"name": b["service"], "port": port}}


def _render(sim, cluster, i: Ingress) -> dict:
    spec: dict = {}
    if i.class_name:
        spec["ingressClassName"] = i.class_name
    if i.default_backend:
        spec["defaultBackend"] = _backend_api(i.default_backend)
    if i.rules:
        spec["rules"] = []
        for rule in i.rules:
            entry: dict = {"http": {"paths": [{"path": p["path"], "pathType": p["path_type"],
                                               "backend": _backend_api(p)} for p in rule["paths"]]}}
            if rule["host"]:
                entry["host"] = rule["host"]
            spec["rules"].append(entry)
    if i.tls:
        spec["tls"] = [{k: v for k, v in (("hosts", t["hosts"]), ("secretName", t["secret"])) if v} for t in i.tls]
    balancer = {"ingress": [{"ip": i.address}]} if i.address else {}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": object_meta(i.name, i.namespace, uid_of(i, "ingress"), i.created, i.labels, i.annotations,
                                    generation=1),
            "spec": spec, "status": {"loadBalancer": balancer}}


def _hosts(ctx, i: Ingress) -> str:
    """Three hosts at most, then a count of the rest, as kubectl's formatHosts does."""
    hosts = [r["host"] for r in i.rules if r["host"]]
    shown = ",".join(hosts[:3]) + (f" + {len(i.rules) - 3} more..." if len(hosts) > 3 else "")
    return shown or "*"


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, existing) -> str:
    fields = {k: m.spec[k] for k in ("class_name", "rules", "tls", "default_backend")}
    return apply_fields(ctx, kind, m, namespace, existing, Ingress, fields)


KIND = Kind(
    kind="Ingress", plural="ingresses", singular="ingress", short_names=("ing",), group="networking.k8s.io",
    api_versions=("networking.k8s.io/v1",), store="ingresses", record=Ingress,
    schema={**TOP, "spec": {
        "ingressClassName": ANY, "defaultBackend": BACKEND_SCHEMA,
        "rules": [{"host": ANY, "http": {"paths": [{"path": ANY, "pathType": ANY, "backend": BACKEND_SCHEMA}]}}],
        "tls": [{"hosts": ANY, "secretName": ANY}]}},
    parse=_parse,
    columns=(NAME, Column("CLASS", lambda ctx, i: i.class_name or "<none>"), Column("HOSTS", _hosts),
             Column("ADDRESS", lambda ctx, i: i.address or ""),
             Column("PORTS", lambda ctx, i: "80, 443" if i.tls else "80"), AGE),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
