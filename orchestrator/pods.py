"""Domain verbs on pods shared by the controllers and the commands: create from a template, delete."""

from __future__ import annotations

from . import events
from .manifest_env import referenced_objects
from .model import Cluster, Pod, ReplicaSet
from .naming import pod_suffix, uid
from .rng import Rng

GRACE_SECONDS = 30
STOP_SECONDS = 1  # our example apps exit promptly on SIGTERM, well inside the grace period
# Like the LimitRange GKE used to put in the default namespace: a container that asks for nothing gets
# 100m of CPU, so the scheduler has something to count and nodes fill up the way learners expect.
DEFAULT_CPU_REQUEST = 100
AUTOPILOT_CPU, AUTOPILOT_MEMORY = 500, 2 * 2**30


def new_pod(cluster: Cluster, name: str, namespace: str, labels: dict, containers: list[dict], now: float,
            rng: Rng, owner_kind: str | None = None, owner: str | None = None) -> Pod:
    containers = [dict(c) for c in containers]
    autopilot = cluster.mode == "autopilot"
    for container in containers:
        if autopilot:
            # Autopilot fills in requests a container leaves out (general-purpose defaults) and sets
            # limits equal to requests: it bills by request, so every pod must have one.
            container["cpu"] = container.get("cpu") or container.get("limit_cpu") or AUTOPILOT_CPU
            container["memory"] = container.get("memory") or container.get("limit_memory") or AUTOPILOT_MEMORY
            container["limit_cpu"], container["limit_memory"] = container["cpu"], container["memory"]
        # As Kubernetes defaults them: a request left out but a limit given means request = limit.
        if container.get("memory") is None and container.get("limit_memory") is not None:
            container["memory"] = container["limit_memory"]
        if container.get("cpu") is None:
            container["cpu"] = container.get("limit_cpu") or DEFAULT_CPU_REQUEST
    pod = Pod(
        name=name, namespace=namespace, uid=uid(rng), labels=dict(labels), containers=containers,
        created=now, owner_kind=owner_kind, owner=owner,
        cpu=sum(c.get("cpu") or 0 for c in containers),
        memory=sum(c.get("memory") or 0 for c in containers),
    )
    return pod


def pod_for_replicaset(cluster: Cluster, rs: ReplicaSet, now: float, rng: Rng) -> Pod:
    while True:
        name = f"{rs.name}-{pod_suffix(rng)}"
        if f"{rs.namespace}/{name}" not in cluster.pods:
            break
    labels = dict(rs.template["labels"])
    labels["pod-template-hash"] = rs.template_hash
    pod = new_pod(cluster, name, rs.namespace, labels, rs.template["containers"], now, rng,
                  owner_kind="ReplicaSet", owner=rs.name)
    apply_template_spec(pod, rs.template)
    return pod


def apply_template_spec(pod: Pod, template: dict) -> None:
    """Scheduling fields a pod template may carry: nodeSelector, tolerations, nodeName."""
    pod.node_selector = dict(template.get("node_selector") or {})
    pod.tolerations = pod.tolerations + [dict(t) for t in template.get("tolerations") or []]
    pod.node_name = template.get("node_name")
    pod.restart_policy = template.get("restart_policy", "Always")


def begin_delete(cluster: Cluster, pod: Pod, now: float) -> None:
    """Graceful deletion: the pod shows Terminating until its node's kubelet has stopped it."""
    if pod.terminating:
        return
    if pod.node is None or pod.node not in cluster.nodes:
        cluster.remove_pod(pod)
        return
    pod.deleting_at = now
    pod.ready = False
    pod.stage = "stopping"
    pod.next_at = now + min(pod.grace, STOP_SECONDS)
    cluster.queue_kubelet(pod)
    if pod.owner_kind == "ReplicaSet":
        cluster.mark_rs(f"{pod.namespace}/{pod.owner}")
    node = cluster.nodes[pod.node]
    if pod.phase == "Running" and node.down_since is None:  # a dead node's kubelet reports nothing
        for container in pod.containers:
            events.record(cluster, now, "Normal", "Killing", "Pod", pod.name,
                          f"Stopping container {container['name']}", "kubelet", pod.namespace)


def config_problem(cluster: Cluster, pod: Pod) -> str | None:
    """Why the kubelet cannot build the containers' environment (CreateContainerConfigError), or None:
    a ConfigMap or Secret the pod reads is missing, or lacks the key it names. ``optional`` refs may be absent."""
    for kind, name, key, optional in referenced_objects(pod.containers):
        store = cluster.configmaps if kind == "ConfigMap" else cluster.secrets
        obj = store.get(f"{pod.namespace}/{name}")
        if obj is None:
            if not optional:
                return f'{kind.lower()} "{name}" not found'
            continue
        if key is not None and key not in obj.data and not optional:
            return f"couldn't find key {key} in {kind} {pod.namespace}/{name}"
    return None
