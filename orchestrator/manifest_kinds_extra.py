"""Manifests of the kinds in :data:`orchestrator.objects.SPARSE_STORES`, checked with the API server's words, and the
container fields that point at them (``env[].valueFrom``, ``envFrom``)."""

from __future__ import annotations

import base64
import binascii
import re

from .manifests import ANY, META, NO, POD_SPEC, TOP, ManifestError, Reader

KEY_RE = re.compile(r"^[-._a-zA-Z0-9]+$")
_PERCENT = re.compile(r"^[0-9]+%$")
BACKEND = {"service": {"name": ANY, "port": {"number": ANY, "name": ANY}}, "resource": NO}
SCHEMAS = {
    "ConfigMap": {**TOP, "data": ANY, "binaryData": NO, "immutable": NO},
    "Secret": {**TOP, "data": ANY, "stringData": ANY, "type": ANY, "immutable": NO},
    "PodDisruptionBudget": {**TOP, "spec": {
        "selector": {"matchLabels": ANY, "matchExpressions": NO}, "minAvailable": ANY, "maxUnavailable": ANY,
        "unhealthyPodEvictionPolicy": NO}},
    "Job": {**TOP, "spec": {
        "template": {"metadata": META, "spec": POD_SPEC}, "completions": ANY, "parallelism": ANY,
        "backoffLimit": ANY, "ttlSecondsAfterFinished": ANY, "selector": ANY, "manualSelector": ANY, "suspend": ANY,
        "completionMode": ANY, "podReplacementPolicy": ANY,
        **dict.fromkeys(("activeDeadlineSeconds", "podFailurePolicy", "backoffLimitPerIndex", "maxFailedIndexes",
                         "successPolicy", "managedBy"), NO)}},
    "Ingress": {**TOP, "spec": {
        "ingressClassName": ANY, "defaultBackend": BACKEND,
        "rules": [{"host": ANY, "http": {"paths": [{"path": ANY, "pathType": ANY, "backend": BACKEND}]}}],
        "tls": [{"hosts": ANY, "secretName": ANY}]}},
    "ManagedCertificate": {**TOP, "spec": {"domains": ANY}},
}
PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")


def parse_spec(r: Reader, doc: dict) -> dict:
    """The engine-shaped fields of one checked document of an extra kind."""
    return _PARSERS[r.kind](r, doc)


# --- configuration -------------------------------------------------------------------------------------


def _keys(r: Reader, data: dict, field: str) -> None:
    for key in data:
        if not KEY_RE.match(key) or len(key) > 253:
            raise r.invalid(f"{field}[{key}]", f'Invalid value: "{key}": a valid config key must consist of '
                            "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
                            "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")


def _configmap(r: Reader, doc: dict) -> dict:
    data = r.strmap(doc, "data", "ConfigMap", "") or {}
    _keys(r, data, "data")
    return {"data": data}


def _secret(r: Reader, doc: dict) -> dict:
    raw = r.strmap(doc, "data", "Secret", "") or {}
    plain = r.strmap(doc, "stringData", "Secret", "") or {}
    _keys(r, raw, "data")
    _keys(r, plain, "stringData")
    data = {}
    for key, value in raw.items():
        bad = _base64_error(value)
        if bad is not None:
            raise r.bad_request(f"illegal base64 data at input byte {bad}")
        data[key] = value
    for key, value in plain.items():  # stringData is write-only: the API server merges it into data
        data[key] = base64.b64encode(value.encode()).decode()
    type_ = r.str(doc, "type", "Secret", "") or "Opaque"
    if type_ == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in data:
                raise r.invalid(f"data[{key}]", "Required value")
    return {"data": dict(sorted(data.items())), "type": type_}


def _base64_error(value: str) -> int | None:
    """Where Go's base64 decoder would stop, or None when the value is valid standard base64."""
    for i, ch in enumerate(value):
        if not (ch.isascii() and (ch.isalnum() or ch in "+/=")):
            return i
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return len(value) - len(value) % 4
    return None


# --- PodDisruptionBudget ----------------------------------------------------------------------------------


def _pdb(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "PodDisruptionBudget", "", "v1.PodDisruptionBudgetSpec")
    selector = r.dict(spec, "selector", "PodDisruptionBudgetSpec", "spec", "v1.LabelSelector")
    out: dict = {"selector": r.strmap(selector, "matchLabels", "LabelSelector", "spec.selector") or {}}
    for key, target in (("minAvailable", "min_available"), ("maxUnavailable", "max_unavailable")):
        value = r.int_or_str(spec, key, "PodDisruptionBudgetSpec", "spec")
        if value is None:
            continue
        at = f"spec.{key}"
        if isinstance(value, str):
            if not _PERCENT.match(value):
                raise r.invalid(at, f'Invalid value: "{value}": a valid percent string must be a numeric string '
                                "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                                "'[0-9]+%')")
            if int(value[:-1]) > 100:
                raise r.invalid(at, f'Invalid value: "{value}": must not be greater than 100%')
        elif value < 0:
            raise r.invalid(at, f"Invalid value: {value}: must be greater than or equal to 0")
        out[target] = value
    if "min_available" in out and "max_unavailable" in out:
        raise r.invalid("spec", "Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and "
                        "maxUnavailable cannot be both set")
    return out


# --- Job --------------------------------------------------------------------------------------------------


def _job(r: Reader, doc: dict) -> dict:
    from .manifest_kinds import pod_spec

    spec = r.dict(doc, "spec", "Job", "", "v1.JobSpec")
    template_doc = r.dict(spec, "template", "JobSpec", "spec", "v1.PodTemplateSpec")
    tmeta = r.dict(template_doc, "metadata", "PodTemplateSpec", "spec.template", "v1.ObjectMeta")
    tspec = r.dict(template_doc, "spec", "PodTemplateSpec", "spec.template", "v1.PodSpec")
    template = {"labels": r.strmap(tmeta, "labels", "ObjectMeta", "spec.template.metadata") or {},
                **pod_spec(r, tspec, "spec.template.spec", pod=False, restart=("OnFailure", "Never"))}
    out: dict = {"template": template}
    for key, target, default in (("completions", "completions", 1), ("parallelism", "parallelism", 1),
                                 ("backoffLimit", "backoff_limit", 6)):
        value = r.int(spec, key, "JobSpec", "spec")
        value = default if value is None else value
        if value < 0:
            raise r.invalid(f"spec.{key}", f"Invalid value: {value}: must be greater than or equal to 0")
        out[target] = value
    # Printed back by -o yaml at their defaults; anything else is a Job we do not simulate.
    for key, default in (("suspend", False), ("manualSelector", False), ("completionMode", "NonIndexed")):
        value = spec.get(key)
        if value is not None and value != default:
            raise r.unsupported(f"spec.{key}: {value}")
    ttl = r.int(spec, "ttlSecondsAfterFinished", "JobSpec", "spec")
    if ttl is not None:
        if ttl < 0:
            raise r.invalid("spec.ttlSecondsAfterFinished", f"Invalid value: {ttl}: must be greater than or equal to 0")
        out["ttl_after_finished"] = ttl
    return out


# --- Ingress and ManagedCertificate ------------------------------------------------------------------------


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


def _ingress(r: Reader, doc: dict) -> dict:
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


def _certificate(r: Reader, doc: dict) -> dict:
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


_PARSERS = {"ConfigMap": _configmap, "Secret": _secret, "PodDisruptionBudget": _pdb, "Job": _job,
            "Ingress": _ingress, "ManagedCertificate": _certificate}


# --- container fields that read ConfigMaps and Secrets ------------------------------------------------------


def env_vars(r: Reader, c: dict, path: str) -> list[dict]:
    """``env``: plain values, or ``valueFrom`` one key of a ConfigMap or Secret (kept in the API's shape)."""
    env = []
    for j, item in enumerate(r.items(c, "env", "Container", path, "v1.EnvVar")):
        at = f"{path}.env[{j}]"
        var_name = r.str(item, "name", "EnvVar", at)
        if not var_name:
            raise r.invalid(f"{at}.name", "Required value")
        value = r.str(item, "value", "EnvVar", at) or ""
        source = r.dict(item, "valueFrom", "EnvVar", at, "v1.EnvVarSource")
        if not source:
            env.append({"name": var_name, "value": value})
            continue
        if value:
            raise r.invalid(f"{at}.valueFrom", "Invalid value: \"\": may not be specified when `value` is not empty")
        refs = [k for k in ("configMapKeyRef", "secretKeyRef") if source.get(k) is not None]
        if len(refs) != 1:
            raise r.invalid(f"{at}.valueFrom", "Invalid value: \"\": may not have more than one field specified at "
                            "a time")
        ref = r.dict(source, refs[0], "EnvVarSource", f"{at}.valueFrom", "v1.KeySelector")
        for key in ("name", "key"):
            if not r.str(ref, key, "KeySelector", f"{at}.valueFrom.{refs[0]}"):
                raise r.invalid(f"{at}.valueFrom.{refs[0]}.{key}", "Required value")
        entry = {"name": ref["name"], "key": ref["key"]}
        if r.bool(ref, "optional", "KeySelector", f"{at}.valueFrom.{refs[0]}"):
            entry["optional"] = True
        env.append({"name": var_name, "valueFrom": {refs[0]: entry}})
    return env


def env_from(r: Reader, c: dict, path: str) -> list[dict]:
    """``envFrom``: every key of a ConfigMap or Secret as an environment variable."""
    out = []
    for j, item in enumerate(r.items(c, "envFrom", "Container", path, "v1.EnvFromSource")):
        at = f"{path}.envFrom[{j}]"
        refs = [k for k in ("configMapRef", "secretRef") if item.get(k) is not None]
        if len(refs) != 1:
            raise r.invalid(at, "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`" if not refs
                            else "Invalid value: \"\": may not have more than one field specified at a time")
        ref = r.dict(item, refs[0], "EnvFromSource", at, "v1.LocalObjectReference")
        name = r.str(ref, "name", "LocalObjectReference", f"{at}.{refs[0]}")
        if not name:
            raise r.invalid(f"{at}.{refs[0]}.name", "Required value")
        entry: dict = {refs[0]: {"name": name}}
        if r.bool(ref, "optional", "LocalObjectReference", f"{at}.{refs[0]}"):
            entry[refs[0]]["optional"] = True
        prefix = r.str(item, "prefix", "EnvFromSource", at)
        if prefix:
            entry["prefix"] = prefix
        out.append(entry)
    return out


def referenced_objects(containers: list[dict]) -> list[tuple[str, str, str | None, bool]]:
    """(kind, name, key or None, optional) for every ConfigMap/Secret the containers read."""
    found = []
    for c in containers:
        for source in c.get("envFrom") or []:
            for ref, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if ref in source:
                    found.append((kind, source[ref]["name"], None, bool(source[ref].get("optional"))))
        for var in c.get("env") or []:
            for ref, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                sel = (var.get("valueFrom") or {}).get(ref)
                if sel:
                    found.append((kind, sel["name"], sel["key"], bool(sel.get("optional"))))
    return found


__all__ = ["SCHEMAS", "ManifestError", "env_from", "env_vars", "parse_spec", "referenced_objects"]
