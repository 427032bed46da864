"""``kubectl describe hpa``: kubectl 1.33's describeHorizontalPodAutoscalerV2, line for line, with the conditions
the HPA controller sets on each sync."""

from __future__ import annotations

import math

from ..controllers.hpa import TOLERANCE, utilization
from ..describing import Describer, Lines
from ..model import Cluster, HorizontalPodAutoscaler
from ..quantity import format_cpu
from ..timefmt import rfc1123z


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
