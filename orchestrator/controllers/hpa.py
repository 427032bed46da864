"""The Horizontal Pod Autoscaler controller (autoscaling/v2, CPU utilization), with the real defaults.

desired = ceil(current × utilization / target), nothing within a 10 % tolerance, pods that are not
ready set aside (counted at 0 % when scaling up), a 300 s scale-down stabilization window, and the
default rate policies: up by max(100 %, 4 pods) and down by 100 % per 15 s.
"""

from __future__ import annotations

import math

from .. import events
from ..model import Cluster, HorizontalPodAutoscaler
from .traffic import pod_cpu_usage

SYNC_PERIOD = 15
TOLERANCE = 0.1
DOWN_WINDOW = 300
UP_WINDOW = 0
POLICY_PERIOD = 15


def reconcile(cluster: Cluster, now: float) -> None:
    for hpa in cluster.hpas.values():
        if hpa.last_sync is None or now - hpa.last_sync >= SYNC_PERIOD:
            hpa.last_sync = now
            _sync(cluster, hpa, now)


def utilization(cluster: Cluster, hpa: HorizontalPodAutoscaler):
    """(utilization %, ready pods counted, not-ready pods set aside with their requests) or None."""
    d = cluster.deployments.get(f"{hpa.namespace}/{hpa.target}")
    if d is None:
        return None
    pods = [p for rs in cluster.replicasets_of(d) for p in cluster.pods_of_rs(rs) if not p.terminating]
    running = [p for p in pods if p.phase == "Running" and p.node is not None]
    ready = [p for p in running if p.ready]
    unready = [p for p in running if not p.ready]
    requests = sum(p.cpu for p in ready)
    if not ready or requests == 0:
        return None
    usage = sum(pod_cpu_usage(p) for p in ready)
    return usage * 100 // requests, ready, unready


def _sync(cluster: Cluster, hpa: HorizontalPodAutoscaler, now: float) -> None:
    d = cluster.deployments.get(f"{hpa.namespace}/{hpa.target}")
    if d is None:
        hpa.condition = f'deployments.apps "{hpa.target}" not found'
        hpa.current_utilization = None
        return
    current = d.replicas
    hpa.current_replicas = current
    if not hpa.recommendations:
        # As the controller does for an HPA it has not seen: the current size counts as a recent
        # recommendation, so a new autoscaler waits out the window before scaling down.
        hpa.recommendations.append([now, current])
    measured = utilization(cluster, hpa)
    if current == 0:
        return  # scaling to zero disables the autoscaler, as in Kubernetes
    if current < hpa.min_replicas or current > hpa.max_replicas:
        # Out of bounds (someone scaled by hand): back inside at once, no metrics, no rate limits.
        below = current < hpa.min_replicas
        target = hpa.min_replicas if below else hpa.max_replicas
        measured = utilization(cluster, hpa)
        hpa.current_utilization = measured[0] if measured else None
        reason = f"Current number of replicas {'below Spec.MinReplicas' if below else 'above Spec.MaxReplicas'}"
        _rescale(cluster, hpa, d, current, target, reason, now)
        return
    if measured is None:
        hpa.condition = ("the HPA was unable to compute the replica count: failed to get cpu utilization: did not "
                         "receive metrics for targeted pods (pods might be unready)")
        hpa.current_utilization = None
        desired = current
    else:
        hpa.condition = ""
        used, ready, unready = measured
        hpa.current_utilization = used
        desired = _desired(hpa, current, used, ready, unready)
    desired = max(hpa.min_replicas, min(hpa.max_replicas, desired))
    desired = _stabilize(hpa, current, desired, now)
    desired = _rate_limit(hpa, current, desired, now)
    reason = ("cpu resource utilization (percentage of request) above target" if desired > current
              else "All metrics below target")
    _rescale(cluster, hpa, d, current, desired, reason, now)


def _rescale(cluster: Cluster, hpa: HorizontalPodAutoscaler, d, current: int, desired: int, reason: str,
             now: float) -> None:
    hpa.desired_replicas = desired
    if desired == current:
        return
    events.record(cluster, now, "Normal", "SuccessfulRescale", "HorizontalPodAutoscaler", hpa.name,
                  f"New size: {desired}; reason: {reason}", "horizontal-pod-autoscaler", hpa.namespace)
    hpa.scale_events.append([now, desired - current])
    if desired > current:
        hpa.scale_ups += 1
    else:
        hpa.scale_downs += 1
    hpa.last_scale = now
    d.replicas = desired
    cluster.mark_deployment(d.key)


def _desired(hpa, current: int, used: int, ready: list, unready: list) -> int:
    ratio = used / hpa.cpu_target
    if not unready:
        if abs(ratio - 1) <= TOLERANCE:
            return current
        return math.ceil(ratio * len(ready))
    if ratio > 1:
        # Not-ready pods might just be starting: count them at 0 % so a scale-up is not overdone.
        total_requests = sum(p.cpu for p in ready + unready)
        total_usage = sum(pod_cpu_usage(p) for p in ready)
        new_ratio = (total_usage * 100 / total_requests) / hpa.cpu_target
        if abs(new_ratio - 1) <= TOLERANCE or new_ratio < 1:
            return current
        proposed = math.ceil(new_ratio * (len(ready) + len(unready)))
        return proposed if proposed > current else current
    if abs(ratio - 1) <= TOLERANCE:
        return current
    proposed = math.ceil(ratio * len(ready))
    return proposed if proposed < current else current


def _stabilize(hpa, current: int, desired: int, now: float) -> int:
    """Scale down only to the highest recommendation of the last 300 s."""
    hpa.recommendations.append([now, desired])
    hpa.recommendations = [r for r in hpa.recommendations if r[0] > now - DOWN_WINDOW]
    up = min((r[1] for r in hpa.recommendations if r[0] > now - UP_WINDOW), default=desired)
    down = max(r[1] for r in hpa.recommendations)
    recommendation = current
    if recommendation < up:
        recommendation = up
    if recommendation > down:
        recommendation = down
    return recommendation


def _rate_limit(hpa, current: int, desired: int, now: float) -> int:
    """Default policies: up by max(100 % of the period's start, 4 pods); down by 100 % per 15 s."""
    recent = [e for e in hpa.scale_events if e[0] > now - POLICY_PERIOD]
    hpa.scale_events = [e for e in hpa.scale_events if e[0] > now - max(POLICY_PERIOD, DOWN_WINDOW)]
    if desired > current:
        added = sum(e[1] for e in recent if e[1] > 0)
        start = current - added
        limit = max(start + 4, math.ceil(start * 2))
        return min(desired, max(limit, current))
    if desired < current:
        removed = -sum(e[1] for e in recent if e[1] < 0)
        start = current + removed
        limit = math.ceil(start * 0.0)  # 100 % down per period: no lower bound but the minimum
        return max(desired, limit)
    return desired
