"""Kinds a production deployment needs around its pods: configuration (ConfigMap, Secret), batch work (Job),
disruption budgets (PodDisruptionBudget) and GKE's HTTP(S) front door (Ingress, ManagedCertificate).

Like :mod:`orchestrator.objects`, every object is flat and serialises by copying ``__dict__``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .record import Namespaced


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


# Cluster attribute -> kind, for snapshots and lookups.
EXTRA_KINDS: dict[str, type] = {"configmaps": ConfigMap, "secrets": Secret, "pdbs": PodDisruptionBudget,
                                "jobs": Job, "ingresses": Ingress, "certificates": ManagedCertificate}
