"""How the API server writes the fields that many kinds share: timestamps, uids, metadata, containers and pod
templates. Every kind's ``-o yaml|json`` rendering is built from these."""

from __future__ import annotations

import hashlib
import time

from . import probes
from .catalog import normalize_image
from .quantity import format_cpu, format_memory
from .timefmt import EPOCH


def iso(seconds: float) -> str:
    """RFC 3339 in UTC, as the API server writes timestamps: ``2026-03-02T00:00:05Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH + int(seconds)))


def derived_uid(seed: str) -> str:
    raw = hashlib.sha256(seed.encode()).hexdigest()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


def uid_of(obj, kind: str) -> str:
    """The object's uid, or one derived from what identifies it, for objects made before they kept one."""
    return obj.uid or derived_uid(f"{kind}:{obj.key}:{obj.created}")


def nonzero(**values) -> dict:
    """Status counters the API server leaves out when they are zero."""
    return {k: v for k, v in values.items() if v}


# --- kinds ------------------------------------------------------------------------------------------------


def object_meta(name: str, namespace: str | None, uid: str, created: float, labels: dict | None = None,
          annotations: dict | None = None, **extra) -> dict:
    meta = {"name": name, "uid": uid, "creationTimestamp": iso(created), **extra}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def container_api(c: dict) -> dict:
    """An engine container dict -> a v1.Container."""
    repository, tag = normalize_image(c["image"])
    out: dict = {"name": c["name"], "image": c["image"],
                 "imagePullPolicy": "Always" if tag == "latest" else "IfNotPresent",
                 "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
    ports = c.get("ports") or ([{"containerPort": c["port"]}] if c.get("port") else [])
    if ports:
        out["ports"] = [{"protocol": "TCP", **p} for p in ports]
    resources: dict = {}
    for section, prefix in (("requests", ""), ("limits", "limit_")):
        values = {}
        if c.get(prefix + "cpu") is not None:
            values["cpu"] = format_cpu(c[prefix + "cpu"])
        if c.get(prefix + "memory") is not None:
            values["memory"] = format_memory(c[prefix + "memory"])
        if values:
            resources[section] = values
    out["resources"] = resources
    for kind, key in (("liveness", "livenessProbe"), ("readiness", "readinessProbe")):
        spec = probes.probe(c, kind)
        if spec is not None:
            out[key] = spec
    for key in ("command", "args", "env", "envFrom", "workingDir", "securityContext"):
        if c.get(key):
            out[key] = c[key]
    return out


def toleration_api(t: dict) -> dict:
    out = {k: t[k] for k in ("key", "operator", "value", "effect") if t.get(k)}
    if t.get("seconds") is not None:
        out["tolerationSeconds"] = t["seconds"]
    return out


def pod_spec_api(template: dict, containers: list[dict], grace: int = 30) -> dict:
    spec: dict = {"containers": [container_api(c) for c in containers], "dnsPolicy": "ClusterFirst",
                  "restartPolicy": template.get("restart_policy", "Always"), "schedulerName": "default-scheduler",
                  "securityContext": dict(template.get("security_context") or {}),
                  "terminationGracePeriodSeconds": grace}
    if template.get("node_selector"):
        spec["nodeSelector"] = dict(template["node_selector"])
    if template.get("tolerations"):
        spec["tolerations"] = [toleration_api(t) for t in template["tolerations"]]
    if template.get("node_name"):
        spec["nodeName"] = template["node_name"]
    return spec


def template_api(template: dict, labels: dict | None = None) -> dict:
    meta: dict = {"creationTimestamp": None, "labels": dict(labels or template["labels"])}
    if template.get("annotations"):
        meta["annotations"] = dict(template["annotations"])
    return {"metadata": meta, "spec": pod_spec_api(template, template["containers"])}
