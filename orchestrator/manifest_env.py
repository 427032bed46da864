"""The container fields that read ConfigMaps and Secrets (``env[].valueFrom``, ``envFrom``), checked with the API
server's words and kept in the API's shape, so the kubelet can tell which objects a pod needs before it starts."""

from __future__ import annotations

from .manifests import Reader


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
