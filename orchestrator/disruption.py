"""PodDisruptionBudgets: how many of the pods a budget covers may be evicted right now.

The arithmetic of kube-controller-manager's disruption controller: ``expected`` pods (the owning controllers'
scale for a percentage or maxUnavailable, else the matching pods), ``desired`` healthy pods from minAvailable or
``expected - maxUnavailable`` (percentages rounded up), ``healthy`` = matching pods that are Ready and not being
deleted, and ``allowed = healthy - desired``, never below 0 and 0 whenever nothing is expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Cluster, Pod, PodDisruptionBudget, matches

VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."


@dataclass(frozen=True)
class Budget:
    expected: int
    desired: int
    healthy: int
    allowed: int


def covered_pods(cluster: Cluster, pdb: PodDisruptionBudget) -> list[Pod]:
    return [p for p in cluster.pods.values() if p.namespace == pdb.namespace and not p.finished
            and matches(pdb.selector, p.labels)]


def budget(cluster: Cluster, pdb: PodDisruptionBudget) -> Budget:
    pods = covered_pods(cluster, pdb)
    healthy = sum(1 for p in pods if p.ready and not p.terminating)
    if pdb.max_unavailable is not None:
        expected = _scale(cluster, pods)
        desired = max(0, expected - _scaled(pdb.max_unavailable, expected))
    elif isinstance(pdb.min_available, str):
        expected = _scale(cluster, pods)
        desired = _scaled(pdb.min_available, expected)
    elif pdb.min_available is not None:
        expected, desired = len(pods), pdb.min_available
    else:
        expected = desired = 0
    allowed = healthy - desired if expected > 0 else 0
    return Budget(expected, desired, healthy, max(0, allowed))


def _scaled(value: int | str, total: int) -> int:
    if isinstance(value, int):
        return value
    return math.ceil(int(value[:-1]) * total / 100)


def _scale(cluster: Cluster, pods: list[Pod]) -> int:
    """The sum of the scale of every controller owning a covered pod (a ReplicaSet counts as its Deployment);
    pods with no scalable owner are left out, as the controller does for "unmanaged" pods."""
    seen: dict[str, int] = {}
    for pod in pods:
        d = cluster.deployment_of(pod)
        if d is not None:
            seen[f"deployment/{d.key}"] = d.replicas
        elif pod.owner_kind == "ReplicaSet":
            rs = cluster.replicasets.get(f"{pod.namespace}/{pod.owner}")
            if rs is not None:
                seen[f"rs/{rs.key}"] = rs.replicas
    return sum(seen.values())


def blocking(cluster: Cluster, pod: Pod) -> PodDisruptionBudget | None:
    """The budget that forbids evicting ``pod`` now, if any (the Eviction API answers 429 then)."""
    for pdb in cluster.pdbs.values():
        if pdb.namespace != pod.namespace or not matches(pdb.selector, pod.labels):
            continue
        b = budget(cluster, pdb)
        # unhealthyPodEvictionPolicy IfHealthyBudget (the default): a pod that is not Ready may go while the
        # budget is met, since it does not count as healthy anyway.
        if not pod.ready and b.desired > 0 and b.healthy >= b.desired:
            continue
        if b.allowed < 1:
            return pdb
    return None
