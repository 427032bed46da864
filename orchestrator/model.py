"""The simulated world's state: a cluster holding its objects, with the indexes controllers rely on.

The object kinds live in :mod:`orchestrator.objects`; they are re-exported here so the rest of the
engine can keep importing everything from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .objects import (  # noqa: F401  (re-exported)
    DEFAULT_TOLERATIONS,
    SPARSE_STORES,
    SYSTEM_NAMESPACES,
    ConfigMap,
    Deployment,
    Event,
    HorizontalPodAutoscaler,
    Ingress,
    Job,
    ManagedCertificate,
    Node,
    NodePool,
    Pod,
    PodDisruptionBudget,
    ReplicaSet,
    Secret,
    Service,
    Taint,
    matches,
)
from .record import Record, _copy


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
    # The SPARSE_STORES (ConfigMaps, Secrets, Jobs...): left out of snapshots while empty.
    configmaps: dict[str, dict] = field(default_factory=dict)
    secrets: dict[str, dict] = field(default_factory=dict)
    pdbs: dict[str, dict] = field(default_factory=dict)
    jobs: dict[str, dict] = field(default_factory=dict)
    ingresses: dict[str, dict] = field(default_factory=dict)
    certificates: dict[str, dict] = field(default_factory=dict)

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
        for attr, kind in SPARSE_STORES.items():
            setattr(self, attr, {k: v if isinstance(v, kind) else kind.from_dict(v)
                                 for k, v in getattr(self, attr).items()})
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
        if pod.node is not None and pod.node in self.nodes and not pod.finished:
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

    def to_dict(self, copy: bool = True) -> dict[str, Any]:
        self.sched_queue = list(self._sched_set)
        self.kubelet_queue = list(self._kubelet_set)
        self.dirty_rs = list(self._dirty_rs)
        self.dirty_deployments = list(self._dirty_deploy)
        data = {k: _copy(v) if copy else v for k, v in self.__dict__.items()
                if not k.startswith("_") and k not in _LIVE_FIELDS}
        data["node_pools"] = [p.to_dict(copy) for p in self.node_pools]
        data["nodes"] = {k: v.to_dict(copy) for k, v in self.nodes.items()}
        data["pods"] = {k: v.to_dict(copy) for k, v in self.pods.items()}
        data["replicasets"] = {k: v.to_dict(copy) for k, v in self.replicasets.items()}
        data["deployments"] = {k: v.to_dict(copy) for k, v in self.deployments.items()}
        data["services"] = {k: v.to_dict(copy) for k, v in self.services.items()}
        data["hpas"] = {k: v.to_dict(copy) for k, v in self.hpas.items()}
        data["events"] = [e.to_dict(copy) for e in self.events]
        for attr in SPARSE_STORES:
            objects = getattr(self, attr)
            if objects:
                data[attr] = {k: v.to_dict(copy) for k, v in objects.items()}
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
        if pod.node is not None and pod.node in self.nodes and not pod.finished:
            self._account(self.nodes[pod.node], pod, -1)
            self.sched_retry = True
        if pod.owner_kind == "ReplicaSet":
            rs_key = f"{pod.namespace}/{pod.owner}"
            self._rs_pods.get(rs_key, {}).pop(pod.key, None)
            self.mark_rs(rs_key)

    def finish_pod(self, pod: Pod, now: float) -> None:
        """A pod whose containers all exited with 0 (a Job's pod): Succeeded, and no longer counted on its node,
        as the scheduler's cache drops pods in a terminal phase."""
        if pod.node is not None and pod.node in self.nodes and not pod.finished:
            self._account(self.nodes[pod.node], pod, -1)
            self.sched_retry = True
        pod.phase, pod.reason, pod.ready, pod.ready_since = "Succeeded", "Completed", False, None
        pod.finished_at = now

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


_LIVE_FIELDS = {"node_pools", "nodes", "pods", "replicasets", "deployments", "services", "hpas", "events",
                *SPARSE_STORES}
