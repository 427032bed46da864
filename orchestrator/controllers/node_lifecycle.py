"""The node lifecycle controller: a node that stops reporting becomes NotReady, is tainted, and after
the pods' toleration runs out (300 s by default) its pods are evicted so they can be replaced."""

from __future__ import annotations

from .. import events
from ..model import Cluster, Node, Taint
from ..pods import begin_delete

GRACE_PERIOD = 50  # --node-monitor-grace-period since Kubernetes 1.32 (was 40 s)
UNREACHABLE = "node.kubernetes.io/unreachable"


def reconcile(cluster: Cluster, now: float) -> None:
    for node in cluster.nodes.values():
        if node.down_since is not None:
            if node.ready == "True" and now - node.down_since >= GRACE_PERIOD:
                _lost(cluster, node, now)
        elif node.ready != "True":
            _back(cluster, node, now)
        if node.ready != "True" or node.taints:
            _evict(cluster, node, now)  # NoExecute taints, the node controller's or a user's


def _lost(cluster: Cluster, node: Node, now: float) -> None:
    node.ready, node.ready_changed = "Unknown", now
    node.taints.append(Taint(UNREACHABLE, "NoSchedule", added=now).as_spec())
    node.taints.append(Taint(UNREACHABLE, "NoExecute", added=now).as_spec())
    events.record(cluster, now, "Normal", "NodeNotReady", "Node", node.name,
                  f"Node {node.name} status is now: NodeNotReady", "node-controller", "")
    for pod in cluster.pods_on(node):
        if pod.ready:
            pod.ready = False
            if pod.owner_kind == "ReplicaSet":
                cluster.mark_rs(f"{pod.namespace}/{pod.owner}")


def _back(cluster: Cluster, node: Node, now: float) -> None:
    node.ready, node.ready_changed = "True", now
    node.taints = [t for t in node.taints if t["key"] != UNREACHABLE]
    events.record(cluster, now, "Normal", "NodeReady", "Node", node.name,
                  f"Node {node.name} status is now: NodeReady", "node-controller", "")
    cluster.sched_retry = True
    for pod in cluster.pods_on(node):
        if pod.stage == "running" and not pod.terminating:
            pod.ready = True
            if pod.owner_kind == "ReplicaSet":
                cluster.mark_rs(f"{pod.namespace}/{pod.owner}")


def _evict(cluster: Cluster, node: Node, now: float) -> None:
    no_execute = [Taint(**t) for t in node.taints if t["effect"] == "NoExecute"]
    if not no_execute:
        return
    for pod in cluster.pods_on(node):
        if pod.terminating:
            continue
        if all(_tolerated_until(taint, pod.tolerations) > now for taint in no_execute):
            continue
        events.record(cluster, now, "Normal", "TaintManagerEviction", "Pod", pod.name,
                      f"Marking for deletion Pod {pod.namespace}/{pod.name}", "taint-eviction-controller",
                      pod.namespace)
        begin_delete(cluster, pod, now)


def _tolerated_until(taint: Taint, tolerations: list[dict]) -> float:
    for tol in tolerations:
        if tol.get("effect") not in (None, "", taint.effect):
            continue
        if tol.get("operator") == "Exists" and tol.get("key") in (None, "", taint.key) or (
            tol.get("key") == taint.key and tol.get("value", "") == taint.value
        ):
            seconds = tol.get("seconds")
            return float("inf") if seconds is None else taint.added + seconds
    return float("-inf")
