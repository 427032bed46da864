"""Which kinds a manifest may hold, and turning checked manifest documents into the engine's objects, one function
per kind."""

from __future__ import annotations

from .kinds.registry import BY_KIND, KINDS
from .manifests import (
    Manifest,
    ManifestError,
    Reader,
    check_fields,
    check_name,
    identify,
)

# Real kinds we do not simulate: a Korean answer instead of "no matches for kind" (a kind declared in the registry
# is never looked up here).
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
    if kind not in SUPPORTED and (kind in UNSIMULATED or kind in BY_KIND):
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
    check_fields(reader, doc, declared.schemas.get(version) or declared.schema)
    meta = reader.dict(doc, "metadata", kind, "", "v1.ObjectMeta")
    labels = reader.strmap(meta, "labels", "ObjectMeta", "metadata")
    annotations = reader.strmap(meta, "annotations", "ObjectMeta", "metadata")
    manifest = Manifest(kind, version, name, namespace if kind != "Namespace" else None, labels, annotations)
    if declared.parse is not None:
        manifest.spec = declared.parse(reader, doc)
    else:  # nothing in the spec is read, but it must still be an object
        reader.dict(doc, "spec", kind, "", f"v1.{kind}Spec")
    return manifest
