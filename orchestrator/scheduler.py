"""kube-scheduler's default profile: filter, score, pick the best node, break ties at random.

Plugins modelled (weights from the default KubeSchedulerConfiguration): NodeUnschedulable,
TaintToleration (filter, and score ×3), NodeAffinity via nodeSelector (filter), NodeResourcesFit
(filter, and LeastAllocated score ×1), NodeResourcesBalancedAllocation (×1), PodTopologySpread's system
defaults (×2) and ImageLocality (×1). Plugins with nothing to act on here (InterPodAffinity,
preferred node affinity, volumes, ports) would add the same score to every node and are left out.

One simplification: kube-scheduler stops looking once it has found enough feasible nodes in clusters of
more than 100 nodes (percentageOfNodesToScore); we always score every feasible node. For the clusters a
learner builds (at most 50 nodes) the two are the same.

Speed comes from grouping: nodes that look the same to a pod (same free resources, same number of
sibling pods, same zone...) get the same score, so a run of identical pods is placed by scoring each
group once instead of every node.
"""

from __future__ import annotations

import math

from . import events
from .model import Cluster, Node, Pod, Taint, matches
from .rng import Rng

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
MB = 1024 * 1024
IMAGE_MIN, IMAGE_MAX = 23 * MB, 1000 * MB
# Pods stuck as unschedulable are retried on any cluster change, and at least this often.
UNSCHEDULABLE_FLUSH_SECONDS = 300
WEIGHTS = {"TaintToleration": 3, "NodeResourcesFit": 1, "PodTopologySpread": 2,
           "NodeResourcesBalancedAllocation": 1, "ImageLocality": 1}
NO_NODES = "no nodes available to schedule pods"


def schedule(cluster: Cluster, now: float, rng: Rng, images: dict[str, int]) -> None:
    """Try to place every pod waiting in the scheduling queue, in queue order."""
    if not cluster._sched_set:
        return
    retry = cluster.sched_retry or now >= cluster.sched_flush_at
    cluster.sched_retry = False
    if retry:
        cluster.sched_flush_at = now + UNSCHEDULABLE_FLUSH_SECONDS
    batch: _Batch | None = None
    for key in list(cluster._sched_set):
        pod = cluster.pods.get(key)
        if pod is None or pod.node is not None or pod.terminating:
            cluster._sched_set.pop(key, None)
            continue
        if pod.unschedulable and not retry:
            continue
        shape = _shape(cluster, pod)
        if batch is None or batch.shape != shape:
            batch = _Batch(cluster, pod, shape, images)
        node = batch.place(pod, rng)
        if node is None:
            message = batch.fit_error()
            pod.unschedulable = message
            events.record(cluster, now, "Warning", "FailedScheduling", "Pod", pod.name, message,
                          "default-scheduler", pod.namespace)
            continue
        cluster._sched_set.pop(key, None)
        pod.unschedulable = ""
        pod.scheduled_at = now
        pod.reason = "ContainerCreating"
        pod.next_at = now + 1
        cluster.queue_kubelet(pod)
        events.record(cluster, now, "Normal", "Scheduled", "Pod", pod.name,
                      f"Successfully assigned {pod.namespace}/{pod.name} to {node.name}",
                      "default-scheduler", pod.namespace)


def spread_selector(cluster: Cluster, pod: Pod) -> dict[str, str] | None:
    """The selector the system default spreading constraints use: the pod's ReplicaSet selector
    merged with the selectors of the services that select it. None for pods nobody owns."""
    if pod.owner_kind != "ReplicaSet":
        return None
    rs = cluster.replicasets.get(f"{pod.namespace}/{pod.owner}")
    if rs is None:
        return None
    selector = dict(rs.selector)
    for service in cluster.services.values():
        if service.namespace == pod.namespace and service.selector and matches(service.selector, pod.labels):
            selector.update(service.selector)
    return selector


def _shape(cluster: Cluster, pod: Pod) -> tuple:
    """Everything about a pod that the filters and scores look at."""
    selector = spread_selector(cluster, pod)
    return (
        pod.namespace, pod.cpu, pod.memory, pod.nonzero_requests(),
        tuple(sorted(selector.items())) if selector is not None else None,
        tuple(sorted(pod.node_selector.items())),
        tuple(tuple(sorted(t.items())) for t in pod.tolerations),
        tuple(c["image"] for c in pod.containers),
    )


def _static_reason(node: Node, pod: Pod) -> str | None:
    """Filters whose answer does not change while pods are placed: unschedulable, taints, selector."""
    if node.unschedulable and not Taint("node.kubernetes.io/unschedulable", "NoSchedule").tolerated_by(
        pod.tolerations
    ):
        return "node(s) were unschedulable"
    for taint in node.taints:
        if taint["effect"] in ("NoSchedule", "NoExecute") and not Taint(**taint).tolerated_by(pod.tolerations):
            return f"node(s) had untolerated taint {{{taint['key']}: {taint['value']}}}"
    if not matches(pod.node_selector, node.labels):
        return "node(s) didn't match Pod's node affinity/selector"
    return None


class _Batch:
    """Scheduling state for a run of pods of one shape."""

    def __init__(self, cluster: Cluster, pod: Pod, shape: tuple, images: dict[str, int]) -> None:
        self.cluster = cluster
        self.shape = shape
        self.pod_cpu, self.pod_mem = pod.cpu, pod.memory
        self.pod_nz_cpu, self.pod_nz_mem = pod.nonzero_requests()
        self.best_effort = pod.cpu == 0 and pod.memory == 0
        self.selector = spread_selector(cluster, pod)
        self.namespace = pod.namespace
        nodes = list(cluster.nodes.values())
        self.total_nodes = len(nodes)
        self.static = {n.name: _static_reason(n, pod) for n in nodes}
        # ImageLocality: how much of each container's image a node already holds, scaled by spread.
        image_refs = [c["image"] for c in pod.containers]
        holders = {ref: sum(1 for n in nodes if ref in n.images) for ref in image_refs}
        self.image_score: dict[str, int] = {}
        for n in nodes:
            total = 0
            for ref in image_refs:
                if ref in n.images:
                    total += int(images.get(ref, 0) * holders[ref] / max(1, len(nodes)))
            total = min(max(total, IMAGE_MIN), IMAGE_MAX * len(image_refs))
            self.image_score[n.name] = 100 * (total - IMAGE_MIN) // (IMAGE_MAX * len(image_refs) - IMAGE_MIN)
        self.prefer_taints = {
            n.name: sum(1 for t in n.taints
                        if t["effect"] == "PreferNoSchedule" and not Taint(**t).tolerated_by(pod.tolerations))
            for n in nodes
        }
        # Spreading counts: sibling pods per node; per zone over nodes that pass the pod's node selector.
        self.host_count: dict[str, int] = {}
        self.zone_count: dict[str, int] = {}
        selector_items = list(self.selector.items()) if self.selector is not None else []
        for n in nodes:
            count = 0
            if selector_items:
                for key in n._pods:
                    other = cluster.pods[key]
                    if other.deleting_at is None and other.namespace == self.namespace:
                        labels = other.labels
                        if all(labels.get(k) == v for k, v in selector_items):
                            count += 1
            self.host_count[n.name] = count
            if matches(pod.node_selector, n.labels):
                self.zone_count[n.zone] = self.zone_count.get(n.zone, 0) + count
        self.groups: dict[tuple, list[str]] = {}
        self.where: dict[str, tuple] = {}
        self.position: dict[str, int] = {}
        self._reason_cache: dict[tuple, list[str]] = {}
        self._base_cache: dict[tuple, dict[str, int]] = {}
        for n in nodes:
            self._add(n)

    def _key(self, node: Node) -> tuple:
        return (
            self.static[node.name], node.zone, node.cpu, node.memory, node._req_cpu, node._req_mem,
            node._nz_cpu, node._nz_mem, len(node._pods) + 1 > node.max_pods, self.host_count[node.name],
            self.image_score[node.name], self.prefer_taints[node.name],
        )

    def _add(self, node: Node) -> None:
        key = self._key(node)
        members = self.groups.setdefault(key, [])
        self.position[node.name] = len(members)
        members.append(node.name)
        self.where[node.name] = key

    def _remove(self, name: str) -> None:
        """O(1): the group's last member takes the leaving node's place."""
        key = self.where.pop(name)
        members = self.groups[key]
        index = self.position.pop(name)
        last = members.pop()
        if last != name:
            members[index] = last
            self.position[last] = index
        if not members:
            del self.groups[key]

    def _reasons(self, key: tuple) -> list[str]:
        cached = self._reason_cache.get(key)
        if cached is not None:
            return cached
        static, _, cpu, mem, req_cpu, req_mem, _, _, too_many, *_ = key
        reasons = []
        if static is not None:
            reasons.append(static)
        else:
            if too_many:
                reasons.append("Too many pods")
            if self.pod_cpu or self.pod_mem:
                if cpu < req_cpu + self.pod_cpu:
                    reasons.append("Insufficient cpu")
                if mem < req_mem + self.pod_mem:
                    reasons.append("Insufficient memory")
        self._reason_cache[key] = reasons
        return reasons

    def place(self, pod: Pod, rng: Rng) -> Node | None:
        feasible = [(key, members) for key, members in self.groups.items() if not self._reasons(key)]
        if not feasible:
            return None
        scores = self._scores(feasible)
        best = max(scores)
        tied = [members for (key, members), score in zip(feasible, scores, strict=True) if score == best]
        pick = rng.below(sum(len(m) for m in tied))
        for members in tied:
            if pick < len(members):
                name = members[pick]
                break
            pick -= len(members)
        node = self.cluster.nodes[name]
        self._remove(name)
        self.cluster.bind(pod, node)
        if self.selector is not None and matches(self.selector, pod.labels):
            self.host_count[name] += 1
            if matches(pod.node_selector, node.labels):
                self.zone_count[node.zone] = self.zone_count.get(node.zone, 0) + 1
            # Every node of that zone now sees a different zone count, but its group key does not
            # include the zone count, only the zone: scores are computed from zone_count live.
        self._add(node)
        return node

    def _scores(self, feasible: list[tuple[tuple, list[str]]]) -> list[int]:
        spread = self._spread_scores(feasible)
        max_prefer = max(key[11] for key, _ in feasible)
        totals = []
        for i, (key, _members) in enumerate(feasible):
            plugins = self._base_scores(key, max_prefer)
            totals.append(plugins["total"] + WEIGHTS["PodTopologySpread"] * spread[i])
        return totals

    def plugin_scores(self, feasible: list[tuple[tuple, list[str]]]) -> list[dict[str, int]]:
        """Each score plugin's 0-100 score per feasible group (what ``sim explain`` shows)."""
        spread = self._spread_scores(feasible)
        max_prefer = max(key[11] for key, _ in feasible)
        out = []
        for i, (key, _members) in enumerate(feasible):
            scores = {k: v for k, v in self._base_scores(key, max_prefer).items() if k != "total"}
            scores["PodTopologySpread"] = spread[i]
            out.append(scores)
        return out

    def _base_scores(self, key: tuple, max_prefer: int) -> dict[str, int]:
        """Every plugin but spreading depends only on the group key, so it is computed once per key."""
        cached = self._base_cache.get((key, max_prefer))
        if cached is not None:
            return cached
        _, _, cpu, mem, req_cpu, req_mem, nz_cpu, nz_mem, _, _, image, prefer = key
        # NodeResourcesFit, LeastAllocated: non-zero requests, integer arithmetic as in Go.
        want_cpu, want_mem = nz_cpu + self.pod_nz_cpu, nz_mem + self.pod_nz_mem
        cpu_score = 0 if cpu == 0 or want_cpu > cpu else (cpu - want_cpu) * 100 // cpu
        mem_score = 0 if mem == 0 or want_mem > mem else (mem - want_mem) * 100 // mem
        least = (cpu_score + mem_score) // 2
        # NodeResourcesBalancedAllocation: real requests; skipped for best-effort pods.
        if self.best_effort:
            balanced = 0
        else:
            f_cpu = min(1.0, (req_cpu + self.pod_cpu) / cpu) if cpu else 1.0
            f_mem = min(1.0, (req_mem + self.pod_mem) / mem) if mem else 1.0
            balanced = int((1 - abs(f_cpu - f_mem) / 2) * 100)
        # TaintToleration: fewer intolerable PreferNoSchedule taints is better (reverse normalised).
        taint = 100 if max_prefer == 0 else 100 - 100 * prefer // max_prefer
        scores = {"NodeResourcesFit": least, "NodeResourcesBalancedAllocation": balanced, "TaintToleration": taint,
                  "ImageLocality": image}
        scores["total"] = sum(WEIGHTS[name] * value for name, value in scores.items())
        self._base_cache[(key, max_prefer)] = scores
        return scores

    def _spread_scores(self, feasible: list[tuple[tuple, list[str]]]) -> list[int]:
        """PodTopologySpread with the system defaults: hostname maxSkew 3, zone maxSkew 5."""
        if self.selector is None:
            return [0] * len(feasible)
        filtered = sum(len(m) for _, m in feasible)
        zones = {key[1] for key, _ in feasible}
        host_weight = math.log(filtered + 2)
        zone_weight = math.log(len(zones) + 2)
        raw = []
        for key, _ in feasible:
            value = key[9] * host_weight + (3 - 1) + self.zone_count.get(key[1], 0) * zone_weight + (5 - 1)
            raw.append(int(math.floor(value + 0.5)))
        low, high = min(raw), max(raw)
        if high == 0:
            return [100] * len(raw)
        return [100 * (high + low - s) // high for s in raw]

    def fit_error(self) -> str:
        """kube-scheduler's FitError text, with the preemption post-filter's verdict appended."""
        if self.total_nodes == 0:
            return NO_NODES
        histogram: dict[str, int] = {}
        preemption: dict[str, int] = {}
        for key, members in self.groups.items():
            reasons = self._reasons(key)
            for reason in reasons:
                histogram[reason] = histogram.get(reason, 0) + len(members)
            verdict = ("Preemption is not helpful for scheduling" if key[0] is not None
                       else "No preemption victims found for incoming pod")
            preemption[verdict] = preemption.get(verdict, 0) + len(members)
        n = self.total_nodes
        first = ", ".join(sorted(f"{count} {reason}" for reason, count in histogram.items()))
        second = ", ".join(sorted(f"{count} {reason}" for reason, count in preemption.items()))
        return f"0/{n} nodes are available: {first}. preemption: 0/{n} nodes are available: {second}."


def explain(cluster: Cluster, pod: Pod, images: dict[str, int]) -> tuple[list[dict], str | None]:
    """Where would ``pod`` go? For every node: the filter verdict (kube-scheduler's reasons when it fails)
    and, for feasible nodes, each score plugin's 0-100 score and the weighted total; plus the FitError
    text when no node fits. A pod already placed is taken off its node for the question, so it does not
    compete with itself; nothing in the cluster changes.
    """
    node = cluster.nodes.get(pod.node) if pod.node else None
    placed = node is not None and pod.key in node._pods
    if placed:
        order = list(node._pods)
        cluster._account(node, pod, -1)
    try:
        batch = _Batch(cluster, pod, _shape(cluster, pod), images)
        feasible = [(key, members) for key, members in batch.groups.items() if not batch._reasons(key)]
        plugins = dict(zip([k for k, _ in feasible], batch.plugin_scores(feasible), strict=True)) if feasible else {}
        rows = []
        for name in sorted(cluster.nodes):
            key = batch.where[name]
            reasons = batch._reasons(key)
            if reasons:
                rows.append({"node": name, "reasons": list(reasons), "scores": {}, "total": None})
                continue
            scores = plugins[key]
            total = sum(WEIGHTS[plugin] * value for plugin, value in scores.items())
            rows.append({"node": name, "reasons": [], "scores": scores, "total": total})
        return rows, None if feasible else batch.fit_error()
    finally:
        if placed:
            cluster._account(node, pod, +1)
            node._pods = dict.fromkeys(order)  # the same bind order as before, so nothing observable moves
