"""Endpoints: the addresses of a Service's ready pods. Nothing stores them: each Service's Endpoints object is
derived from the Service when it is listed (under the Service's name) or printed."""

from __future__ import annotations

from ..api_fields import derived_uid, object_meta
from ..objects import Service
from ..services import endpoint_addresses, endpoints
from . import service
from .kind import AGE, NAME, Column, Kind


def _addresses(ctx, s: Service) -> str:
    addresses = endpoint_addresses(ctx.cluster, s)
    shown = ",".join(addresses[:3]) + (f" + {len(addresses) - 3} more..." if len(addresses) > 3 else "")
    return shown or "<none>"


def _render(sim, cluster, s: Service) -> dict:
    meta = object_meta(s.name, s.namespace, derived_uid(f"endpoints:{s.key}:{s.created}"), s.created, s.labels)
    ports = [{k: v for k, v in (("name", p.get("name")), ("port", p["target_port"]), ("protocol", p["protocol"]))
              if v} for p in s.ports]
    if s.name == "kubernetes" and s.namespace == "default":
        ip = endpoint_addresses(cluster, s)[0].rsplit(":", 1)[0]
        addresses = [{"ip": ip}]
    else:
        addresses = [{"ip": p.ip, "nodeName": p.node,
                      "targetRef": {"kind": "Pod", "name": p.name, "namespace": p.namespace, "uid": p.uid}}
                     for p in sorted(endpoints(cluster, s), key=lambda p: p.ip or "")]
    out = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}
    if addresses:
        out["subsets"] = [{"addresses": addresses, "ports": ports}]
    return out


KIND = Kind(
    kind="Endpoints", plural="endpoints", singular="endpoints", short_names=("ep",), group="",
    listing=lambda cluster, namespace, every_ns: service.KIND.objects(cluster, namespace, every_ns),
    columns=(NAME, Column("ENDPOINTS", _addresses), AGE),
    render=_render,
)
