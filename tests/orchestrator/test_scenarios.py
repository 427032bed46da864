"""Named scenarios and scenario dicts."""

import pytest

from orchestrator import ScenarioError, Simulation, scenario_names
from tests.orchestrator.conftest import cluster, ok, running, table_rows


def test_the_shipped_scenarios_are_listed():
    names = scenario_names()
    assert {"empty-project", "three-nodes", "regional", "web-behind-lb"} <= set(names)


@pytest.mark.parametrize("name", scenario_names())
def test_every_named_scenario_builds_and_round_trips(name):
    sim = Simulation.from_scenario(name)
    data = sim.to_dict()
    assert Simulation.from_dict(data).to_dict() == data
    if sim.clusters:
        assert sim.current_cluster() is not None
        ok(sim, "kubectl get nodes")


def test_empty_project_has_no_cluster():
    sim = Simulation.from_scenario("empty-project")
    assert not sim.clusters
    assert "was refused" in sim.run("kubectl get nodes")


def test_three_nodes_scenario():
    sim = Simulation.from_scenario("three-nodes")
    assert len(cluster(sim).nodes) == 3
    assert {n.machine_type for n in cluster(sim).nodes.values()} == {"e2-medium"}


def test_regional_scenario_has_a_node_in_each_zone():
    sim = Simulation.from_scenario("regional")
    assert sorted(n.zone for n in cluster(sim).nodes.values()) == [
        "asia-northeast3-a", "asia-northeast3-b", "asia-northeast3-c"]


def test_web_three_replicas_has_three_ready_pods():
    sim = Simulation.from_scenario("web-behind-lb")
    assert len(running(sim, "web")) == 3
    assert table_rows(ok(sim, "kubectl get deployments"))[0]["READY"] == "3/3"


def test_scenario_seed_changes_names_but_not_shape():
    a = Simulation.from_scenario("web-behind-lb", seed=1)
    b = Simulation.from_scenario("web-behind-lb", seed=2)
    assert set(cluster(a).nodes) != set(cluster(b).nodes)
    assert len(running(a, "web")) == len(running(b, "web")) == 3


def test_dict_scenario_with_explicit_nodes():
    sim = Simulation.from_scenario({
        "clusters": [{
            "name": "lab",
            "nodes": [{"name": "node-1", "cpu": "4", "memory": "8Gi", "zone": "asia-northeast3-a",
                       "labels": {"disk": "ssd"}}],
        }],
        "commands": ["kubectl create deployment web --image=nginx:1.27 --replicas=2"],
        "advance": 30,
    })
    (node,) = cluster(sim).nodes.values()
    assert node.name == "node-1"
    assert node.cpu == 4000 and node.memory == 8 * 2**30
    assert node.labels["disk"] == "ssd" and node.labels["kubernetes.io/hostname"] == "node-1"
    pods = running(sim, "web")
    assert len(pods) == 2 and {p.node for p in pods} == {"node-1"}
    assert [r["NAME"] for r in table_rows(ok(sim, "kubectl get nodes"))] == ["node-1"]


@pytest.mark.parametrize(("scenario", "field"), [
    ({"clusterz": []}, "clusterz"),
    ({"clusters": [{"name": "x", "colour": "red"}]}, "colour"),
    ({"clusters": [{"name": "x", "node_pools": [{"machine_type": "z9-mega"}]}]}, "machine_type"),
    ({"clusters": [{"name": "x", "node_pools": [{"nodes": -1}]}]}, "nodes"),
    ({"clusters": [{"name": "x", "nodes": [{"name": "n1", "cpu": "lots"}]}]}, "cpu"),
    ({"clusters": [{"name": "x", "nodes": [{"name": "n1", "memory": "-4Gi"}]}]}, "memory"),
    ({"clusters": [{"name": "x", "nodes": [{"name": "n1", "zone": "mars-1a"}]}]}, "zone"),
    ({"clusters": [{"name": "x", "nodes": [{"name": "n1"}, {"name": "n1"}]}]}, "name"),
    ({"clusters": [{"name": "x", "location": "mars"}]}, "location"),
    ({"clusters": [{"location": "asia-northeast3-a"}]}, "name"),
    ({"clusters": [{"name": "x"}], "commands": ["kubectl scale deployment nope --replicas=2"]}, "commands[0]"),
    ({"clusters": [{"name": "x"}], "commands": [42]}, "commands[0]"),
    ({"clusters": [{"name": "x"}], "advance": -5}, "advance"),
    ({"clusters": "x"}, "clusters"),
])
def test_invalid_scenarios_name_the_field(scenario, field):
    with pytest.raises(ScenarioError) as info:
        Simulation.from_scenario(scenario)
    assert field in str(info.value)


def test_unknown_named_scenario():
    with pytest.raises(ScenarioError) as info:
        Simulation.from_scenario("no-such-scenario")
    assert "no-such-scenario" in str(info.value)


def test_scenario_name_cannot_escape_the_directory():
    with pytest.raises(ScenarioError):
        Simulation.from_scenario("../simulation")


def test_failing_command_message_includes_kubectl_output():
    with pytest.raises(ScenarioError) as info:
        Simulation.from_scenario({"clusters": [{"name": "x"}], "commands": ["kubectl get deployment nope"]})
    assert 'deployments.apps "nope" not found' in str(info.value)
