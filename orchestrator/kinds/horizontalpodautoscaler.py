"""HorizontalPodAutoscaler: scales a Deployment to keep its pods' average CPU use near a target (the controller is
controllers/hpa.py). ``kubectl describe hpa`` is kubectl 1.33's describeHorizontalPodAutoscalerV2, line for line,
with the conditions the controller sets on each sync. Manifests may be autoscaling/v2 or the older v1."""

from __future__ import annotations

import math

from ..api_fields import derived_uid, iso, object_meta
from ..applying import merged
from ..controllers.hpa import TOLERANCE, utilization
from ..describing import Describer, Lines
from ..manifests import ANY, NO, TOP, Manifest, ManifestError, Reader
from ..model import Cluster
from ..naming import uid
from ..objects import HorizontalPodAutoscaler
from ..quantity import format_cpu
from ..timefmt import rfc1123z
from .kind import AGE, NAME, Column, Kind, remove_stored


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "HorizontalPodAutoscaler", "", "v1.HorizontalPodAutoscalerSpec")
    ref = r.dict(spec, "scaleTargetRef", "HorizontalPodAutoscalerSpec", "spec", "CrossVersionObjectReference")
    for key in ("kind", "name"):
        if not r.str(ref, key, "CrossVersionObjectReference", "spec.scaleTargetRef"):
            raise r.invalid(f"spec.scaleTargetRef.{key}", "Required value")
    if ref["kind"] != "Deployment":
        raise ManifestError(f"HPA의 scaleTargetRef는 지금은 Deployment만 가리킬 수 있습니다 (받은 값: {ref['kind']}).")
    low = r.int(spec, "minReplicas", "HorizontalPodAutoscalerSpec", "spec")
    low = 1 if low is None else low
    if low < 1:
        raise r.invalid("spec.minReplicas", f"Invalid value: {low}: must be greater than or equal to 1")
    high = r.int(spec, "maxReplicas", "HorizontalPodAutoscalerSpec", "spec") or 0
    if high < 1:
        raise r.invalid("spec.maxReplicas", f"Invalid value: {high}: must be greater than 0")
    if high < low:
        raise r.invalid("spec.maxReplicas", f"Invalid value: {high}: must be greater than or equal to `minReplicas`")
    target = 80  # the controller's default when no metric is given
    if r.version == "v1":
        given = r.int(spec, "targetCPUUtilizationPercentage", "HorizontalPodAutoscalerSpec", "spec")
        target = target if given is None else given
        where = "spec.targetCPUUtilizationPercentage"
    else:
        metrics = r.items(spec, "metrics", "HorizontalPodAutoscalerSpec", "spec", "v2.MetricSpec")
        if len(metrics) > 1:
            raise ManifestError("HPA 지표(metrics)는 지금은 CPU 사용률 하나만 쓸 수 있습니다.")
        where = "spec.metrics[0].resource.target.averageUtilization"
        if metrics:
            resource = r.dict(metrics[0], "resource", "MetricSpec", "spec.metrics[0]", "v2.ResourceMetricSource")
            goal = r.dict(resource, "target", "ResourceMetricSource", "spec.metrics[0].resource", "v2.MetricTarget")
            if metrics[0].get("type") != "Resource" or resource.get("name") != "cpu" or \
                    goal.get("type") != "Utilization":
                raise ManifestError("HPA 지표(metrics)는 지금은 type: Resource, resource.name: cpu, target.type: "
                                    "Utilization 형태만 쓸 수 있습니다.")
            given = r.int(goal, "averageUtilization", "MetricTarget", "spec.metrics[0].resource.target")
            target = target if given is None else given
    if target < 1:
        raise r.invalid(where, f"Invalid value: {target}: must be greater than 0")
    return {"target": ref["name"], "min_replicas": low, "max_replicas": high, "cpu_target": target}


def describe_hpa(ctx: Describer, hpa: HorizontalPodAutoscaler) -> str:
    """``kubectl describe hpa NAME`` for an autoscaling/v2 HPA with one CPU utilization target: kubectl 1.33's
    describeHorizontalPodAutoscalerV2."""
    cluster = ctx.cluster
    w = Lines()
    w.add(f"Name:\t{hpa.name}", f"Namespace:\t{hpa.namespace}")
    w.labels("Labels", hpa.labels)
    w.annotations("Annotations", {})
    w.add(f"CreationTimestamp:\t{rfc1123z(hpa.created)}", f"Reference:\tDeployment/{hpa.target}",
          "Metrics:\t( current / target )",
          f"  resource cpu on pods  (as a percentage of request):\t{_current(cluster, hpa)} / {hpa.cpu_target}%",
          f"Min replicas:\t{hpa.min_replicas}", f"Max replicas:\t{hpa.max_replicas}")
    current = hpa.current_replicas or 0
    desired = hpa.desired_replicas if hpa.last_sync is not None and hpa.current_replicas is not None else 0
    w.add(f"Deployment pods:\t{current} current / {desired} desired")
    conditions = _conditions(cluster, hpa)
    if conditions:
        w.add("Conditions:", "  Type\tStatus\tReason\tMessage", "  ----\t------\t------\t-------")
        w.add(*(f"  {kind}\t{status}\t{reason}\t{message}" for kind, status, reason, message in conditions))
    ctx.events(w, "HorizontalPodAutoscaler", hpa.name, hpa.namespace)
    return w.text()


def _current(cluster: Cluster, hpa: HorizontalPodAutoscaler) -> str:
    """``45% (45m)``: the utilization of the last sync and the average usage per pod it stands for."""
    if hpa.current_utilization is None:
        return "<unknown>"
    measured = utilization(cluster, hpa)
    if measured is None:
        return f"{hpa.current_utilization}% (0)"
    _, ready, _ = measured
    average_request = sum(p.cpu for p in ready) / len(ready)
    return f"{hpa.current_utilization}% ({format_cpu(int(hpa.current_utilization * average_request / 100))})"


def _conditions(cluster: Cluster, hpa: HorizontalPodAutoscaler) -> list[tuple[str, str, str, str]]:
    """AbleToScale, ScalingActive and ScalingLimited as the HPA controller sets them on each sync."""
    if hpa.last_sync is None:
        return []  # not synced yet: kubectl prints no Conditions section at all
    d = cluster.deployments.get(f"{hpa.namespace}/{hpa.target}")
    if d is None:
        return [("AbleToScale", "False", "FailedGetScale",
                 f"the HPA controller was unable to get the target's current scale: deployments/scale.apps "
                 f'"{hpa.target}" not found')]
    got_scale = ("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's "
                 "current scale")
    if hpa.current_replicas == 0:
        return [got_scale, ("ScalingActive", "False", "ScalingDisabled",
                            "scaling is disabled since the replica count of the target is zero")]
    if hpa.condition:
        return [got_scale, ("ScalingActive", "False", "FailedGetResourceMetric", hpa.condition)]
    latest = hpa.recommendations[-1][1] if hpa.recommendations else hpa.desired_replicas
    if hpa.last_scale is not None and hpa.last_scale == hpa.last_sync:
        able = ("AbleToScale", "True", "SucceededRescale",
                f"the HPA controller was able to update the target scale to {hpa.desired_replicas}")
    elif latest < hpa.desired_replicas:
        able = ("AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current "
                "one, applying the highest recent recommendation")
    else:
        able = ("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
    active = ("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica "
              "count from cpu resource utilization (percentage of request)")
    return [able, active, _limited(cluster, hpa, latest)]


def _limited(cluster: Cluster, hpa: HorizontalPodAutoscaler, latest: int) -> tuple[str, str, str, str]:
    raw = _raw_recommendation(cluster, hpa)
    if raw is not None and raw > hpa.max_replicas:
        return ("ScalingLimited", "True", "TooManyReplicas",
                "the desired replica count is more than the maximum replica count")
    if raw is not None and raw < hpa.min_replicas:
        return ("ScalingLimited", "True", "TooFewReplicas",
                "the desired replica count is less than the minimum replica count")
    if hpa.desired_replicas < latest:
        return ("ScalingLimited", "True", "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate")
    return ("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range")


def _raw_recommendation(cluster: Cluster, hpa: HorizontalPodAutoscaler) -> int | None:
    """ceil(ready pods x utilization / target), before min/max: only used to name the limit that applied."""
    if hpa.current_utilization is None or hpa.current_replicas is None:
        return None
    measured = utilization(cluster, hpa)
    ready = len(measured[1]) if measured else hpa.current_replicas
    ratio = hpa.current_utilization / hpa.cpu_target
    if abs(ratio - 1) <= TOLERANCE:
        return hpa.current_replicas
    return math.ceil(ratio * ready)


def _render(sim, cluster, h: HorizontalPodAutoscaler) -> dict:
    metric = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                         "averageUtilization": h.cpu_target}}}
    status: dict = {"currentReplicas": h.current_replicas or 0, "desiredReplicas": h.desired_replicas}
    if h.current_utilization is not None:
        status["currentMetrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "current": {"averageUtilization": h.current_utilization}}}]
    if h.last_scale is not None:
        status["lastScaleTime"] = iso(h.last_scale)
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": object_meta(h.name, h.namespace, h.uid or derived_uid(f"hpa:{h.key}"), h.created, h.labels),
            "spec": {"maxReplicas": h.max_replicas, "metrics": [metric], "minReplicas": h.min_replicas,
                     "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": h.target}},
            "status": status}


def _targets(ctx, h: HorizontalPodAutoscaler) -> str:
    now = "<unknown>" if h.current_utilization is None else f"{h.current_utilization}%"
    return f"cpu: {now}/{h.cpu_target}%"


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, hpa: HorizontalPodAutoscaler | None) -> str:
    sim, spec = ctx.sim, m.spec
    if spec["max_replicas"] > sim.limits.max_pods:
        raise ManifestError(f"이 샌드박스에서는 maxReplicas를 {sim.limits.max_pods:,} 이하로 정해 주세요.")
    if hpa is None:
        if ctx.commit:
            created = HorizontalPodAutoscaler(name=m.name, namespace=namespace, created=sim.time, uid=uid(sim.rng),
                                              labels=dict(m.labels or {}), target=spec["target"],
                                              min_replicas=spec["min_replicas"], max_replicas=spec["max_replicas"],
                                              cpu_target=spec["cpu_target"])
            ctx.cluster.hpas[created.key] = created
        return "created"
    labels = merged(hpa.labels, m.labels)
    if all(getattr(hpa, k) == v for k, v in spec.items()) and labels == hpa.labels:
        return "unchanged"
    if ctx.commit:
        for key, value in spec.items():
            setattr(hpa, key, value)
        hpa.labels = labels
    return "configured"


KIND = Kind(
    kind="HorizontalPodAutoscaler", plural="horizontalpodautoscalers", singular="horizontalpodautoscaler",
    short_names=("hpa",), group="autoscaling", api_versions=("autoscaling/v2", "autoscaling/v1"), store="hpas",
    record=HorizontalPodAutoscaler,
    schemas={
        "v2": {**TOP, "spec": {
            "scaleTargetRef": {"apiVersion": ANY, "kind": ANY, "name": ANY}, "minReplicas": ANY, "maxReplicas": ANY,
            "metrics": [{"type": ANY, "resource": {"name": ANY, "target": {
                "type": ANY, "averageUtilization": ANY, "averageValue": NO, "value": NO}},
                **dict.fromkeys(("pods", "object", "external", "containerResource"), NO)}],
            "behavior": NO}},
        "v1": {**TOP, "spec": {
            "scaleTargetRef": {"apiVersion": ANY, "kind": ANY, "name": ANY}, "minReplicas": ANY, "maxReplicas": ANY,
            "targetCPUUtilizationPercentage": ANY}},
    },
    parse=_parse,
    columns=(NAME, Column("REFERENCE", lambda ctx, h: f"Deployment/{h.target}"), Column("TARGETS", _targets),
             Column("MINPODS", lambda ctx, h: str(h.min_replicas)),
             Column("MAXPODS", lambda ctx, h: str(h.max_replicas)),
             Column("REPLICAS", lambda ctx, h: "0" if h.current_replicas is None else str(h.current_replicas)), AGE),
    describe=describe_hpa,
    render=_render,
    apply=_apply,
    delete=remove_stored,
)
