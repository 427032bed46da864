"""GKE's cluster autoscaler (and Autopilot's node auto-provisioning), with the open-source defaults.

Scale up: pods the scheduler could not place make the autoscaler order nodes from a node pool whose
template node would fit them. Scale down: a node whose requests stay under 50 % of allocatable for
10 minutes, and whose pods fit elsewhere, is drained and removed (not within 10 minutes of a scale-up).
Simplification, stated: ordered VMs register as Ready nodes after PROVISION_SECONDS; real GCE usually
takes one to four minutes.
"""

from __future__ import annotations

from .. import events, gke
from ..model import Cluster, Node, NodePool, Pod, matches
from ..pods import begin_delete
from ..rng import Rng

SCAN_INTERVAL = 10
PROVISION_SECONDS = 90
UTILIZATION_THRESHOLD = 0.5
UNNEEDED_TIME = 600
DELAY_AFTER_ADD = 600
MAX_EMPTY_BULK_DELETE = 10
# Autopilot picks a machine big enough for the pod; these are the shapes it may choose from here.
AUTOPILOT_MACHINES = ("e2-standard-2", "e2-standard-4", "e2-standard-8")


def reconcile(cluster: Cluster, now: float, rng: Rng, ips: dict[str, int], project: str, room: int,
              max_nodes: int) -> None:
    """``room``: pods the project may still add; ``max_nodes``: the cluster's node cap (Limits)."""
    _register_ordered_nodes(cluster, now, rng, ips)
    autoscaled = [p for p in cluster.node_pools if p.autoscaling]
    if not autoscaled and cluster.mode != "autopilot":
        return
    if now - cluster.autoscaler_scan < SCAN_INTERVAL:
        return
    cluster.autoscaler_scan = now
    node_room = max_nodes - len(cluster.nodes) - sum(len(p.provisioning) for p in cluster.node_pools)
    if not _scale_up(cluster, now, rng, project, min(room, node_room * (1 + len(gke.SYSTEM_DAEMONS)))):
        _scale_down(cluster, now)


def pool_nodes(cluster: Cluster, pool: NodePool) -> list[Node]:
    return [n for n in cluster.nodes.values() if n.pool == pool.name]


def _register_ordered_nodes(cluster: Cluster, now: float, rng: Rng, ips: dict[str, int]) -> None:
    for pool in cluster.node_pools:
        ready = [entry for entry in pool.provisioning if entry[0] <= now]
        if not ready:
            continue
        pool.provisioning = [entry for entry in pool.provisioning if entry[0] > now]
        for _, zone in ready:
            gke.add_node(cluster, pool, zone, now, rng, ips)


def _pending(cluster: Cluster) -> list[Pod]:
    return [cluster.pods[k] for k in cluster._sched_set
            if k in cluster.pods and cluster.pods[k].unschedulable and cluster.pods[k].node is None]


def _room_in(pool: NodePool, cluster: Cluster) -> int:
    limit = pool.autoscaling["max"] * len(pool.zones)
    return limit - len(pool_nodes(cluster, pool)) - len(pool.provisioning)


def _pool_labels(cluster: Cluster, pool: NodePool) -> dict[str, str]:
    return {"cloud.google.com/gke-nodepool": pool.name, "node.kubernetes.io/instance-type": pool.machine_type,
            "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}


def _plan(cluster: Cluster, pool: NodePool, pods: list[Pod]) -> tuple[int, list[Pod]]:
    """First-fit the pods onto new template nodes of this pool: how many nodes, which pods they take."""
    cpu, memory = gke.template_capacity(pool.machine_type)
    bins: list[list[int]] = []
    placed = []
    limit = max(0, _room_in(pool, cluster))
    labels = _pool_labels(cluster, pool)
    for pod in pods:
        if pod.cpu > cpu or pod.memory > memory or not matches(pod.node_selector, labels):
            continue
        for b in bins:
            if b[0] >= pod.cpu and b[1] >= pod.memory:
                b[0] -= pod.cpu
                b[1] -= pod.memory
                placed.append(pod)
                break
        else:
            if len(bins) < limit:
                bins.append([cpu - pod.cpu, memory - pod.memory])
                placed.append(pod)
    return len(bins), placed


def _upcoming_absorb(cluster: Cluster, pending: list[Pod]) -> list[Pod]:
    """Leave out pods that existing nodes (a node may have just registered) or nodes already being
    provisioned will take: the autoscaler must not order twice."""
    bins = [[n.cpu - n._req_cpu, n.memory - n._req_mem, n.labels] for n in cluster.nodes.values()
            if n.ready == "True" and not n.unschedulable and n.down_since is None
            and not any(t["effect"] in ("NoSchedule", "NoExecute") for t in n.taints)]
    for pool in cluster.node_pools:
        cpu, memory = gke.template_capacity(pool.machine_type)
        labels = _pool_labels(cluster, pool)
        bins += [[cpu, memory, labels] for _ in pool.provisioning]
    left = []
    for pod in pending:
        for b in bins:
            if b[0] >= pod.cpu and b[1] >= pod.memory and matches(pod.node_selector, b[2]):
                b[0] -= pod.cpu
                b[1] -= pod.memory
                break
        else:
            left.append(pod)
    return left


def _scale_up(cluster: Cluster, now: float, rng: Rng, project: str, room: int) -> bool:
    pending = _upcoming_absorb(cluster, _pending(cluster))
    if not pending:
        return False
    if cluster.mode == "autopilot":
        _provision_pool_for(cluster, pending, now, rng)
    options = [(pool, *_plan(cluster, pool, pending)) for pool in cluster.node_pools if pool.autoscaling]
    options = [o for o in options if o[1] > 0]
    if not options:
        for pod in pending:
            events.record(cluster, now, "Normal", "NotTriggerScaleUp", "Pod", pod.name,
                          f"pod didn't trigger scale-up: {_why_not(cluster, pod)}", "cluster-autoscaler",
                          pod.namespace)
        return False
    # The "random" expander, seeded: any pool that helps may be chosen.
    pool, count, helped = options[rng.below(len(options))] if len(options) > 1 else options[0]
    per_system_pods = 1 + len(gke.SYSTEM_DAEMONS)
    count = min(count, room // per_system_pods)
    if count <= 0:
        return False
    def in_zone(zone: str) -> int:
        return (sum(1 for n in pool_nodes(cluster, pool) if n.zone == zone)
                + sum(1 for e in pool.provisioning if e[1] == zone))

    before = {zone: in_zone(zone) for zone in pool.zones}
    for _ in range(count):
        zone = min(pool.zones, key=lambda z: (in_zone(z), pool.zones.index(z)))
        pool.provisioning.append([now + PROVISION_SECONDS, zone])
    # One managed instance group per zone, as GKE has them; the message names each group that grows.
    prefix = "gk3" if cluster.mode == "autopilot" else "gke"
    groups = []
    for zone in pool.zones:
        after = in_zone(zone)
        if after != before[zone]:
            url = (f"https://www.googleapis.com/compute/v1/projects/{project}/zones/{zone}/instanceGroups/"
                   f"{prefix}-{cluster.name}-{pool.name}-{pool.group_hashes.get(zone, '0' * 8)}-grp")
            groups.append(f"{{{url} {before[zone]}->{after} (max: {pool.autoscaling['max']})}}")
    message = f"pod triggered scale-up: [{' '.join(groups)}]"
    for pod in helped:
        events.record(cluster, now, "Normal", "TriggeredScaleUp", "Pod", pod.name, message, "cluster-autoscaler",
                      pod.namespace)
    cluster.last_scale_up = now
    return True


def _why_not(cluster: Cluster, pod: Pod) -> str:
    reasons: dict[str, int] = {}
    for pool in cluster.node_pools:
        if not pool.autoscaling:
            continue
        cpu, memory = gke.template_capacity(pool.machine_type)
        if not matches(pod.node_selector, _pool_labels(cluster, pool)):
            reason = "node(s) didn't match Pod's node affinity/selector"
        elif pod.cpu > cpu:
            reason = "Insufficient cpu"
        elif pod.memory > memory:
            reason = "Insufficient memory"
        else:
            reason = "max node group size reached"
        reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        return "no node group can be scaled up"
    return ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))


def _provision_pool_for(cluster: Cluster, pending: list[Pod], now: float, rng: Rng) -> None:
    """Autopilot: when no pool's machine can hold a pending pod, create one whose machine can."""
    for pod in pending:
        fits = any(pool.autoscaling and pod.cpu <= gke.template_capacity(pool.machine_type)[0]
                   and pod.memory <= gke.template_capacity(pool.machine_type)[1] for pool in cluster.node_pools)
        if fits:
            continue
        for machine in AUTOPILOT_MACHINES:
            cpu, memory = gke.template_capacity(machine)
            if pod.cpu <= cpu and pod.memory <= memory:
                name = f"nap-{machine}-{len(cluster.node_pools)}"
                if not any(p.name == name for p in cluster.node_pools):
                    pool = NodePool(name=name, machine_type=machine, zones=list(cluster.zones), size_per_zone=0,
                                    group_hashes={z: rng.token("0123456789abcdef", 8) for z in cluster.zones},
                                    created=now, autoscaling={"min": 0, "max": 1000})
                    cluster.node_pools.append(pool)
                break


def _utilization(cluster: Cluster, node: Node) -> float:
    return max(node._req_cpu / node.cpu if node.cpu else 1.0, node._req_mem / node.memory if node.memory else 1.0)


def _movable(cluster: Cluster, node: Node, others: list[Node]) -> bool:
    """Can every pod that would need a new home fit on the other nodes' free requests?"""
    free = [[n.cpu - n._req_cpu, n.memory - n._req_mem] for n in others]
    for pod in cluster.pods_on(node):
        if pod.owner_kind in ("DaemonSet", "Node") or pod.terminating:
            continue
        if pod.owner_kind is None:
            return False  # a bare pod would be lost: the autoscaler leaves such nodes alone
        for slot in free:
            if slot[0] >= pod.cpu and slot[1] >= pod.memory:
                slot[0] -= pod.cpu
                slot[1] -= pod.memory
                break
        else:
            return False
    return True


def _scale_down(cluster: Cluster, now: float) -> None:
    if cluster.last_scale_up is not None and now - cluster.last_scale_up < DELAY_AFTER_ADD:
        return
    if any(p.provisioning for p in cluster.node_pools):
        return
    candidates = []
    for pool in cluster.node_pools:
        if not pool.autoscaling:
            continue
        nodes = pool_nodes(cluster, pool)
        for node in nodes:
            others = [n for n in cluster.nodes.values() if n is not node and n.ready == "True"
                      and not n.unschedulable and n.down_since is None]
            underused = (node.ready == "True" and _utilization(cluster, node) < UTILIZATION_THRESHOLD
                         and _movable(cluster, node, others))
            if not underused:
                node.unneeded_since = None
                continue
            if node.unneeded_since is None:
                node.unneeded_since = now
            if now - node.unneeded_since >= UNNEEDED_TIME:
                candidates.append(node)
    candidates = _above_minimum(cluster, candidates)
    empty = [n for n in candidates if not _workload(cluster, n)]
    if empty:
        for node in empty[:MAX_EMPTY_BULK_DELETE]:
            events.record(cluster, now, "Normal", "ScaleDownEmpty", "Node", node.name,
                          f"Scale-down: removing empty node {node.name}", "cluster-autoscaler", "")
            gke.remove_node(cluster, node, now)
        return
    if candidates:
        node = candidates[0]
        events.record(cluster, now, "Normal", "ScaleDown", "Node", node.name,
                      "marked the node as toBeDeleted/unschedulable", "cluster-autoscaler", "")
        for pod in _workload(cluster, node):
            events.record(cluster, now, "Normal", "ScaleDown", "Pod", pod.name, "deleting pod for node scale down",
                          "cluster-autoscaler", pod.namespace)
            begin_delete(cluster, pod, now)
        gke.remove_node(cluster, node, now)


def _above_minimum(cluster: Cluster, candidates: list[Node]) -> list[Node]:
    """Keep only as many candidates per pool and zone as the pool's minimum allows removing."""
    spare: dict[tuple[str, str], int] = {}
    for pool in cluster.node_pools:
        if pool.autoscaling:
            for zone in pool.zones:
                count = sum(1 for n in pool_nodes(cluster, pool) if n.zone == zone)
                spare[(pool.name, zone)] = count - pool.autoscaling["min"]
    kept = []
    for node in candidates:
        if spare.get((node.pool, node.zone), 0) > 0:
            spare[(node.pool, node.zone)] -= 1
            kept.append(node)
    return kept


def _workload(cluster: Cluster, node: Node) -> list[Pod]:
    return [p for p in cluster.pods_on(node) if p.owner_kind not in ("DaemonSet", "Node") and not p.terminating]
