"""The public face of the engine: a simulated Google Cloud project you talk to with command lines."""

from __future__ import annotations

import json
from typing import Any

from . import scheduler
from .catalog import ImageSizes
from .commands import CommandResult, dispatch
from .controllers import cluster_autoscaler, deployment, hpa, ingress, job, kubelet, node_lifecycle, replicaset, traffic
from .limits import Limits
from .model import Cluster
from .rng import Rng

SCHEMA_VERSION = 1
TICK = 1.0  # seconds of simulated time per controller round


class Simulation:
    """A Google Cloud project with GKE clusters, driven by ``kubectl``/``gcloud``/``sim`` command lines.

    Deterministic: the same seed and the same calls give byte-identical output and snapshots.
    """

    def __init__(self, seed: int = 0, limits: Limits | None = None, project: str = "k8s-learning") -> None:
        self.seed = seed
        self.limits = limits or Limits()
        self.project = project
        self.time = 0.0
        self.rng = Rng(seed)
        self.clusters: dict[str, Cluster] = {}
        self.contexts: dict[str, str] = {}  # kubeconfig: context name -> cluster name
        self.current_context: str | None = None
        self.config: dict[str, str] = {"project": project}  # gcloud config set ...
        self.ips: dict[str, int] = {}  # next internal address per region
        self.clusters_created = 0
        self.stdin = ""  # standard input of the command being run (not part of the state)

    # --- talking to it ------------------------------------------------------------------------------

    def run(self, line: str) -> str:
        """Run one command line and return what the real tool would print. Never raises."""
        return self.execute(line).text

    def execute(self, line: str) -> CommandResult:
        """Like :meth:`run`, with the success flag as well."""
        return dispatch(self, line)

    def advance(self, seconds: float) -> None:
        """Let simulated time pass; controllers reconcile once per simulated second."""
        if seconds != seconds or seconds <= 0:  # NaN or nothing to do
            return
        seconds = min(float(seconds), float(self.limits.max_advance_seconds))
        end = self.time + seconds
        while self.time + TICK <= end + 1e-9:
            self.time = round(self.time + TICK, 6)
            self.tick()
        self.time = round(end, 6)

    def tick(self) -> None:
        """One round of every controller, in the order kube's components would typically act."""
        now = self.time
        for cluster in self.clusters.values():
            node_lifecycle.reconcile(cluster, now)
            hpa.reconcile(cluster, now)
            deployment.reconcile(cluster, now, self.rng)
            replicaset.reconcile(cluster, now, self.rng, self.pod_room())
            deployment.reconcile(cluster, now, self.rng)
            if cluster.jobs:
                job.reconcile(cluster, now, self.rng, self.pod_room())
            scheduler.schedule(cluster, now, self.rng, ImageSizes())
            kubelet.reconcile(cluster, now)
            traffic.reconcile(cluster, now, self.rng)
            ingress.reconcile(cluster, now, self.rng)
            cluster_autoscaler.reconcile(cluster, now, self.rng, self.ips, self.project, self.pod_room(),
                                         self.limits.max_nodes_per_cluster)

    def settle(self) -> None:
        """Run the controllers at the current instant, so a command's effects show at once
        (a new deployment's ReplicaSet and pods exist right after ``kubectl create``)."""
        now = self.time
        for cluster in self.clusters.values():
            deployment.reconcile(cluster, now, self.rng)
            replicaset.reconcile(cluster, now, self.rng, self.pod_room())
            deployment.reconcile(cluster, now, self.rng)
            if cluster.jobs:
                job.reconcile(cluster, now, self.rng, self.pod_room())

    def pod_room(self) -> int:
        return max(0, self.limits.max_pods - sum(len(c.pods) for c in self.clusters.values()))

    # --- where kubectl points -----------------------------------------------------------------------

    def current_cluster(self) -> Cluster | None:
        if self.current_context is None:
            return None
        return self.clusters.get(self.contexts.get(self.current_context, ""))

    def context_name(self, cluster: Cluster) -> str:
        return f"gke_{self.project}_{cluster.location}_{cluster.name}"

    # --- snapshots ----------------------------------------------------------------------------------

    def to_dict(self, copy: bool = True) -> dict[str, Any]:
        """A JSON-safe snapshot; :meth:`from_dict` restores it exactly. Without ``copy`` the dict shares its
        lists and dicts with the live objects (see :meth:`to_json`)."""
        data = {
            "schema": SCHEMA_VERSION,
            "seed": self.seed,
            "project": self.project,
            "time": self.time,
            "rng": self.rng.state,
            "limits": self.limits.to_dict(),
            "clusters": {name: c.to_dict(copy) for name, c in self.clusters.items()},
            "contexts": dict(self.contexts),
            "current_context": self.current_context,
            "config": dict(self.config),
            "ips": dict(self.ips),
            "clusters_created": self.clusters_created,
        }
        return data

    def to_json(self) -> str:
        """The snapshot as compact JSON text, the same as ``json.dumps(to_dict())`` but encoded straight from
        the live objects, without copying them first: what a caller that stores snapshots as text should use."""
        # No cycle check: a snapshot is a tree of plain values (a cycle would be a bug, and still an error).
        return json.dumps(self.to_dict(copy=False), separators=(",", ":"), check_circular=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Simulation:
        """Restore a snapshot from :meth:`to_json`'s (or ``json.dumps(to_dict())``'s) text."""
        return cls._restore(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Simulation:
        """Restore a snapshot made by :meth:`to_dict`. The caller's dict is left alone (it is copied)."""
        return cls._restore(json.loads(json.dumps(data)))

    @classmethod
    def _restore(cls, data: dict[str, Any]) -> Simulation:
        """Build from a snapshot dict that is ours to take over."""
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema != SCHEMA_VERSION:
            raise ValueError(f"unsupported snapshot schema {schema!r} (expected {SCHEMA_VERSION})")
        sim = cls(seed=data["seed"], limits=Limits.from_dict(data["limits"]), project=data["project"])
        sim.time = data["time"]
        sim.rng.state = data["rng"]
        sim.clusters = {name: Cluster.from_dict(c) for name, c in data["clusters"].items()}
        sim.contexts = data["contexts"]
        sim.current_context = data["current_context"]
        sim.config = data["config"]
        sim.ips = data["ips"]
        sim.clusters_created = data["clusters_created"]
        return sim

    @classmethod
    def from_scenario(cls, scenario: str | dict, seed: int = 0, limits: Limits | None = None) -> Simulation:
        """A simulation set up from a named scenario (``orchestrator/scenarios/NAME.yaml``) or a dict of
        the same shape. Raises :class:`ScenarioError` naming the field when the scenario is invalid."""
        from .scenario import build

        return build(cls, scenario, seed=seed, limits=limits)
