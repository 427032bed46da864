"""``kubectl describe`` for ConfigMaps and Secrets, after kubectl's describers: a Secret shows only the size of
each value, never the value."""

from __future__ import annotations

import base64

from ..model import ConfigMap, Secret
from .describing import Describer, Lines


def _head(w: Lines, obj, annotations: dict | None = None) -> None:
    w.add(f"Name:\t{obj.name}", f"Namespace:\t{obj.namespace}")
    w.labels("Labels", obj.labels)
    w.annotations("Annotations", annotations if annotations is not None else getattr(obj, "annotations", {}))


def describe_configmap(ctx: Describer, m: ConfigMap) -> str:
    w = Lines()
    _head(w, m)
    w.add("", "Data", "====")
    for key in sorted(m.data):
        w.add(f"{key}:", "----", *m.data[key].removesuffix("\n").split("\n"), "")
    w.add("BinaryData", "====", "")
    ctx.events(w, "ConfigMap", m.name, m.namespace)
    return w.text()


def describe_secret(ctx: Describer, s: Secret) -> str:
    w = Lines()
    _head(w, s)
    w.add("", f"Type:\t{s.type}", "", "Data", "====")
    for key in sorted(s.data):
        w.add(f"{key}:\t{len(base64.b64decode(s.data[key]))} bytes")
    return w.text()
