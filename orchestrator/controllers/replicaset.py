"""The ReplicaSet controller: keep exactly ``replicas`` live pods for each ReplicaSet."""

from __future__ import annotations

from .. import events
from ..model import Cluster, Pod, ReplicaSet
from ..pods import begin_delete, pod_for_replicaset
from ..rng import Rng

_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def reconcile(cluster: Cluster, now: float, rng: Rng, pod_room: int) -> int:
    """Sync every ReplicaSet marked dirty; returns how many pods were created."""
    created = 0
    while cluster._dirty_rs:
        key = next(iter(cluster._dirty_rs))
        del cluster._dirty_rs[key]
        rs = cluster.replicasets.get(key)
        if rs is not None:
            created += _sync(cluster, rs, now, rng, pod_room - created)
    return created


def _sync(cluster: Cluster, rs: ReplicaSet, now: float, rng: Rng, room: int) -> int:
    active = [p for p in cluster.pods_of_rs(rs) if not p.terminating]
    diff = len(active) - rs.replicas
    if diff < 0:
        want = -diff
        allowed = max(0, min(want, room))
        for _ in range(allowed):
            pod = pod_for_replicaset(cluster, rs, now, rng)
            cluster.add_pod(pod)
            events.record(cluster, now, "Normal", "SuccessfulCreate", "ReplicaSet", rs.name,
                          f"Created pod: {pod.name}", "replicaset-controller", rs.namespace)
        if allowed < want:
            events.record(cluster, now, "Warning", "FailedCreate", "ReplicaSet", rs.name,
                          "Error creating: 이 샌드박스의 파드 수 한도에 도달해 파드를 더 만들 수 없습니다",
                          "replicaset-controller", rs.namespace)
        _owner_changed(cluster, rs)
        return allowed
    if diff > 0:
        for pod in sorted(active, key=lambda p: _deletion_rank(p, now))[:diff]:
            begin_delete(cluster, pod, now)
            events.record(cluster, now, "Normal", "SuccessfulDelete", "ReplicaSet", rs.name,
                          f"Deleted pod: {pod.name}", "replicaset-controller", rs.namespace)
    # Pod counts or readiness changed: the owning Deployment may be able to move its rollout on.
    _owner_changed(cluster, rs)
    return 0


def _owner_changed(cluster: Cluster, rs: ReplicaSet) -> None:
    cluster.mark_deployment(f"{rs.namespace}/{rs.deployment}")


def _deletion_rank(pod: Pod, now: float) -> tuple:
    """Which pods go first when scaling down, as controller.ActivePods sorts them: unscheduled before
    scheduled, pending before running, not ready before ready, more restarts first, newer first."""
    return (
        pod.node is not None,
        _PHASE_RANK.get(pod.phase, 3),
        pod.ready,
        -(pod.ready_since or 0) if pod.ready else 0,
        -pod.restarts,
        -pod.created,
    )
