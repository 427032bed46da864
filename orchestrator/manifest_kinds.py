"""Which kinds a manifest may hold, and turning checked manifest documents into the engine's objects, one function
per kind."""

from __future__ import annotations

from .kinds.registry import BY_KIND, KINDS
from .manifest_pods import pod_spec
from .manifests import (
    PERCENT_RE,
    SCHEMAS,
    Manifest,
    ManifestError,
    Reader,
    check_fields,
    check_name,
    go_map,
    identify,
)

# Real kinds we do not simulate: a Korean answer instead of "no matches for kind".
UNSIMULATED = {
    "StatefulSet", "DaemonSet", "CronJob", "IngressClass", "PersistentVolumeClaim", "PersistentVolume",
    "ServiceAccount", "StorageClass", "NetworkPolicy", "LimitRange", "ResourceQuota", "Role", "RoleBinding",
    "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "ReplicationController", "EndpointSlice",
    "Gateway", "HTTPRoute", "PriorityClass", "Lease", "VerticalPodAutoscaler", "BackendConfig", "FrontendConfig",
}
# The kinds a manifest may hold, with the apiVersions each may be written in.
SUPPORTED = {k.kind: k.api_versions for k in KINDS.values() if k.api_versions}


def check_types(doc: dict) -> tuple[str, str]:
    """kubectl's client-side check (apiVersion, kind) and whether we simulate the kind: (kind, version)."""
    missing = [f"{key} not set" for key in ("apiVersion", "kind") if not doc.get(key)]
    if missing:
        raise ManifestError(f'error: error validating "STDIN": error validating data: [{", ".join(missing)}]; if '
                            "you choose to ignore these errors, turn validation off with --validate=false")
    api_version, kind = str(doc["apiVersion"]), str(doc["kind"])
    if kind in UNSIMULATED or kind in BY_KIND and kind not in SUPPORTED:
        raise ManifestError(f"{kind} 리소스는 이 시뮬레이터에서 아직 지원하지 않습니다. 매니페스트로는 "
                            f"{', '.join(SUPPORTED)}를 적용할 수 있습니다.")
    if api_version not in SUPPORTED.get(kind, ()):
        name = (doc.get("metadata") or {}).get("name", "") if isinstance(doc.get("metadata"), dict) else ""
        raise ManifestError(f'error: resource mapping not found for name: "{name}" namespace: "" from "STDIN": '
                            f'no matches for kind "{kind}" in version "{api_version}"\n'
                            "ensure CRDs are installed first")
    return kind, api_version.rpartition("/")[2]


def parse(doc: dict, kind: str, version: str, action: str = "creating") -> Manifest:
    """One checked document -> :class:`Manifest`. ``action`` words server errors ("creating", "patching")."""
    name, namespace = identify(doc)
    reader = Reader(kind, version, name, action)
    declared = BY_KIND[kind]
    check_name(reader, name, label=kind in ("Namespace", "Service"))
    check_fields(reader, doc, declared.schemas.get(version) or declared.schema or SCHEMAS[kind])
    meta = reader.dict(doc, "metadata", kind, "", "v1.ObjectMeta")
    labels = reader.strmap(meta, "labels", "ObjectMeta", "metadata")
    annotations = reader.strmap(meta, "annotations", "ObjectMeta", "metadata")
    manifest = Manifest(kind, version, name, namespace if kind != "Namespace" else None, labels, annotations)
    spec = reader.dict(doc, "spec", kind, "", f"v1.{kind}Spec")
    if kind == "Deployment":
        manifest.spec = _deployment(reader, spec)
    elif declared.parse is not None:
        manifest.spec = declared.parse(reader, doc)
    return manifest


def _deployment(r: Reader, spec: dict) -> dict:
    out: dict = {}
    replicas = r.int(spec, "replicas", "DeploymentSpec", "spec")
    if replicas is not None:
        if replicas < 0:
            raise r.invalid("spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0")
        out["replicas"] = replicas
    if spec.get("selector") is None:
        raise r.invalid("spec.selector", "Required value")
    selector = r.dict(spec, "selector", "DeploymentSpec", "spec", "v1.LabelSelector")
    match = r.strmap(selector, "matchLabels", "LabelSelector", "spec.selector") or {}
    if not match:
        raise r.invalid("spec.selector", "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
                        "deployment")
    template_doc = r.dict(spec, "template", "DeploymentSpec", "spec", "v1.PodTemplateSpec")
    tmeta = r.dict(template_doc, "metadata", "PodTemplateSpec", "spec.template", "v1.ObjectMeta")
    tlabels = r.strmap(tmeta, "labels", "ObjectMeta", "spec.template.metadata") or {}
    if any(tlabels.get(k) != v for k, v in match.items()):
        raise r.invalid("spec.template.metadata.labels", f"Invalid value: {go_map(tlabels)}: `selector` does not "
                        "match template `labels`")
    tspec = r.dict(template_doc, "spec", "PodTemplateSpec", "spec.template", "v1.PodSpec")
    template = {"labels": tlabels, **pod_spec(r, tspec, "spec.template.spec", pod=False)}
    tannotations = r.strmap(tmeta, "annotations", "ObjectMeta", "spec.template.metadata")
    if tannotations:
        template["annotations"] = tannotations
    out["selector"], out["template"] = match, template
    _strategy(r, spec, out)
    for key, target in (("revisionHistoryLimit", "revision_history_limit"),
                        ("progressDeadlineSeconds", "progress_deadline"), ("minReadySeconds", "min_ready")):
        value = r.int(spec, key, "DeploymentSpec", "spec")
        if value is None:
            continue
        if value < 0:
            raise r.invalid(f"spec.{key}", f"Invalid value: {value}: must be greater than or equal to 0")
        if key == "progressDeadlineSeconds" and value == 0:
            raise r.invalid("spec.progressDeadlineSeconds", "Invalid value: 0: must be greater than minReadySeconds")
        if key == "minReadySeconds" and value:
            raise r.unsupported("spec.minReadySeconds")
        out[target] = value
    out.pop("min_ready", None)
    paused = r.bool(spec, "paused", "DeploymentSpec", "spec")
    if paused is not None:
        out["paused"] = paused
    return out




def _strategy(r: Reader, spec: dict, out: dict) -> None:
    if spec.get("strategy") is None:
        return
    strategy = r.dict(spec, "strategy", "DeploymentSpec", "spec", "v1.DeploymentStrategy")
    type_ = r.str(strategy, "type", "DeploymentStrategy", "spec.strategy") or "RollingUpdate"
    if type_ not in ("RollingUpdate", "Recreate"):
        raise r.invalid("spec.strategy.type", f'Unsupported value: "{type_}": supported values: "Recreate", '
                        '"RollingUpdate"')
    rolling = r.dict(strategy, "rollingUpdate", "DeploymentStrategy", "spec.strategy", "v1.RollingUpdateDeployment")
    out["strategy"] = type_
    if type_ == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            raise r.invalid("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is "
                            "'Recreate'")
        return
    values = {}
    for key in ("maxSurge", "maxUnavailable"):
        value = r.int_or_str(rolling, key, "RollingUpdateDeployment", "spec.strategy.rollingUpdate")
        value = "25%" if value is None else value
        at = f"spec.strategy.rollingUpdate.{key}"
        if isinstance(value, str) and not PERCENT_RE.match(value):
            raise r.invalid(at, f'Invalid value: "{value}": a valid percent string must be a numeric string '
                            "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                            "'[0-9]+%')")
        if isinstance(value, int) and value < 0:
            raise r.invalid(at, f"Invalid value: {value}: must be greater than or equal to 0")
        if key == "maxUnavailable" and isinstance(value, str) and int(value[:-1]) > 100:
            raise r.invalid(at, f'Invalid value: "{value}": must not be greater than 100%')
        values[key] = value
    if all(v in (0, "0%") for v in values.values()):
        raise r.invalid("spec.strategy.rollingUpdate.maxUnavailable", "Invalid value: intstr.IntOrString{Type:0, "
                        'IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0')
    out["max_surge"], out["max_unavailable"] = values["maxSurge"], values["maxUnavailable"]
