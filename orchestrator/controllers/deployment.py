"""The Deployment controller: one ReplicaSet per pod template, rolled over with RollingUpdate."""

from __future__ import annotations

import math

from .. import events
from ..model import Cluster, Deployment, ReplicaSet
from ..naming import pod_template_hash, uid
from ..rng import Rng


def resolve(value: str | int, replicas: int, round_up: bool) -> int:
    """maxSurge rounds a percentage up, maxUnavailable rounds it down."""
    if isinstance(value, int) or not str(value).endswith("%"):
        return int(value)
    exact = int(str(value)[:-1]) * replicas / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def surge_and_unavailable(d: Deployment) -> tuple[int, int]:
    surge = resolve(d.max_surge, d.replicas, True)
    unavailable = resolve(d.max_unavailable, d.replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def available(cluster: Cluster, rs: ReplicaSet) -> int:
    return sum(1 for p in cluster.pods_of_rs(rs) if p.ready and not p.terminating)


def reconcile(cluster: Cluster, now: float, rng: Rng) -> None:
    while cluster._dirty_deploy:
        key = next(iter(cluster._dirty_deploy))
        del cluster._dirty_deploy[key]
        deployment = cluster.deployments.get(key)
        if deployment is not None:
            _sync(cluster, deployment, now, rng)
    for d in cluster.deployments.values():
        if d.progress_reason in PROGRESSING and not d.paused and now - d.last_progress > d.progress_deadline:
            d.progress_reason = "ProgressDeadlineExceeded"
            new = new_replicaset(cluster, d)
            events.record(cluster, now, "Warning", "ProgressDeadlineExceeded", "Deployment", d.name,
                          f'ReplicaSet "{new.name if new else d.name}" has timed out progressing.',
                          "deployment-controller", d.namespace)


PROGRESSING = ("NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated")


def new_replicaset(cluster: Cluster, d: Deployment) -> ReplicaSet | None:
    template_hash = pod_template_hash(d.template)
    return cluster.replicasets.get(f"{d.namespace}/{d.name}-{template_hash}")


def _sync(cluster: Cluster, d: Deployment, now: float, rng: Rng) -> None:
    owned = sorted(cluster.replicasets_of(d), key=lambda rs: (rs.created, rs.name))
    new = new_replicaset(cluster, d)
    old = [rs for rs in owned if rs is not new]
    if d.paused:
        # A paused deployment still scales, but starts no new rollout.
        active = [rs for rs in owned if rs.replicas > 0] or ([new] if new else owned[-1:])
        if len(active) == 1:
            _scale(cluster, active[0], d.replicas, now)
        return
    created = new is None
    if new is None:
        template_hash = pod_template_hash(d.template)
        new = ReplicaSet(
            name=f"{d.name}-{template_hash}", namespace=d.namespace, deployment=d.name,
            template_hash=template_hash, template=d.template,
            selector={**d.selector, "pod-template-hash": template_hash}, replicas=0,
            revision=max((rs.revision for rs in owned), default=0) + 1, created=now, uid=uid(rng),
            change_cause=d.annotations.get("kubernetes.io/change-cause"),
        )
        cluster.replicasets[new.key] = new
    elif old and new.revision < max(rs.revision for rs in old):
        new.revision = max(rs.revision for rs in old) + 1  # rolling back makes the old template newest

    elif old:
        new.change_cause = d.annotations.get("kubernetes.io/change-cause", new.change_cause)

    active_old = [rs for rs in old if rs.replicas > 0]
    if not active_old:
        _scale(cluster, new, d.replicas, now)
    elif d.strategy == "Recreate":
        for rs in active_old:
            _scale(cluster, rs, 0, now)
        if not any(cluster.pods_of_rs(rs) for rs in active_old):
            _scale(cluster, new, d.replicas, now)
    else:
        _roll(cluster, d, new, active_old, now)
    _track_progress(cluster, d, new, created, now)
    _prune_history(cluster, d, new)


def _track_progress(cluster: Cluster, d: Deployment, new: ReplicaSet, created: bool, now: float) -> None:
    """Keep the Progressing condition: any movement of the rollout resets the progress deadline."""
    old_pods = sum(len(cluster.pods_of_rs(rs)) for rs in cluster.replicasets_of(d) if rs is not new)
    mark = [new.name, new.replicas, available(cluster, new), old_pods]
    complete = new.replicas == d.replicas and available(cluster, new) == d.replicas and old_pods == 0
    if complete:
        if d.progress_reason != "NewReplicaSetAvailable":
            d.progress_reason = "NewReplicaSetAvailable"
            d.last_progress = now
    elif mark != d.progress_mark or d.progress_reason == "NewReplicaSetAvailable":
        d.progress_reason = "NewReplicaSetCreated" if created else "ReplicaSetUpdated"
        d.last_progress = now
    d.progress_mark = mark


def _roll(cluster: Cluster, d: Deployment, new: ReplicaSet, old: list[ReplicaSet], now: float) -> None:
    surge, max_unavailable = surge_and_unavailable(d)
    total = new.replicas + sum(rs.replicas for rs in old)
    # Scale the new ReplicaSet up as far as maxSurge allows.
    if new.replicas > d.replicas:
        _scale(cluster, new, d.replicas, now)
    elif new.replicas < d.replicas and total < d.replicas + surge:
        step = min(d.replicas + surge - total, d.replicas - new.replicas)
        _scale(cluster, new, new.replicas + step, now)
    # Scale old ReplicaSets down as far as maxUnavailable allows, unhealthy pods first.
    total = new.replicas + sum(rs.replicas for rs in old)
    min_available = d.replicas - max_unavailable
    new_unavailable = new.replicas - available(cluster, new)
    budget = total - min_available - new_unavailable
    if budget <= 0:
        return
    for rs in old:
        unhealthy = rs.replicas - available(cluster, rs)
        cut = min(budget, unhealthy)
        if cut > 0:
            _scale(cluster, rs, rs.replicas - cut, now)
            budget -= cut
    available_total = available(cluster, new) + sum(available(cluster, rs) for rs in old)
    budget = min(budget, available_total - min_available)
    for rs in old:
        if budget <= 0:
            break
        cut = min(rs.replicas, budget)
        if cut > 0:
            _scale(cluster, rs, rs.replicas - cut, now)
            budget -= cut


def _scale(cluster: Cluster, rs: ReplicaSet, replicas: int, now: float) -> None:
    if rs.replicas == replicas:
        return
    verb = "up" if replicas > rs.replicas else "down"
    events.record(cluster, now, "Normal", "ScalingReplicaSet", "Deployment", rs.deployment,
                  f"Scaled {verb} replica set {rs.name} from {rs.replicas} to {replicas}",
                  "deployment-controller", rs.namespace)
    rs.replicas = replicas
    cluster.mark_rs(rs.key)


def _prune_history(cluster: Cluster, d: Deployment, new: ReplicaSet) -> None:
    idle = [rs for rs in cluster.replicasets_of(d)
            if rs is not new and rs.replicas == 0 and not cluster.pods_of_rs(rs)]
    idle.sort(key=lambda rs: rs.revision)
    for rs in idle[: max(0, len(idle) - d.revision_history_limit)]:
        del cluster.replicasets[rs.key]


def status(cluster: Cluster, d: Deployment) -> dict[str, int]:
    """The numbers ``kubectl get deployments`` shows: ready, up-to-date, available, total."""
    new = new_replicaset(cluster, d)
    replicas = ready = updated = 0
    for rs in cluster.replicasets_of(d):
        for pod in cluster.pods_of_rs(rs):
            if pod.terminating:
                continue
            replicas += 1
            ready += pod.ready
            if rs is new:
                updated += 1
    return {"replicas": replicas, "ready": ready, "updated": updated, "available": ready}
