"""The kubelet on each node: pull images, start containers, stop them, report readiness.

A pod the kubelet still has work for sits in the cluster's kubelet queue with a time (``next_at``);
a running, healthy pod leaves the queue, so a quiet cluster costs nothing per tick.
"""

from __future__ import annotations

from .. import catalog, events, probes
from ..model import Cluster, Node, Pod
from ..pods import config_problem
from ..timefmt import go_duration

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
        seconds = go_duration(image.pull_seconds + (image.size_bytes % 900 + 100) / 1000)
        _say(cluster, pod, now, "Pulled",
             f'Successfully pulled image "{ref}" in {seconds} ({seconds} including waiting). '
             f"Image size: {image.size_bytes} bytes.")
        pod.stage, pod.next_at = "starting", now + image.start_seconds
        return
    if stage == "starting":
        problem = config_problem(cluster, pod)
        if problem is not None:
            _say(cluster, pod, now, "Failed", f"Error: {problem}", warning=True)
            pod.reason = "CreateContainerConfigError"
            pod.next_at = now + probes.CONFIG_RETRY_SECONDS
            return
        for c in pod.containers:
            _say(cluster, pod, now, "Created", f"Created container: {c['name']}")
            _say(cluster, pod, now, "Started", f"Started container {c['name']}")
        pod.phase, pod.reason = "Running", ""
        pod.started_at = now
        pod.backoff = pod.probe_failures = 0
        if pod.ip is None:
            pod.ip = _pod_ip(cluster, node)
        pod.stage = "running"
        readiness = probes.probe(container, "readiness")
        if readiness is None:
            _set_ready(cluster, pod, True, now)
        pod.next_at = _next_check(cluster, pod, now)
        return
    if stage == "running":
        if pod.restart_policy != "Always" and now >= pod.started_at + probes.BATCH_RUN_SECONDS:
            cluster.finish_pod(pod, now)  # a batch container exits 0: the pod is Completed
            pod.stage, pod.next_at = "done", None
            return
        _running(cluster, pod, now)
        return
    if stage == "exited":
        _restart_or_back_off(cluster, pod, now)
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


def _set_ready(cluster: Cluster, pod: Pod, ready: bool, now: float) -> None:
    if pod.ready == ready:
        return
    pod.ready = ready
    pod.ready_since = now if ready else None
    if pod.owner_kind == "ReplicaSet":
        cluster.mark_rs(f"{pod.namespace}/{pod.owner}")


def _probe_base(pod: Pod, spec: dict) -> float:
    """The first probe runs initialDelaySeconds after the container starts (at least one tick later)."""
    return pod.started_at + max(spec["initialDelaySeconds"], 1)


def _next_probe(pod: Pod, spec: dict, now: float) -> float:
    base, period = _probe_base(pod, spec), spec["periodSeconds"]
    if now < base:
        return base
    return base + (int((now - base) // period) + 1) * period


def _next_check(cluster: Cluster, pod: Pod, now: float) -> float | None:
    """When the kubelet must look at a running container again: a probe is due or the app will crash.
    A healthy, ready container needs nothing, so it leaves the kubelet's queue."""
    container = pod.containers[0]
    crashing = cluster.is_crashing(pod)
    times = []
    readiness = probes.probe(container, "readiness")
    if readiness is not None and (crashing or not pod.ready):
        times.append(_next_probe(pod, readiness, now))
    liveness = probes.probe(container, "liveness")
    if crashing and liveness is not None:
        times.append(_next_probe(pod, liveness, now))
    if crashing and liveness is None:
        times.append(max(now + 1, pod.started_at + probes.CRASH_AFTER_SECONDS))
    if pod.restart_policy != "Always":
        times.append(pod.started_at + probes.BATCH_RUN_SECONDS)
    return min(times) if times else None


def _running(cluster: Cluster, pod: Pod, now: float) -> None:
    container = pod.containers[0]
    crashing = cluster.is_crashing(pod)
    liveness = probes.probe(container, "liveness")
    readiness = probes.probe(container, "readiness")
    if readiness is not None and _due(pod, readiness, now):
        if crashing:
            _say(cluster, pod, now, "Unhealthy", probes.failure_message(readiness, "readiness", pod.ip), True)
            _set_ready(cluster, pod, False, now)
        else:
            _set_ready(cluster, pod, True, now)
    if crashing and liveness is None and now >= pod.started_at + probes.CRASH_AFTER_SECONDS:
        _exit(cluster, pod, now)
        return
    if crashing and liveness is not None and _due(pod, liveness, now):
        pod.probe_failures += 1
        _say(cluster, pod, now, "Unhealthy", probes.failure_message(liveness, "liveness", pod.ip), True)
        if pod.probe_failures >= liveness["failureThreshold"]:
            _say(cluster, pod, now, "Killing",
                 f"Container {container['name']} failed liveness probe, will be restarted")
            _exit(cluster, pod, now)
            return
    pod.next_at = _next_check(cluster, pod, now)


def _due(pod: Pod, spec: dict, now: float) -> bool:
    base = _probe_base(pod, spec)
    return now >= base and (now - base) % spec["periodSeconds"] < 1e-6


def _exit(cluster: Cluster, pod: Pod, now: float) -> None:
    """The container stopped: count a restart and wait out the back-off (the first restart is immediate)."""
    if pod.started_at is not None and now - pod.started_at >= probes.BACKOFF_RESET:
        pod.crash_backoff = 0
    pod.restarts += 1
    pod.last_restart = now
    pod.probe_failures = 0
    _set_ready(cluster, pod, False, now)
    pod.reason = "Error"
    pod.stage, pod.next_at = "exited", now + 1


def _restart_or_back_off(cluster: Cluster, pod: Pod, now: float) -> None:
    name = pod.containers[0]["name"]
    if pod.reason == "CrashLoopBackOff" or pod.crash_backoff == 0:
        # Back-off over (or none yet): start the container again.
        pod.crash_backoff = (probes.BACKOFF_START if pod.crash_backoff == 0
                             else min(pod.crash_backoff * 2, probes.BACKOFF_MAX))
        pod.reason = ""
        pod.stage, pod.next_at = "", now
        _step_again(cluster, pod, now)
        return
    pod.reason = "CrashLoopBackOff"
    _say(cluster, pod, now, "BackOff",
         f"Back-off restarting failed container {name} in pod {pod.name}_{pod.namespace}({pod.uid})", True)
    pod.next_at = now + pod.crash_backoff - 1


def _step_again(cluster: Cluster, pod: Pod, now: float) -> None:
    node = cluster.nodes.get(pod.node)
    if node is not None:
        _step(cluster, node, pod, now)


def _pod_ip(cluster: Cluster, node: Node) -> str:
    """Each node owns a /24 of the cluster's pod range (GKE's default of 110 pods per node)."""
    index = node.pod_cidr_index
    ip = f"10.{cluster.pod_cidr_base + index // 256}.{index % 256}.{node.next_pod_ip}"
    node.next_pod_ip = node.next_pod_ip + 1 if node.next_pod_ip < 254 else 2
    return ip
