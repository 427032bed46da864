"""Our kubectl: the verbs that change things (create, run, scale, delete, cordon, drain), config and version,
and the AGE column. `kubectl get` in all its forms is in test_commands_kubectl_get.py."""

import pytest

from orchestrator import Simulation
from tests.orchestrator.conftest import (
    ZONE,
    assert_aligned,
    cluster,
    column,
    deploy,
    fails,
    has_hangul,
    live_pods,
    make_sim,
    node_names,
    ok,
    pods_of,
    running,
    table_rows,
)

# --- create and run -------------------------------------------------------------------------------


def test_create_deployment_makes_replicaset_and_pods_at_once():
    sim = make_sim()
    assert ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=2") == "deployment.apps/web created"
    pods = pods_of(sim, "web")
    assert len(pods) == 2
    assert {p.phase for p in pods} == {"Pending"}
    assert len(cluster(sim).replicasets) == 1


def test_create_deployment_image_with_space_form():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image nginx:1.27")
    assert cluster(sim).deployments["default/web"].template["containers"][0]["image"] == "nginx:1.27"


def test_create_deployment_twice_already_exists():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    text = fails(sim, "kubectl create deployment web --image=nginx:1.27")
    assert 'deployments.apps "web" already exists' in text
    assert len(pods_of(sim, "web")) == 1


def test_create_deployment_without_image():
    sim = make_sim()
    assert fails(sim, "kubectl create deployment web") == 'error: required flag(s) "image" not set'


def test_create_deployment_without_name():
    sim = make_sim()
    text = fails(sim, "kubectl create deployment --image=nginx")
    assert text.split("\n")[0] == "error: exactly one NAME is required, got 0"


def test_create_deployment_invalid_name():
    sim = make_sim()
    text = fails(sim, "kubectl create deployment Web_1 --image=nginx")
    assert "metadata.name: Invalid value" in text
    assert not cluster(sim).deployments


def test_create_deployment_negative_replicas():
    sim = make_sim()
    assert "must be greater than or equal to 0" in fails(sim, "kubectl create deployment web --image=nginx "
                                                              "--replicas=-2")


def test_create_deployment_bad_replicas_value():
    sim = make_sim()
    text = fails(sim, "kubectl create deployment web --image=nginx --replicas=two")
    assert text.startswith('error: invalid argument "two" for "--replicas" flag')


def test_run_creates_a_bare_pod():
    sim = make_sim()
    assert ok(sim, "kubectl run hello --image=nginx:1.27") == "pod/hello created"
    sim.advance(20)
    pod = cluster(sim).pods["default/hello"]
    assert pod.labels == {"run": "hello"}
    assert pod.owner_kind is None
    assert pod.phase == "Running"
    assert "Already" in fails(sim, "kubectl run hello --image=nginx:1.27")


def test_run_without_image():
    sim = make_sim()
    assert fails(sim, "kubectl run hello") == 'error: required flag(s) "image" not set'


# --- scale ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["deployment web", "deployment/web", "deploy/web", "deployments/web"])
def test_scale_up(target):
    sim = make_sim()
    deploy(sim, replicas=1)
    assert ok(sim, f"kubectl scale {target} --replicas=4") == "deployment.apps/web scaled"
    assert len(live_pods(sim, "web")) == 4
    sim.advance(30)
    assert len(running(sim, "web")) == 4


def test_scale_replicas_space_form():
    sim = make_sim()
    deploy(sim, replicas=1)
    ok(sim, "kubectl scale deployment web --replicas 2")
    assert cluster(sim).deployments["default/web"].replicas == 2


def test_scale_down_terminates_then_removes_pods():
    sim = make_sim()
    deploy(sim, replicas=4)
    ok(sim, "kubectl scale deployment web --replicas=1")
    pods = pods_of(sim, "web")
    assert sum(p.terminating for p in pods) == 3
    assert "Terminating" in column(ok(sim, "kubectl get pods"), "STATUS")
    sim.advance(5)
    assert len(pods_of(sim, "web")) == 1
    assert len(running(sim, "web")) == 1


def test_scale_negative_replicas():
    sim = make_sim()
    deploy(sim, replicas=1)
    assert fails(sim, "kubectl scale deployment web --replicas=-1") == (
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")


def test_scale_without_replicas():
    sim = make_sim()
    deploy(sim, replicas=1)
    assert fails(sim, "kubectl scale deployment web") == 'error: required flag(s) "replicas" not set'


def test_scale_huge_is_refused_without_changing_anything():
    sim = make_sim()
    deploy(sim, replicas=2)
    before = sim.to_dict()
    text = fails(sim, "kubectl scale deployment web --replicas=1000000")
    assert has_hangul(text)
    assert sim.to_dict() == before


def test_scale_out_of_int64_range():
    sim = make_sim()
    deploy(sim, replicas=1)
    assert "value out of range" in fails(sim, "kubectl scale deployment web --replicas=99999999999999999999")


def test_scale_missing_deployment():
    sim = make_sim()
    assert fails(sim, "kubectl scale deployment x --replicas=2") == (
        'Error from server (NotFound): deployments.apps "x" not found')


def test_scale_current_replicas_precondition():
    sim = make_sim()
    deploy(sim, replicas=2)
    assert "Expected replicas to be 5, was 2" in fails(sim, "kubectl scale deploy web --current-replicas=5 "
                                                            "--replicas=3")
    ok(sim, "kubectl scale deploy web --current-replicas=2 --replicas=3")


# --- delete ---------------------------------------------------------------------------------------


def test_delete_pod_of_deployment_is_replaced():
    sim = make_sim()
    pods = deploy(sim, replicas=2)
    victim = pods[0].name
    assert ok(sim, f"kubectl delete pod {victim}") == f'pod "{victim}" deleted'
    assert cluster(sim).pods[f"default/{victim}"].terminating
    assert len(live_pods(sim, "web")) == 2  # the ReplicaSet replaced it at once
    sim.advance(30)
    names = [p.name for p in running(sim, "web")]
    assert len(names) == 2 and victim not in names
    assert f"default/{victim}" not in cluster(sim).pods


def test_delete_bare_pod_is_not_replaced():
    sim = make_sim()
    ok(sim, "kubectl run hello --image=nginx:1.27")
    sim.advance(20)
    ok(sim, "kubectl delete pod/hello")
    sim.advance(10)
    assert "default/hello" not in cluster(sim).pods


def test_delete_missing_pod():
    sim = make_sim()
    assert fails(sim, "kubectl delete pod x") == 'Error from server (NotFound): pods "x" not found'


def test_delete_deployment_removes_its_pods_after_termination():
    sim = make_sim()
    deploy(sim, replicas=3)
    assert ok(sim, "kubectl delete deployment web") == 'deployment.apps "web" deleted'
    assert not cluster(sim).deployments and not cluster(sim).replicasets
    assert all(p.terminating for p in pods_of(sim, "web"))
    sim.advance(10)
    assert pods_of(sim, "web") == []
    assert ok(sim, "kubectl get pods") == "No resources found in default namespace."


def test_delete_pods_by_selector():
    sim = make_sim()
    deploy(sim, replicas=2)
    text = ok(sim, "kubectl delete pods -l app=web")
    assert text.count("deleted") == 2


def test_delete_without_name():
    sim = make_sim()
    assert fails(sim, "kubectl delete pods") == "error: resource(s) were provided, but no name was specified"


# --- cordon, uncordon, drain ----------------------------------------------------------------------


def test_cordon_marks_node_unschedulable_and_new_pods_avoid_it():
    sim = make_sim()
    node = node_names(sim)[0]
    assert ok(sim, f"kubectl cordon {node}") == f"node/{node} cordoned"
    assert ok(sim, f"kubectl cordon {node}") == f"node/{node} already cordoned"
    rows = {r["NAME"]: r["STATUS"] for r in table_rows(ok(sim, "kubectl get nodes"))}
    assert rows[node] == "Ready,SchedulingDisabled"
    pods = deploy(sim, replicas=6)
    assert len(pods) == 6 and all(p.node and p.node != node for p in pods)
    assert ok(sim, f"kubectl uncordon {node}") == f"node/{node} uncordoned"
    assert ok(sim, f"kubectl uncordon {node}") == f"node/{node} already uncordoned"
    assert {r["STATUS"] for r in table_rows(ok(sim, "kubectl get nodes"))} == {"Ready"}


def test_cordon_missing_node():
    sim = make_sim()
    assert fails(sim, "kubectl cordon x") == 'Error from server (NotFound): nodes "x" not found'


def test_drain_without_ignore_daemonsets_refuses_with_daemonset_message():
    sim = make_sim()
    deploy(sim, replicas=3)
    node = node_names(sim)[0]
    text = fails(sim, f"kubectl drain {node}")
    assert text.split("\n")[0] == f"node/{node} cordoned"
    assert "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)" in text
    assert f'error: unable to drain node "{node}"' in text
    assert all(not p.terminating for p in live_pods(sim, "web"))


def test_drain_with_ignore_daemonsets_evicts_and_reschedules_elsewhere():
    sim = make_sim()
    pods = deploy(sim, replicas=3)
    node = pods[0].node
    on_node = [p.name for p in pods if p.node == node]
    text = ok(sim, f"kubectl drain {node} --ignore-daemonsets")
    lines = text.split("\n")
    assert lines[0] == f"node/{node} cordoned"
    assert lines[-1] == f"node/{node} drained"
    for name in on_node:
        assert f"evicting pod default/{name}" in lines
        assert f"pod/{name} evicted" in lines
    assert not any("kube-proxy" in line for line in lines if line.startswith("evicting"))
    sim.advance(30)
    now = running(sim, "web")
    assert len(now) == 3
    assert all(p.node != node for p in now)
    system = [p for p in cluster(sim).pods.values() if p.node == node and p.namespace == "kube-system"]
    assert len(system) == 4 and not any(p.terminating for p in system)


def test_drain_bare_pod_needs_force():
    sim = make_sim(nodes=1)
    ok(sim, "kubectl run hello --image=nginx:1.27")
    sim.advance(20)
    node = node_names(sim)[0]
    assert "use --force to override" in fails(sim, f"kubectl drain {node} --ignore-daemonsets")
    ok(sim, f"kubectl drain {node} --ignore-daemonsets --force")


# --- config, version, cluster-info --------------------------------------------------------------


def test_config_contexts():
    sim = make_sim()
    ok(sim, f"gcloud container clusters create other --num-nodes=1 --zone={ZONE}")
    demo, other = f"gke_k8s-learning_{ZONE}_demo", f"gke_k8s-learning_{ZONE}_other"
    assert ok(sim, "kubectl config current-context") == other
    text = ok(sim, "kubectl config get-contexts")
    rows = table_rows(text)
    assert [(r["CURRENT"], r["NAME"]) for r in rows] == [("", demo), ("*", other)]
    assert_aligned(text)
    assert ok(sim, f"kubectl config use-context {demo}") == f'Switched to context "{demo}".'
    assert ok(sim, "kubectl config current-context") == demo
    assert 'no context exists with the name: "nope"' in fails(sim, "kubectl config use-context nope")


def test_current_context_unset():
    assert fails(Simulation(seed=1), "kubectl config current-context") == "error: current-context is not set"


def test_version_with_and_without_server():
    sim = Simulation(seed=1)
    text = fails(sim, "kubectl version")
    assert text.startswith("Client Version: v1.")
    assert "The connection to the server localhost:8080 was refused" in text
    make = make_sim()
    lines = ok(make, "kubectl version").split("\n")
    assert lines[0].startswith("Client Version: v") and lines[-1].startswith("Server Version: v1.")
    assert "-gke." in lines[-1]


def test_cluster_info():
    sim = make_sim()
    endpoint = cluster(sim).endpoint
    text = ok(sim, "kubectl cluster-info")
    assert text.split("\n")[0] == f"Kubernetes control plane is running at https://{endpoint}"
    assert "KubeDNS is running at" in text


def test_k_is_an_alias_for_kubectl():
    sim = make_sim()
    assert ok(sim, "k get nodes") == ok(sim, "kubectl get nodes")


# --- AGE ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "age"), [(70, "70s"), (190, "3m10s"), (179 * 60, "179m"),
                                              (3 * 3600 + 60, "3h1m"), (50 * 3600, "2d2h")])
def test_age_column_follows_human_duration(seconds, age):
    sim = make_sim(nodes=1)
    remaining = seconds
    while remaining > 0:
        step = min(remaining, sim.limits.max_advance_seconds)
        sim.advance(step)
        remaining -= step
    assert column(ok(sim, "kubectl get nodes"), "AGE") == [age]


def test_a_manifest_pasted_on_its_own_says_how_to_apply_it():
    sim = Simulation.from_scenario("three-nodes", seed=1)
    for text in ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web", "---\nkind: Pod"):
        result = sim.execute(text)
        assert not result.ok and not result.changed
        assert "kubectl apply -f -" in result.text and "YAML" in result.text
    assert "YAML" not in sim.run("foo bar")
