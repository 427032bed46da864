"""Goal specs: loading from dicts, lists and YAML, validation errors that name the field, round trips."""

import pytest

from orchestrator.goals import GoalError, load
from tests.orchestrator.conftest import has_hangul, make_sim
from tests.orchestrator.test_goals import passes

# --- loading and validation -------------------------------------------------------------------------


def test_dict_list_and_yaml_text_load_to_equal_goals():
    one = {"ready_replicas": {"deployment": "web", "at_least": 3}}
    assert load(one) == load("ready_replicas: {deployment: web, at_least: 3}")
    assert load([one]) == load("- ready_replicas:\n    deployment: web\n    at_least: 3\n")
    assert load([one]).to_dict() == {"all": [one]}


@pytest.mark.parametrize("spec", [
    {"cluster_exists": {"name": "demo", "location": "asia-northeast3", "mode": "autopilot"}},
    {"deployment_exists": {"deployment": "web", "image": "nginx:1.27", "namespace": "prod", "cluster": "demo"}},
    {"ready_replicas": {"deployment": "web", "exactly": 2}},
    {"spread": {"deployment": "web", "nodes": 3, "zones": 2}},
    {"no_pod_on_node": {"node": "abcd", "deployment": "web"}},
    {"service": {"service": "web", "type": "LoadBalancer", "endpoints_at_least": 3, "external_ip": True}},
    {"traffic": {"service": "web", "max_error_rate": 0.05, "min_rps": 50}},
    {"hpa": {"hpa": "web-hpa", "min": 2, "max": 6, "cpu_target": 50}},
    {"hpa_scaled": {"deployment": "web", "direction": "down"}},
    {"rollout_finished": {"deployment": "web", "image": "nginx:1.26"}},
    {"rolled_back": {"deployment": "web"}},
    {"node_pool": {"pool": "default-pool", "nodes_exactly": 3, "autoscaling": {"min": 1, "max": 5},
                   "machine_type": "e2-standard-4"}},
    {"node_pool": {"pool": "p", "autoscaling": False}},
    {"node_count": {"ready_at_least": 2}},
    {"all": [{"rolled_back": {"deployment": "web"}},
             {"any": [{"not": {"node_count": {"not_ready_at_least": 1}}}, {"rolled_back": {"deployment": "x"}}]}]},
])
def test_to_dict_round_trips_through_load(spec):
    goal = load(spec)
    assert goal.to_dict() == spec
    assert load(goal.to_dict()) == goal
    assert has_hangul(goal.describe())


def test_to_dict_puts_keys_in_a_stable_order():
    a = load({"ready_replicas": {"at_least": 3, "deployment": "web"}})
    assert list(a.to_dict()["ready_replicas"]) == ["deployment", "at_least"]


def test_describe_is_a_short_korean_statement():
    assert load({"ready_replicas": {"deployment": "web", "at_least": 3}}).describe() == (
        "web 디플로이먼트의 준비된 레플리카가 3개 이상이다")
    assert load({"spread": {"deployment": "web", "nodes": 3}}).describe() == (
        "web 디플로이먼트의 준비된 파드가 서로 다른 노드 3개에 나뉘어 있다")
    assert load({"rolled_back": {"deployment": "web", "namespace": "prod"}}).describe() == (
        "prod 네임스페이스의 web 디플로이먼트를 롤백했다")


@pytest.mark.parametrize(("spec", "error"), [
    ([{"cluster_exists": {}}, {"rolled_back": {"deployment": "web"}}, {"ready_replicas": {"deployment": "web",
                                                                                         "at_least": -1}}],
     "goals[2].ready_replicas.at_least: must be a whole number >= 0"),
    ({"ready_replicas": {"deployment": "web", "at_least": "3"}}, "goal.ready_replicas.at_least: must be a whole"),
    ({"ready_replicas": {"deployment": "web", "at_least": True}}, "goal.ready_replicas.at_least: must be a whole"),
    ({"ready_replicas": {"deployment": "web", "at_least": 3, "exactly": 3}}, "goal.ready_replicas.exactly: use only"),
    ({"ready_replicas": {"at_least": 3}}, "goal.ready_replicas.deployment: required"),
    ({"ready_replicas": {"deployment": "web", "replicas": 3}}, "goal.ready_replicas.replicas: unknown key"),
    ({"ready_replica": {"deployment": "web"}}, "goal: unknown goal type 'ready_replica'"),
    ({"ready_replicas": {"deployment": ""}}, "goal.ready_replicas.deployment: must be a non-empty name"),
    ({"ready_replicas": ["web"]}, "goal.ready_replicas: must be a mapping"),
    ({"spread": {"deployment": "web"}}, "goal.spread: needs nodes, zones or both"),
    ({"spread": {"deployment": "web", "nodes": 0}}, "goal.spread.nodes: must be a whole number >= 1"),
    ({"traffic": {"service": "web", "max_error_rate": 5}}, "goal.traffic.max_error_rate: must be a number from 0"),
    ({"traffic": {"service": "web"}}, "goal.traffic.max_error_rate: required"),
    ({"service": {"service": "web", "type": "Ingress"}}, "goal.service.type: must be one of ClusterIP"),
    ({"cluster_exists": {"location": "seoul"}}, "goal.cluster_exists.location: unknown zone or region 'seoul'"),
    ({"cluster_exists": {"mode": "serverless"}}, "goal.cluster_exists.mode: must be one of standard, autopilot"),
    ({"cluster_exists": {"cluster": "demo"}}, "goal.cluster_exists.cluster: unknown key"),
    ({"node_pool": {"pool": "p", "autoscaling": {"minimum": 1}}}, "goal.node_pool.autoscaling.minimum: unknown key"),
    ({"node_pool": {"pool": "p", "autoscaling": {"min": 5, "max": 1}}}, "goal.node_pool.autoscaling.max: must be"),
    ({"node_pool": {"pool": "p", "machine_type": "n9-huge"}}, "goal.node_pool.machine_type: unknown machine type"),
    ({"hpa": {"min": 2}}, "goal.hpa: needs one of deployment, hpa"),
    ({"hpa": {"deployment": "web", "min": 5, "max": 2}}, "goal.hpa.max: must be >= min"),
    ({"hpa_scaled": {"deployment": "web", "direction": "sideways"}}, "goal.hpa_scaled.direction: must be one of up"),
    ({"node_count": {}}, "goal.node_count: needs one of ready_at_least, not_ready_at_least"),
    ({"all": []}, "goal.all: must list at least one goal"),
    ({"all": {"rolled_back": {"deployment": "web"}}}, "goal.all: must be a list of goals"),
    ({"any": [{"rolled_back": {"deployment": "web"}}, {"nope": {}}]}, "goal.any[1]: unknown goal type 'nope'"),
    ({"not": [{"rolled_back": {"deployment": "web"}}]}, "goal.not: must be one goal, not a list"),
    ({"rolled_back": {"deployment": "web"}, "spread": {"deployment": "web", "nodes": 2}},
     "goal: must have exactly one goal type"),
    (42, "goal: must be a mapping"),
    ("ready_replicas: [unclosed", "goals: not valid YAML"),
])
def test_invalid_specs_name_the_field(spec, error):
    with pytest.raises(GoalError) as info:
        load(spec)
    assert str(info.value).startswith(error), str(info.value)
    assert isinstance(info.value, ValueError)


def test_load_takes_the_path_prefix_for_messages():
    with pytest.raises(GoalError, match=r"^lesson\.goals\[0\]\.rolled_back\.deployment: required"):
        load([{"rolled_back": {}}], where="lesson.goals")


def test_a_bare_goal_name_means_no_parameters():
    sim = make_sim()
    assert load("- cluster_exists").to_dict() == {"all": [{"cluster_exists": {}}]}
    passes(sim, "cluster_exists")
