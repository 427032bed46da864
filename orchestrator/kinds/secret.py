"""Secret: like a ConfigMap, for values that describe and logs must not show. The API server keeps the values
base64-encoded; ``stringData`` is write-only and merged into ``data``, so ``-o yaml`` prints only ``data``."""

from __future__ import annotations

import base64
import binascii

from ..api_fields import object_meta, uid_of
from ..applying import apply_fields
from ..describing import Describer, Lines, object_head
from ..manifests import ANY, NO, TOP, Manifest, ManifestError, Reader, check_config_keys
from ..objects import Secret
from .kind import AGE, NAME, Column, Kind, remove_stored


def _parse(r: Reader, doc: dict) -> dict:
    raw = r.strmap(doc, "data", "Secret", "") or {}
    plain = r.strmap(doc, "stringData", "Secret", "") or {}
    check_config_keys(r, raw, "data")
    check_config_keys(r, plain, "stringData")
    data = {}
    for key, value in raw.items():
        bad = _base64_error(value)
        if bad is not None:
            raise r.bad_request(f"illegal base64 data at input byte {bad}")
        data[key] = value
    for key, value in plain.items():
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


def _describe(ctx: Describer, s: Secret) -> str:
    """Only the size of each value, never the value."""
    w = Lines()
    object_head(w, s)
    w.add("", f"Type:\t{s.type}", "", "Data", "====")
    for key in sorted(s.data):
        w.add(f"{key}:\t{len(base64.b64decode(s.data[key]))} bytes")
    return w.text()


def _render(sim, cluster, s: Secret) -> dict:
    out = {"apiVersion": "v1", "kind": "Secret", "type": s.type,
           "metadata": object_meta(s.name, s.namespace, uid_of(s, "secret"), s.created, s.labels, s.annotations)}
    if s.data:
        out["data"] = dict(s.data)
    return out


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, existing) -> str:
    if existing is not None and existing.type != m.spec["type"]:
        raise ManifestError(f'The Secret "{m.name}" is invalid: type: Invalid value: "{m.spec["type"]}": field is '
                           "immutable")
    return apply_fields(ctx, kind, m, namespace, existing, Secret, {"data": m.spec["data"], "type": m.spec["type"]})


KIND = Kind(
    kind="Secret", plural="secrets", singular="secret", short_names=(), group="", api_versions=("v1",),
    store="secrets", record=Secret,
    schema={**TOP, "data": ANY, "stringData": ANY, "type": ANY, "immutable": NO},
    parse=_parse,
    columns=(NAME, Column("TYPE", lambda ctx, s: s.type), Column("DATA", lambda ctx, s: str(len(s.data))), AGE),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
