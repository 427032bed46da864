"""The objects of the simulated world, one dataclass per Kubernetes or GKE kind.

Every object is flat (primitives, lists and dicts of primitives) so a snapshot is a cheap copy of
``__dict__``. Attributes whose names start with ``_`` are derived indexes: they are left out of
snapshots and rebuilt by :meth:`orchestrator.model.Cluster.reindex`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .record import Namespaced, Record

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
# kube-apiserver's DefaultTolerationSeconds admission plugin gives every pod these two.
DEFAULT_TOLERATIONS = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "seconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "seconds": 300},
)


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
class Pod(Namespaced):
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
    restart_policy: str = "Always"  # a Job's pods: Never or OnFailure
    finished_at: float | None = None  # when every container exited with 0 (phase Succeeded)

    @property
    def finished(self) -> bool:
        """In a terminal phase: the pod no longer uses its node's resources."""
        return self.phase in ("Succeeded", "Failed")

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
class ReplicaSet(Namespaced):
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


@dataclass
class Deployment(Namespaced):
    name: str
    namespace: str
    uid: str
    labels: dict[str, str]
    selector: dict[str, str]
    template: dict
    replicas: int
    created: float
    max_surge: str | int = "25%"
    max_unavailable: str | int = "25%"
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


@dataclass
class Service(Namespaced):
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


@dataclass
class HorizontalPodAutoscaler(Namespaced):
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
class ConfigMap(Namespaced):
    name: str
    namespace: str
    created: float
    uid: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class Secret(Namespaced):
    name: str
    namespace: str
    created: float
    uid: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    type: str = "Opaque"
    data: dict[str, str] = field(default_factory=dict)  # values base64-encoded, as the API server keeps them


@dataclass
class PodDisruptionBudget(Namespaced):
    name: str
    namespace: str
    created: float
    selector: dict[str, str]
    uid: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    min_available: int | str | None = None
    max_unavailable: int | str | None = None


@dataclass
class Job(Namespaced):
    name: str
    namespace: str
    created: float
    template: dict  # engine-shaped pod template: labels, containers, restart_policy...
    uid: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    completions: int = 1
    parallelism: int = 1
    backoff_limit: int = 6
    ttl_after_finished: int | None = None
    succeeded: int = 0
    start_time: float | None = None
    completion_time: float | None = None

    @property
    def complete(self) -> bool:
        return self.completion_time is not None


@dataclass
class Ingress(Namespaced):
    name: str
    namespace: str
    created: float
    rules: list[dict]  # [{"host": str|None, "paths": [{"path", "path_type", "service", "port"}]}]
    uid: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    class_name: str | None = None
    default_backend: dict | None = None  # {"service", "port"}
    tls: list[dict] = field(default_factory=list)
    address: str | None = None
    lb_ready_at: float | None = None  # when the load balancer gets its address
    problem: str = ""  # the controller's last complaint, so it is reported once, not every tick

    def backends(self) -> list[dict]:
        """Every backend the ingress names (default backend first), in order."""
        found = [self.default_backend] if self.default_backend else []
        return found + [p for rule in self.rules for p in rule["paths"]]

    def certificate_names(self) -> list[str]:
        value = self.annotations.get("networking.gke.io/managed-certificates", "")
        return [name.strip() for name in value.split(",") if name.strip()]


@dataclass
class ManagedCertificate(Namespaced):
    name: str
    namespace: str
    created: float
    domains: list[str]
    uid: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    status: str = "Provisioning"
    active_at: float | None = None  # when Google's CA will have issued it (once an ingress serves it)


# Cluster attribute -> kind, for the stores a snapshot leaves out while they are empty: most clusters hold none of
# these, and snapshots taken before they existed must stay byte-identical.
SPARSE_STORES: dict[str, type] = {"configmaps": ConfigMap, "secrets": Secret, "pdbs": PodDisruptionBudget,
                                  "jobs": Job, "ingresses": Ingress, "certificates": ManagedCertificate}


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())
