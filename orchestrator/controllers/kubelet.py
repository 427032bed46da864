"""The kubelet on each node: pull images, start containers, stop them, report readiness.

A pod the kubelet still has work for sits in the cluster's kubelet queue with a time (``next_at``);
a running, healthy pod leaves the queue, so a quiet cluster costs nothing per tick.
"""

from __future__ import annotations

from .. import catalog, events
from ..model import Cluster, Node, Pod

PULL_BACKOFF_START, PULL_BACKOFF_MAX = 10, 300


def reconcile(cluster: Cluster, now: float) -> None:
    for key in list(cluster._kubelet_set):
        pod = cluster.pods.get(key)
        if pod is None:
            cluster._kubelet_set.pop(key, None)
            continue
        if pod.next_at is not None and pod.next_at > now:
            continue
        node = cluster.nodes.get(pod.node) if pod.node else None
        if node is None:
            cluster._kubelet_set.pop(key, None)
            continue
        if node.down_since is not None:
            continue  # nobody home: the pod's state is frozen until the node comes back
        _step(cluster, node, pod, now)
        if pod.next_at is None:
            cluster._kubelet_set.pop(key, None)


def _say(cluster: Cluster, pod: Pod, now: float, reason: str, message: str, warning: bool = False) -> None:
    events.record(cluster, now, "Warning" if warning else "Normal", reason, "Pod", pod.name, message, "kubelet",
                  pod.namespace)


def _step(cluster: Cluster, node: Node, pod: Pod, now: float) -> None:
    container = pod.containers[0]
    ref = container["image"]
    image = catalog.find_image(ref)
    stage = pod.stage
    if stage == "stopping":
        cluster.remove_pod(pod)
        pod.next_at = None
        return
    if stage in ("", "pull-backoff"):
        if image is not None and ref in node.images:
            _say(cluster, pod, now, "Pulled", f'Container image "{ref}" already present on machine')
            pod.stage, pod.next_at = "starting", now + image.start_seconds
            return
        _say(cluster, pod, now, "Pulling", f'Pulling image "{ref}"')
        if image is None:
            pod.stage, pod.next_at = "pull-failed", now + 1
        else:
            pod.stage, pod.next_at = "pulling", now + image.pull_seconds
        return
    if stage == "pulling":
        if ref not in node.images:
            node.images.append(ref)
        seconds = f"{image.pull_seconds}.{image.size_bytes % 900 + 100:03d}s"
        _say(cluster, pod, now, "Pulled",
             f'Successfully pulled image "{ref}" in {seconds} ({seconds} including waiting). '
             f"Image size: {image.size_bytes} bytes.")
        pod.stage, pod.next_at = "starting", now + image.start_seconds
        return
    if stage == "starting":
        for c in pod.containers:
            _say(cluster, pod, now, "Created", f"Created container: {c['name']}")
            _say(cluster, pod, now, "Started", f"Started container {c['name']}")
        pod.phase, pod.reason, pod.ready = "Running", "", True
        pod.started_at = pod.ready_since = now
        pod.backoff = 0
        if pod.ip is None:
            pod.ip = _pod_ip(cluster, node)
        pod.stage, pod.next_at = "running", None
        _changed(cluster, pod)
        return
    if stage == "pull-failed":
        repository, tag = catalog.normalize_image(ref)
        full = f"{repository}:{tag}"
        _say(cluster, pod, now, "Failed",
             f'Failed to pull image "{ref}": rpc error: code = NotFound desc = failed to pull and unpack '
             f'image "{full}": failed to resolve reference "{full}": {full}: not found', warning=True)
        _say(cluster, pod, now, "Failed", "Error: ErrImagePull", warning=True)
        pod.reason = "ErrImagePull"
        pod.backoff = PULL_BACKOFF_START if not pod.backoff else min(pod.backoff * 2, PULL_BACKOFF_MAX)
        pod.stage, pod.next_at = "pull-waiting", now + 2
        return
    if stage == "pull-waiting":
        _say(cluster, pod, now, "BackOff", f'Back-off pulling image "{ref}"')
        _say(cluster, pod, now, "Failed", "Error: ImagePullBackOff", warning=True)
        pod.reason = "ImagePullBackOff"
        pod.stage, pod.next_at = "pull-backoff", now + pod.backoff - 2
        return
    pod.next_at = None


def _changed(cluster: Cluster, pod: Pod) -> None:
    if pod.owner_kind == "ReplicaSet":
        cluster.mark_rs(f"{pod.namespace}/{pod.owner}")


def _pod_ip(cluster: Cluster, node: Node) -> str:
    """Each node owns a /24 of the cluster's pod range (GKE's default of 110 pods per node)."""
    index = node.pod_cidr_index
    ip = f"10.{cluster.pod_cidr_base + index // 256}.{index % 256}.{node.next_pod_ip}"
    node.next_pod_ip = node.next_pod_ip + 1 if node.next_pod_ip < 254 else 2
    return ip
