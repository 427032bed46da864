"""PodDisruptionBudget: how many of an application's pods a voluntary disruption (a drain) may take at once."""

from __future__ import annotations

from ..api_fields import iso, object_meta, uid_of
from ..applying import apply_fields
from ..describing import Describer, Lines, format_labels
from ..disruption import budget
from ..manifests import ANY, NO, PERCENT_RE, TOP, Manifest, Reader
from ..objects import PodDisruptionBudget
from .kind import AGE, NAME, Column, Kind, remove_stored


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "PodDisruptionBudget", "", "v1.PodDisruptionBudgetSpec")
    selector = r.dict(spec, "selector", "PodDisruptionBudgetSpec", "spec", "v1.LabelSelector")
    out: dict = {"selector": r.strmap(selector, "matchLabels", "LabelSelector", "spec.selector") or {}}
    for key, target in (("minAvailable", "min_available"), ("maxUnavailable", "max_unavailable")):
        value = r.int_or_str(spec, key, "PodDisruptionBudgetSpec", "spec")
        if value is None:
            continue
        at = f"spec.{key}"
        if isinstance(value, str):
            if not PERCENT_RE.match(value):
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


def _describe(ctx: Describer, p: PodDisruptionBudget) -> str:
    w = Lines()
    b = budget(ctx.cluster, p)
    w.add(f"Name:\t{p.name}", f"Namespace:\t{p.namespace}")
    if p.min_available is not None:
        w.add(f"Min available:\t{p.min_available}")
    if p.max_unavailable is not None:
        w.add(f"Max unavailable:\t{p.max_unavailable}")
    w.add(f"Selector:\t{format_labels(p.selector)}", "Status:", f"    Allowed disruptions:\t{b.allowed}",
          f"    Current:\t{b.healthy}", f"    Desired:\t{b.desired}", f"    Total:\t{b.expected}")
    ctx.events(w, "PodDisruptionBudget", p.name, p.namespace)
    return w.text()


def _render(sim, cluster, p: PodDisruptionBudget) -> dict:
    b = budget(cluster, p)
    spec: dict = {"selector": {"matchLabels": dict(p.selector)}}
    if p.min_available is not None:
        spec["minAvailable"] = p.min_available
    if p.max_unavailable is not None:
        spec["maxUnavailable"] = p.max_unavailable
    stamp = iso(p.created)
    condition = {"type": "DisruptionAllowed", "status": "True" if b.allowed > 0 else "False",
                 "reason": "SufficientPods" if b.allowed > 0 else "InsufficientPods", "message": "",
                 "lastTransitionTime": stamp, "observedGeneration": 1}
    status = {"currentHealthy": b.healthy, "desiredHealthy": b.desired, "disruptionsAllowed": b.allowed,
              "expectedPods": b.expected, "observedGeneration": 1, "conditions": [condition]}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": object_meta(p.name, p.namespace, uid_of(p, "pdb"), p.created, p.labels, generation=1),
            "spec": spec, "status": status}


def _int_or_percent(value) -> str:
    return "N/A" if value is None else str(value)


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, existing) -> str:
    fields = {"selector": m.spec["selector"], "min_available": m.spec.get("min_available"),
              "max_unavailable": m.spec.get("max_unavailable")}
    return apply_fields(ctx, kind, m, namespace, existing, PodDisruptionBudget, fields)


KIND = Kind(
    kind="PodDisruptionBudget", plural="poddisruptionbudgets", singular="poddisruptionbudget", short_names=("pdb",),
    group="policy", api_versions=("policy/v1",), store="pdbs", record=PodDisruptionBudget,
    schema={**TOP, "spec": {
        "selector": {"matchLabels": ANY, "matchExpressions": NO}, "minAvailable": ANY, "maxUnavailable": ANY,
        "unhealthyPodEvictionPolicy": NO}},
    parse=_parse,
    columns=(NAME, Column("MIN AVAILABLE", lambda ctx, p: _int_or_percent(p.min_available)),
             Column("MAX UNAVAILABLE", lambda ctx, p: _int_or_percent(p.max_unavailable)),
             Column("ALLOWED DISRUPTIONS", lambda ctx, p: str(budget(ctx.cluster, p).allowed)), AGE),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
