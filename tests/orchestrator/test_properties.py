"""Properties that must hold for any input: no crash, no over-commit, convergence, exact snapshots."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orchestrator.commands
from orchestrator import Simulation
from orchestrator.commands import INTERNAL_ERROR
from tests.orchestrator.conftest import ZONE, cluster, make_sim

FAST = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(["web", "api", "x", "demo", "Web", "-bad", "a" * 70, "kube-system", ""])
NUMBERS = st.sampled_from(["0", "1", "3", "7", "-1", "-5", "99999", "1000000000000", "9" * 30, "2.5", "abc", ""])
IMAGES = st.sampled_from(["nginx:1.27", "nginx", "redis:7.4", "nginx:9.9", "gcr.io/x/y:z", "", "::", "a@b"])
RESOURCES = st.sampled_from(["pods", "pod", "po", "deployments", "deploy", "rs", "nodes", "no", "svc", "events",
                             "ns", "all", "configmaps", "flurbs", "deploy/web", "pod/x", "node/x", "deployment/"])
FLAGS = st.sampled_from(["", "-o wide", "-o name", "-o json", "-A", "-n kube-system", "-n", "-l app=web",
                         "-l '!!'", "--show-labels", "--foo", "-z", "--output=", "-w", "--", "-n nowhere"])


def _node_ref(sim_nodes):
    return st.sampled_from(["nope", "", "gke", "a", *sim_nodes])


@st.composite
def command(draw, nodes=()):
    name, number, image = draw(NAMES), draw(NUMBERS), draw(IMAGES)
    node = draw(_node_ref(list(nodes)))
    templates = [
        f"kubectl get {draw(RESOURCES)} {draw(FLAGS)}",
        f"kubectl create deployment {name} --image={image} --replicas={number}",
        f"kubectl create deployment {name} --image {image}",
        f"kubectl create namespace {name}",
        f"kubectl run {name} --image={image}",
        f"kubectl scale deployment {name} --replicas={number}",
        f"kubectl scale {draw(RESOURCES)} --replicas={number}",
        f"kubectl delete {draw(RESOURCES)} {name}",
        f"kubectl delete pods -l app={name}",
        f"kubectl describe {draw(RESOURCES)} {name}",
        f"kubectl cordon {node}",
        f"kubectl uncordon {node}",
        f"kubectl drain {node} --ignore-daemonsets",
        f"kubectl drain {node} --ignore-daemonsets --force",
        f"kubectl config use-context {name}",
        "kubectl config get-contexts",
        "kubectl version",
        "kubectl cluster-info",
        f"kubectl logs {name}",
        f"kubectl {name}",
        f"sim node fail {node}",
        f"sim node recover {node}",
        f"sim advance {number}",
        "sim status",
        "sim",
        f"gcloud container clusters create {name} --num-nodes={number} --zone={ZONE}",
        f"gcloud container clusters create {name} --region=asia-northeast3 --num-nodes={number}",
        f"gcloud container clusters resize demo --num-nodes={number} --zone={ZONE}",
        f"gcloud container clusters delete {name} --zone={ZONE} --quiet",
        f"gcloud container clusters get-credentials {name} --zone={ZONE}",
        "gcloud container clusters list",
        f"gcloud container node-pools create {name} --cluster=demo --zone={ZONE} --num-nodes={number}",
        f"gcloud container node-pools delete {name} --cluster=demo --zone={ZONE}",
        f"gcloud config set compute/zone {name}",
        f"help {name}",
        f"{name} {number}",
    ]
    return draw(st.sampled_from(templates))


def _steps(nodes=()):
    advance = st.builds(float, st.sampled_from([0, 0.5, 1, 5, 30, 60, 301, 3600]))
    return st.lists(st.one_of(command(nodes), advance), max_size=25)


def _run(sim, step):
    if isinstance(step, float):
        sim.advance(step)
        return None
    result = sim.execute(step)
    assert isinstance(result.text, str)
    assert INTERNAL_ERROR not in result.text, f"{step!r}:\n{result.text}"
    return result


def _check_capacity(sim):
    for c in sim.clusters.values():
        for node in c.nodes.values():
            bound = [p for p in c.pods.values() if p.node == node.name and p.phase not in ("Succeeded", "Failed")]
            assert sum(p.cpu for p in bound) <= node.cpu, node.name
            assert sum(p.memory for p in bound) <= node.memory, node.name
            assert len(bound) <= node.max_pods, node.name
        for pod in c.pods.values():
            assert pod.node is None or pod.node in c.nodes


def _enable_raise():
    orchestrator.commands.RAISE_INTERNAL_ERRORS = True


@FAST
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(line):
    _enable_raise()
    sim = make_sim(nodes=1)
    for prefix in ("", "kubectl ", "gcloud ", "sim ", "kubectl get ", "gcloud container clusters create "):
        result = sim.execute(prefix + line)
        assert INTERNAL_ERROR not in result.text


@settings(max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_command_sequences_never_crash(data):
    _enable_raise()
    sim = make_sim(seed=data.draw(st.integers(0, 3)), nodes=2)
    for step in data.draw(_steps(sorted(cluster(sim).nodes))):
        _run(sim, step)
    _check_capacity(sim)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_nodes_are_never_over_committed(data):
    _enable_raise()
    sim = make_sim(seed=data.draw(st.integers(0, 5)), nodes=3)
    nodes = sorted(cluster(sim).nodes)
    sim.run("kubectl create deployment web --image=nginx:1.27 --replicas=4")
    sim.run("kubectl create deployment api --image=redis:7.4 --replicas=2")
    action = st.one_of(
        st.builds(lambda n, r: f"kubectl scale deployment {n} --replicas={r}", st.sampled_from(["web", "api"]),
                  st.integers(0, 40)),
        st.builds(lambda v, n: f"sim node {v} {n}", st.sampled_from(["fail", "recover"]), st.sampled_from(nodes)),
        st.builds(lambda v, n: f"kubectl {v} {n}", st.sampled_from(["cordon", "uncordon"]), st.sampled_from(nodes)),
        st.builds(lambda n: f"kubectl drain {n} --ignore-daemonsets", st.sampled_from(nodes)),
        st.builds(lambda r: f"gcloud container clusters resize demo --num-nodes={r} --zone={ZONE}",
                  st.integers(1, 5)),
        st.builds(float, st.sampled_from([1, 3, 10, 60, 400])),
    )
    for step in data.draw(st.lists(action, max_size=20)):
        _run(sim, step)
        _check_capacity(sim)


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_deployments_converge_when_there_is_room(data):
    _enable_raise()
    sim = make_sim(seed=data.draw(st.integers(0, 5)), nodes=4, machine_type="e2-standard-4")
    nodes = sorted(cluster(sim).nodes)
    names = ["web", "api", "cache"]
    for name in names:
        sim.run(f"kubectl create deployment {name} --image=nginx:1.27 --replicas=1")
    action = st.one_of(
        st.builds(lambda n, r: f"kubectl scale deployment {n} --replicas={r}", st.sampled_from(names),
                  st.integers(0, 12)),
        st.builds(lambda p: f"kubectl delete pods -l app={p}", st.sampled_from(names)),
        st.builds(lambda v, n: f"kubectl {v} {n}", st.sampled_from(["cordon", "uncordon"]),
                  st.sampled_from(nodes[1:])),
        st.builds(lambda n: f"sim node fail {n}", st.sampled_from(nodes[1:])),
        st.builds(float, st.sampled_from([1, 5, 30, 400])),
    )
    for step in data.draw(st.lists(action, max_size=15)):
        _run(sim, step)
    for node in nodes:
        sim.run(f"sim node recover {node}")
        sim.run(f"kubectl uncordon {node}")
    sim.advance(120)
    c = cluster(sim)
    for d in c.deployments.values():
        ready = [p for p in c.pods.values() if p.labels.get("app") == d.name and p.ready and not p.terminating]
        assert len(ready) == d.replicas, d.name


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_snapshot_round_trip_at_any_point(data):
    _enable_raise()
    sim = make_sim(seed=data.draw(st.integers(0, 3)), nodes=2)
    steps = data.draw(_steps(sorted(cluster(sim).nodes)))
    for step in steps:
        _run(sim, step)
        snapshot = sim.to_dict()
        assert Simulation.from_dict(snapshot).to_dict() == snapshot
    tail = data.draw(_steps(sorted(cluster(sim).nodes) if sim.current_cluster() else ()))
    restored = Simulation.from_dict(sim.to_dict())
    outputs = [[_run(s, step) for step in tail] for s in (sim, restored)]
    assert outputs[0] == outputs[1]
    assert sim.to_dict() == restored.to_dict()
