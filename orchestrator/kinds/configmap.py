"""ConfigMap: configuration that containers read as environment variables. Every namespace also holds
kube-root-ca.crt, which is listed here rather than stored."""

from __future__ import annotations

from ..api_fields import object_meta, uid_of
from ..applying import apply_fields
from ..describing import Describer, Lines, object_head
from ..manifests import ANY, NO, TOP, Manifest, Reader, check_config_keys
from ..objects import ConfigMap
from .kind import AGE, NAME, Column, Kind, remove_stored, sorted_by_name, stored

# The root-ca-cert-publisher keeps this ConfigMap in every namespace.
ROOT_CA = "kube-root-ca.crt"
# Shortened, and not a real certificate: only its shape matters here.
CA_PEM = ("-----BEGIN CERTIFICATE-----\nMIIELTCCApWgAwIBAgIRAKzYh2lYIQ3SZ0IHrBYnDcswDQYJKoZIhvcNAQELBQAw\n"
          "-----END CERTIFICATE-----\n")


def _parse(r: Reader, doc: dict) -> dict:
    data = r.strmap(doc, "data", "ConfigMap", "") or {}
    check_config_keys(r, data, "data")
    return {"data": data}


def _describe(ctx: Describer, m: ConfigMap) -> str:
    w = Lines()
    object_head(w, m)
    w.add("", "Data", "====")
    for key in sorted(m.data):
        w.add(f"{key}:", "----", *m.data[key].removesuffix("\n").split("\n"), "")
    w.add("BinaryData", "====", "")
    ctx.events(w, "ConfigMap", m.name, m.namespace)
    return w.text()


def _render(sim, cluster, m: ConfigMap) -> dict:
    out = {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": object_meta(m.name, m.namespace, uid_of(m, "configmap"), m.created, m.labels, m.annotations)}
    if m.data:
        out["data"] = dict(m.data)
    return out


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, existing) -> str:
    return apply_fields(ctx, kind, m, namespace, existing, ConfigMap, {"data": m.spec["data"]})



def _list(cluster, namespace: str, every_ns: bool) -> list:
    objects = stored(cluster, KIND, namespace, every_ns)
    for ns, created in cluster.namespaces.items():
        if (every_ns or ns == namespace) and f"{ns}/{ROOT_CA}" not in cluster.configmaps:
            objects.append(root_ca(ns, created))
    return sorted_by_name(objects, every_ns)


def root_ca(namespace: str, created: float) -> ConfigMap:
    return ConfigMap(name=ROOT_CA, namespace=namespace, created=created,
                     annotations={"kubernetes.io/description": "Contains a CA bundle that can be used to verify the "
                                  "kube-apiserver when using internal endpoints such as the internal service IP or "
                                  "kubernetes.default.svc. No other usage is guaranteed across distributions of "
                                  "Kubernetes clusters."},
                     data={"ca.crt": CA_PEM})


KIND = Kind(
    kind="ConfigMap", plural="configmaps", singular="configmap", short_names=("cm",), group="", api_versions=("v1",),
    store="configmaps", record=ConfigMap,
    schema={**TOP, "data": ANY, "binaryData": NO, "immutable": NO},
    parse=_parse,
    listing=_list,
    columns=(NAME, Column("DATA", lambda ctx, m: str(len(m.data))), AGE),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
