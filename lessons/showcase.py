"""The short scripted session that the home page runs through the engine: its transcript, and a picture of the
cluster it leaves behind (nodes with the pods placed on them), both taken from the same run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from orchestrator import Simulation

SEED = 42
SYSTEM_NAMESPACE = "kube-system"
COLOURS = 4  # deployment colours in the picture: .mini-pod--c0 … --c3 in site.css

# A step is a command line, or an int: simulated seconds to let the controllers work.
SCRIPT: tuple[str | int, ...] = (
    "gcloud container clusters create demo --num-nodes=3 --zone=asia-northeast3-a",
    "kubectl create deployment web --image=nginx:1.27 --replicas=3",
    "kubectl create deployment cache --image=redis:7.4 --replicas=2",
    30,
    "kubectl get nodes",
    "kubectl get deployments",
    "kubectl get pods -o wide",
)


@dataclass(frozen=True)
class PodChip:
    name: str
    app: str  # the deployment that owns it
    colour: int
    status: str  # as kubectl get pods prints it
    ready: bool

    @property
    def suffix(self) -> str:
        return self.name.rsplit("-", 1)[-1]


@dataclass(frozen=True)
class NodeCard:
    name: str
    zone: str
    machine_type: str
    status: str  # as kubectl get nodes prints it
    cpu_percent: int  # CPU requested of allocatable, rounded down as kubectl describe node prints it
    pods: tuple[PodChip, ...]
    system_pods: int


@dataclass(frozen=True)
class ClusterPicture:
    name: str
    location: str
    nodes: tuple[NodeCard, ...]
    apps: tuple[tuple[str, int], ...]  # (deployment name, colour), for the legend

    @property
    def pod_count(self) -> int:
        return sum(len(node.pods) for node in self.nodes)


@dataclass(frozen=True)
class Showcase:
    transcript: tuple[tuple[str, str], ...]  # (command, output) for each command of SCRIPT
    cluster: ClusterPicture | None


@cache
def showcase() -> Showcase:
    """Run SCRIPT in a fresh simulation; the transcript and the picture of the cluster it leaves.

    The engine is deterministic, so the result is the same every time: it is computed once per process.
    """
    sim = Simulation(seed=SEED)
    transcript = []
    for step in SCRIPT:
        if isinstance(step, int):
            sim.advance(step)
        else:
            transcript.append((step, sim.run(step)))
    return Showcase(tuple(transcript), _picture(sim))


def run_showcase() -> tuple[tuple[str, str], ...]:
    """(command, output) for each command of SCRIPT."""
    return showcase().transcript


def _picture(sim: Simulation) -> ClusterPicture | None:
    cluster = sim.current_cluster()
    if cluster is None:
        return None
    apps = sorted(d.name for d in cluster.deployments.values() if d.namespace != SYSTEM_NAMESPACE)
    colours = {name: i % COLOURS for i, name in enumerate(apps)}
    nodes = []
    for node in sorted(cluster.nodes.values(), key=lambda n: (n.zone, n.name)):
        placed = [pod for pod in cluster.pods_on(node) if not pod.finished]
        workload = []
        for pod in placed:
            deployment = cluster.deployment_of(pod)
            if pod.namespace != SYSTEM_NAMESPACE and deployment is not None:
                workload.append(PodChip(pod.name, deployment.name, colours[deployment.name], pod.status_text,
                                        pod.ready))
        requested = sum(pod.cpu for pod in placed)
        nodes.append(NodeCard(
            name=node.name, zone=node.zone, machine_type=node.machine_type, status=node.status_text,
            cpu_percent=requested * 100 // node.cpu if node.cpu else 0,
            pods=tuple(sorted(workload, key=lambda p: (p.app, p.name))),
            system_pods=sum(1 for pod in placed if pod.namespace == SYSTEM_NAMESPACE)))
    return ClusterPicture(cluster.name, cluster.location, tuple(nodes), tuple(colours.items()))
