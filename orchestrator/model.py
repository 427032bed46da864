"""The simulated world's state: plain dataclasses that serialise to JSON.

Every object is flat (primitives, lists and dicts of primitives) so a snapshot is a cheap copy of
``__dict__``. Attributes whose names start with ``_`` are derived indexes: they are left out of
snapshots and rebuilt by :meth:`Cluster.reindex`.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
# kube-apiserver's DefaultTolerationSeconds admission plugin gives every pod these two.
DEFAULT_TOLERATIONS = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "seconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "seconds": 300},
)


class Record:
    """Snapshot helpers shared by every state object.

    Fields still at their default value are left out of a snapshot (a pod's two default tolerations
    would otherwise be a fifth of it); ``from_dict`` fills them in again, so round trips are exact.
    """

    def to_dict(self) -> dict[str, Any]:
        defaults = _defaults(type(self))
        return {k: _copy(v) for k, v in self.__dict__.items()
                if k[0] != "_" and (k not in defaults or defaults[k] != v)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Build from a snapshot dict. The dict is taken over, not copied: pass a private copy."""
        return cls(**data)


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(cls: type) -> dict[str, Any]:
    found = _DEFAULTS.get(cls)
    if found is None:
        found = {}
        for f in fields(cls):
            if f.default is not MISSING:
                found[f.name] = f.default
            elif f.default_factory is not MISSING:
                found[f.name] = f.default_factory()
        _DEFAULTS[cls] = found
    return found


def _copy(value):
    kind = type(value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_copy(v) for v in value]
    return value


@dataclass
class Taint(Record):
    key: str
    effect: str
    value: str = ""
    added: float = 0.0

    def as_spec(self) -> dict:
        """The full dict a node keeps in ``node.taints`` (every key present, unlike a snapshot)."""
        return {"key": self.key, "effect": self.effect, "value": self.value, "added": self.added}

    def tolerated_by(self, tolerations: list[dict]) -> bool:
        for tol in tolerations:
            if tol.get("effect") and tol["effect"] != self.effect:
                continue
            if tol.get("operator", "Equal") == "Exists":
                if not tol.get("key") or tol["key"] == self.key:
                    return True
            elif tol.get("key") == self.key and tol.get("value", "") == self.value:
                return True
        return False


@dataclass
class Node(Record):
    name: str
    pool: str
    zone: str
    machine_type: str
    cpu: int  # allocatable millicores
    memory: int  # allocatable bytes
    capacity_cpu: int
    capacity_memory: int
    max_pods: int
    created: float
    internal_ip: str
    external_ip: str
    labels: dict[str, str] = field(default_factory=dict)
    taints: list[dict] = field(default_factory=list)
    unschedulable: bool = False
    ready: str = "True"  # the Ready condition: True, False or Unknown
    down_since: float | None = None  # kubelet stopped posting status (sim node fail)
    ready_changed: float = 0.0
    images: list[str] = field(default_factory=list)
    pod_cidr_index: int = 0
    next_pod_ip: int = 2
    unneeded_since: float | None = None  # the cluster autoscaler found it underused since then

    def __post_init__(self) -> None:
        self._pods: dict[str, None] = {}  # keys of pods bound here, in bind order
        self._req_cpu = self._req_mem = self._nz_cpu = self._nz_mem = 0

    def taint_objects(self) -> list[Taint]:
        return [Taint(**t) for t in self.taints]

    def has_taint(self, key: str, effect: str) -> bool:
        return any(t["key"] == key and t["effect"] == effect for t in self.taints)

    @property
    def status_text(self) -> str:
        status = "Ready" if self.ready == "True" else "NotReady"
        return status + ",SchedulingDisabled" if self.unschedulable else status


@dataclass
class NodePool(Record):
    name: str
    machine_type: str
    zones: list[str]
    size_per_zone: int
    group_hashes: dict[str, str]  # one managed instance group per zone, each with its own hash
    created: float
    autoscaling: dict | None = None  # {"min": per-zone minimum, "max": per-zone maximum}
    disk_size_gb: int = 100
    provisioning: list = field(default_factory=list)  # [[ready_at, zone]]: VMs the autoscaler ordered


@dataclass
class Pod(Record):
    name: str
    namespace: str
    uid: str
    labels: dict[str, str]
    containers: list[dict]  # {"name", "image", "cpu", "memory", "port"}; cpu/memory None when unset
    created: float
    owner_kind: str | None = None  # ReplicaSet, DaemonSet, Node (a static pod) or None
    owner: str | None = None
    cpu: int = 0  # summed requests: what the scheduler's Fit filter uses
    memory: int = 0
    node: str | None = None
    phase: str = "Pending"
    reason: str = ""  # container waiting reason: ContainerCreating, ErrImagePull, ImagePullBackOff...
    ready: bool = False
    restarts: int = 0
    last_restart: float | None = None
    ip: str | None = None
    scheduled_at: float | None = None
    started_at: float | None = None
    ready_since: float | None = None
    deleting_at: float | None = None
    grace: int = 30
    unschedulable: str = ""  # the scheduler's last FitError message
    next_at: float | None = None  # when the kubelet acts on this pod next
    crash_backoff: int = 0  # CrashLoopBackOff delay before the next restart
    probe_failures: int = 0
    stage: str = ""  # where the kubelet is with this pod: pulling, starting, running, stopping...
    backoff: int = 0
    node_selector: dict[str, str] = field(default_factory=dict)
    tolerations: list[dict] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TOLERATIONS])
    node_name: str | None = None  # spec.nodeName: bound without the scheduler
    cpu_usage: int = 0  # millicores, as metrics-server would report them
    rps: float = 0.0  # requests per second this pod is serving

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def terminating(self) -> bool:
        return self.deleting_at is not None

    @property
    def status_text(self) -> str:
        """The STATUS column of ``kubectl get pods``."""
        if self.terminating:
            return "Terminating"
        if self.reason:
            return self.reason
        return self.phase

    def nonzero_requests(self) -> tuple[int, int]:
        """Requests as the scoring plugins see them: unset cpu counts as 100m, unset memory as 200Mi."""
        cached = self.__dict__.get("_nz")
        if cached is None:
            cpu = sum(100 if c.get("cpu") is None else c["cpu"] for c in self.containers)
            mem = sum(200 * 2**20 if c.get("memory") is None else c["memory"] for c in self.containers)
            cached = self._nz = (cpu, mem)  # a pod's containers never change after it is created
        return cached


@dataclass
class ReplicaSet(Record):
    name: str
    namespace: str
    deployment: str
    template_hash: str
    template: dict  # {"labels": {...}, "containers": [...]}
    selector: dict[str, str]
    replicas: int
    revision: int
    created: float
    uid: str = ""
    change_cause: str | None = None

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class Deployment(Record):
    name: str
    namespace: str
    uid: str
    labels: dict[str, str]
    selector: dict[str, str]
    template: dict
    replicas: int
    created: float
    max_surge: str = "25%"
    max_unavailable: str = "25%"
    revision_history_limit: int = 10
    progress_deadline: int = 600
    generation: int = 1
    last_progress: float = 0.0
    progress_mark: list = field(default_factory=list)  # what the rollout looked like at last progress
    progress_reason: str = "NewReplicaSetCreated"  # the Progressing condition's reason
    paused: bool = False
    rollbacks: int = 0  # times `kubectl rollout undo` brought an older template back
    strategy: str = "RollingUpdate"
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class Service(Record):
    name: str
    namespace: str
    type: str
    cluster_ip: str
    ports: list[dict]  # {"port", "target_port", "protocol", "node_port"}
    selector: dict[str, str]
    created: float
    labels: dict[str, str] = field(default_factory=dict)
    external_ip: str | None = None
    lb_ready_at: float | None = None  # when the cloud load balancer gets its address
    rps: float = 0.0  # offered load (sim traffic)
    stats: dict = field(default_factory=dict)  # last tick: served, errors, latency_ms, endpoints

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class HorizontalPodAutoscaler(Record):
    name: str
    namespace: str
    target: str  # deployment name
    min_replicas: int
    max_replicas: int
    cpu_target: int  # average utilization, percent of request
    created: float
    uid: str = ""
    current_utilization: int | None = None
    current_replicas: int | None = None
    desired_replicas: int = 0
    last_sync: float | None = None
    last_scale: float | None = None
    recommendations: list = field(default_factory=list)  # [[time, replicas]] for stabilization
    scale_events: list = field(default_factory=list)  # [[time, +/-replicas]] for the rate policies
    scale_ups: int = 0  # lifetime counts, for exercises ("the HPA scaled your deployment up")
    scale_downs: int = 0
    condition: str = ""  # why it could not compute, when it could not
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class Event(Record):
    type: str
    reason: str
    kind: str
    name: str
    namespace: str
    message: str
    source: str
    first: float
    last: float
    count: int = 1


@dataclass
class Cluster(Record):
    name: str
    location: str
    zones: list[str]
    mode: str  # standard or autopilot
    created: float
    master_version: str
    endpoint: str
    pod_cidr_base: int  # second octet of the cluster's 10.x.0.0/14 pod range
    service_cidr_base: int
    node_pools: list[dict] = field(default_factory=list)
    nodes: dict[str, dict] = field(default_factory=dict)
    pods: dict[str, dict] = field(default_factory=dict)
    replicasets: dict[str, dict] = field(default_factory=dict)
    deployments: dict[str, dict] = field(default_factory=dict)
    services: dict[str, dict] = field(default_factory=dict)
    hpas: dict[str, dict] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    namespaces: dict[str, float] = field(default_factory=dict)
    next_node_index: int = 0
    status: str = "RUNNING"
    # Work queues, part of the snapshot so that a restored simulation continues exactly as the original.
    sched_queue: list[str] = field(default_factory=list)  # pod keys waiting for the scheduler
    sched_retry: bool = False  # something changed that may let unschedulable pods fit
    sched_flush_at: float = 0.0
    kubelet_queue: list[str] = field(default_factory=list)  # pod keys with a kubelet timer
    dirty_rs: list[str] = field(default_factory=list)
    dirty_deployments: list[str] = field(default_factory=list)
    loaded_pods: list[str] = field(default_factory=list)  # pods that served traffic in the last tick
    crashing: list[str] = field(default_factory=list)  # deployments whose app is broken (sim app crash)
    metrics: dict = field(default_factory=dict)  # bounded time series for charts (see controllers.traffic)
    autoscaler_scan: float = 0.0
    last_scale_up: float | None = None

    def __post_init__(self) -> None:
        # Live objects; the dict fields above hold their serialised form only inside snapshots.
        self.node_pools = [p if isinstance(p, NodePool) else NodePool.from_dict(p) for p in self.node_pools]
        self.nodes = {k: v if isinstance(v, Node) else Node.from_dict(v) for k, v in self.nodes.items()}
        self.pods = {k: v if isinstance(v, Pod) else Pod.from_dict(v) for k, v in self.pods.items()}
        self.replicasets = {
            k: v if isinstance(v, ReplicaSet) else ReplicaSet.from_dict(v) for k, v in self.replicasets.items()
        }
        self.deployments = {
            k: v if isinstance(v, Deployment) else Deployment.from_dict(v) for k, v in self.deployments.items()
        }
        self.services = {k: v if isinstance(v, Service) else Service.from_dict(v) for k, v in self.services.items()}
        self.hpas = {k: v if isinstance(v, HorizontalPodAutoscaler) else HorizontalPodAutoscaler.from_dict(v)
                     for k, v in self.hpas.items()}
        self.events = [e if isinstance(e, Event) else Event.from_dict(e) for e in self.events]
        self._sched_set = dict.fromkeys(self.sched_queue)
        self._kubelet_set = dict.fromkeys(self.kubelet_queue)
        self._dirty_rs = dict.fromkeys(self.dirty_rs)
        self._dirty_deploy = dict.fromkeys(self.dirty_deployments)
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the derived per-node sums and the owner index from the pods."""
        self._rs_pods: dict[str, dict[str, None]] = {}
        for node in self.nodes.values():
            node.__post_init__()
        for pod in self.pods.values():
            self._index_pod(pod)

    def _index_pod(self, pod: Pod) -> None:
        if pod.owner_kind == "ReplicaSet":
            self._rs_pods.setdefault(f"{pod.namespace}/{pod.owner}", {})[pod.key] = None
        if pod.node is not None and pod.node in self.nodes:
            self._account(self.nodes[pod.node], pod, +1)

    @staticmethod
    def _account(node: Node, pod: Pod, sign: int) -> None:
        if sign > 0:
            node._pods[pod.key] = None
        else:
            node._pods.pop(pod.key, None)
        nz_cpu, nz_mem = pod.nonzero_requests()
        node._req_cpu += sign * pod.cpu
        node._req_mem += sign * pod.memory
        node._nz_cpu += sign * nz_cpu
        node._nz_mem += sign * nz_mem

    def to_dict(self) -> dict[str, Any]:
        self.sched_queue = list(self._sched_set)
        self.kubelet_queue = list(self._kubelet_set)
        self.dirty_rs = list(self._dirty_rs)
        self.dirty_deployments = list(self._dirty_deploy)
        data = {k: _copy(v) for k, v in self.__dict__.items()
                if not k.startswith("_") and k not in _LIVE_FIELDS}
        data["node_pools"] = [p.to_dict() for p in self.node_pools]
        data["nodes"] = {k: v.to_dict() for k, v in self.nodes.items()}
        data["pods"] = {k: v.to_dict() for k, v in self.pods.items()}
        data["replicasets"] = {k: v.to_dict() for k, v in self.replicasets.items()}
        data["deployments"] = {k: v.to_dict() for k, v in self.deployments.items()}
        data["services"] = {k: v.to_dict() for k, v in self.services.items()}
        data["hpas"] = {k: v.to_dict() for k, v in self.hpas.items()}
        data["events"] = [e.to_dict() for e in self.events]
        return data

    # --- queues -------------------------------------------------------------------------------------

    def queue_schedule(self, pod: Pod) -> None:
        self._sched_set[pod.key] = None

    def queue_kubelet(self, pod: Pod) -> None:
        self._kubelet_set[pod.key] = None

    def mark_rs(self, rs_key: str) -> None:
        self._dirty_rs[rs_key] = None

    def mark_deployment(self, key: str) -> None:
        self._dirty_deploy[key] = None

    # --- pods ---------------------------------------------------------------------------------------

    def add_pod(self, pod: Pod) -> None:
        self.pods[pod.key] = pod
        self._index_pod(pod)
        if pod.node is None and pod.node_name is not None:
            # spec.nodeName skips the scheduler; a node that does not exist leaves the pod Pending.
            if pod.node_name in self.nodes:
                self.bind(pod, self.nodes[pod.node_name])
                pod.reason = "ContainerCreating"
                pod.next_at = pod.created + 1
                self.queue_kubelet(pod)
        elif pod.node is None:
            self.queue_schedule(pod)
        if pod.owner_kind == "ReplicaSet":
            self.mark_rs(f"{pod.namespace}/{pod.owner}")

    def bind(self, pod: Pod, node: Node) -> None:
        pod.node = node.name
        self._account(node, pod, +1)

    def remove_pod(self, pod: Pod) -> None:
        """Forget a pod entirely (after termination, or a pod that never ran)."""
        self.pods.pop(pod.key, None)
        self._sched_set.pop(pod.key, None)
        self._kubelet_set.pop(pod.key, None)
        if pod.node is not None and pod.node in self.nodes:
            self._account(self.nodes[pod.node], pod, -1)
            self.sched_retry = True
        if pod.owner_kind == "ReplicaSet":
            rs_key = f"{pod.namespace}/{pod.owner}"
            self._rs_pods.get(rs_key, {}).pop(pod.key, None)
            self.mark_rs(rs_key)

    def deployment_of(self, pod: Pod) -> Deployment | None:
        if pod.owner_kind != "ReplicaSet":
            return None
        rs = self.replicasets.get(f"{pod.namespace}/{pod.owner}")
        return self.deployments.get(f"{rs.namespace}/{rs.deployment}") if rs else None

    def is_crashing(self, pod: Pod) -> bool:
        d = self.deployment_of(pod)
        return d is not None and d.key in self.crashing

    def pods_of_rs(self, rs: ReplicaSet) -> list[Pod]:
        return [self.pods[k] for k in self._rs_pods.get(rs.key, ())]

    def pods_on(self, node: Node) -> list[Pod]:
        return [self.pods[k] for k in node._pods]

    def replicasets_of(self, deployment: Deployment) -> list[ReplicaSet]:
        return [rs for rs in self.replicasets.values()
                if rs.namespace == deployment.namespace and rs.deployment == deployment.name]


_LIVE_FIELDS = {"node_pools", "nodes", "pods", "replicasets", "deployments", "services", "hpas", "events"}


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())
