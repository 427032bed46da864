"""CommandResult.changed: False only when the command left the snapshot exactly as it was. The web app trusts it
to skip writing the snapshot, so a wrong False would lose a learner's change in another web process."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator import Simulation
from orchestrator.commands.readonly import reads_only
from tests.orchestrator.conftest import ZONE, make_sim, ok

# Every read-only form, with and without trouble (missing names, bad flags, no cluster).
LOOKS = [
    "kubectl get pods", "kubectl get pods -o wide", "kubectl get all -A -o yaml", "kubectl get deploy web -o json",
    "kubectl get pods -w", "kubectl get nope", "kubectl get pods --bogus", "kubectl describe pods",
    "kubectl describe deployment web", "kubectl describe node", "kubectl describe svc nope", "kubectl top pods",
    "kubectl top nodes", "kubectl logs deploy/web", "kubectl logs deploy/web --tail=3 -f", "kubectl logs nope",
    "kubectl cluster-info", "kubectl version", "kubectl", "kubectl --help", "kubectl config current-context",
    "kubectl config get-contexts", "kubectl config view", "kubectl rollout history deployment/web",
    "kubectl rollout", "kubectl frobnicate", "kubectl edit deploy web", "k get events",
    "gcloud container clusters list", f"gcloud container clusters describe demo --zone={ZONE}",
    f"gcloud container node-pools list --cluster=demo --zone={ZONE}", "gcloud config list",
    "gcloud config get-value project", "gcloud config unset project", "gcloud compute instances list",
    "gcloud container", "gcloud", "sim", "sim status", "sim cost", "sim explain pod web", "help", "help kubectl",
    "ls -la", "", "kubectl get pods | grep web", "kubectl get 'pods",
]
# Forms that change things, or may: they must say so even when this particular call fails.
CHANGES = [
    "kubectl scale deployment web --replicas=5", "kubectl rollout status deployment/web",
    "kubectl config use-context nope", "kubectl delete pod nope", "gcloud config set compute/zone " + ZONE,
    f"gcloud container clusters resize demo --num-nodes=4 --zone={ZONE} --quiet", "sim advance 5",
    "sim node fail nope", "kubectl apply -f -\nkind: Nope", "kubectl set image deployment/web nginx=nginx:1.28",
]


def _world(seed: int = 3) -> Simulation:
    sim = make_sim(seed=seed, nodes=3)
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    ok(sim, "kubectl expose deployment web --port=80 --type=LoadBalancer")
    ok(sim, "kubectl autoscale deployment web --min=2 --max=6 --cpu-percent=50")
    sim.advance(20)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.28")  # a rollout under way
    sim.advance(2)
    return sim


def _snapshot(sim: Simulation) -> str:
    return json.dumps(sim.to_dict(), sort_keys=True)


@pytest.mark.parametrize("line", LOOKS)
def test_looking_changes_nothing_and_says_so(line):
    sim = _world()
    before = _snapshot(sim)
    result = sim.execute(line)
    assert result.changed is False, line
    assert _snapshot(sim) == before, line


@pytest.mark.parametrize("line", LOOKS[:12])
def test_looking_at_an_empty_project_changes_nothing(line):
    sim = Simulation(seed=1)
    before = _snapshot(sim)
    assert sim.execute(line).changed is False
    assert _snapshot(sim) == before


@pytest.mark.parametrize("line", CHANGES)
def test_changing_forms_say_they_may_have_changed(line):
    assert _world().execute(line).changed is True, line


def test_rollout_status_is_not_a_look_it_waits_in_simulated_time():
    sim = _world()
    start = sim.time
    result = sim.execute("kubectl rollout status deployment/web")
    assert result.changed and sim.time > start


def test_a_line_that_cannot_be_split_runs_nothing():
    sim = _world()
    result = sim.execute("kubectl scale deployment web --replicas='5")
    assert not result.ok and result.changed is False


def test_classification_is_by_the_first_words():
    assert reads_only(["kubectl", "get", "pods"])
    assert reads_only(["k", "describe", "node", "x"])
    assert not reads_only(["kubectl", "rollout", "status", "deploy/web"])
    assert not reads_only(["kubectl", "config", "use-context", "x"])
    assert not reads_only(["gcloud", "config", "set", "project", "p"])
    assert not reads_only(["gcloud", "container", "clusters", "create", "c"])
    assert not reads_only(["sim", "traffic", "web", "5"])


WORDS = st.sampled_from(["web", "nope", "-o", "wide", "yaml", "-A", "-n", "kube-system", "--tail=2", "-w", "pods",
                         "deploy", "svc", "nodes", "events", "all", "demo", f"--zone={ZONE}", "--cluster=demo",
                         "deployment/web", "status", "history", "undo", "view", "list", "describe"])
HEADS = st.sampled_from(["kubectl get", "kubectl describe", "kubectl top", "kubectl logs", "kubectl rollout",
                         "kubectl config", "kubectl scale deployment web --replicas=4", "kubectl cordon",
                         "gcloud container clusters", "gcloud container node-pools", "gcloud config", "sim",
                         "sim explain", "help", "kubectl version", "kubectl cluster-info"])


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=HEADS, tail=st.lists(WORDS, max_size=4), seed=st.integers(0, 3))
def test_any_command_that_says_it_changed_nothing_changed_nothing(head, tail, seed):
    sim = _world(seed)
    line = " ".join([head, *tail])
    before = _snapshot(sim)
    result = sim.execute(line)
    if not result.changed:
        assert _snapshot(sim) == before, line
