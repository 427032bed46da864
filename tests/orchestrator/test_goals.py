"""Goals: lesson predicates over a live simulation, driven through real commands."""

import re

from orchestrator import Simulation
from orchestrator.goals import GoalResult, evaluate_all, load
from tests.orchestrator.conftest import ZONE, cluster, deploy, has_hangul, make_sim, ok


def check(sim, spec) -> GoalResult:
    result = load(spec).evaluate(sim)
    assert has_hangul(result.message), result.message
    return result


def passes(sim, spec) -> str:
    result = check(sim, spec)
    assert result.passed, result.message
    return result.message


def fails_goal(sim, spec) -> str:
    result = check(sim, spec)
    assert not result.passed, result.message
    return result.message


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def web_world(replicas: int = 3, **kw) -> Simulation:
    sim = make_sim(**kw)
    deploy(sim, replicas=replicas)
    return sim


def served_world() -> Simulation:
    """web behind a LoadBalancer, serving 100 requests per second."""
    sim = web_world()
    ok(sim, "kubectl expose deployment web --port=80 --type=LoadBalancer")
    ok(sim, "sim traffic web 100")
    sim.advance(60)
    return sim


# --- clusters ---------------------------------------------------------------------------------------


def test_every_goal_fails_in_korean_when_there_is_no_cluster():
    sim = Simulation(seed=1)
    for spec in ({"ready_replicas": {"deployment": "web", "at_least": 3}}, {"cluster_exists": {}},
                 {"node_count": {"ready_at_least": 1}}):
        assert "gcloud container clusters create" in fails_goal(sim, spec)


def test_all_says_a_shared_reason_once():
    sim = Simulation(seed=1)
    message = fails_goal(sim, [{"rolled_back": {"deployment": "web"}}, {"spread": {"deployment": "web", "nodes": 2}}])
    assert message.count("클러스터가 아직 없다") == 1
    assert "2개 중 2개" in message


def test_cluster_key_names_the_cluster_to_check():
    sim = make_sim()
    deploy(sim)
    message = fails_goal(sim, {"rolled_back": {"deployment": "web", "cluster": "other"}})
    assert "other 클러스터가 아직 없다" in message
    passes(sim, {"ready_replicas": {"deployment": "web", "at_least": 3, "cluster": "demo"}})


def test_goals_follow_the_current_kubectl_context():
    sim = make_sim()
    deploy(sim)
    ok(sim, f"gcloud container clusters create second --num-nodes=1 --zone={ZONE}")  # kubectl now points here
    assert "web 디플로이먼트가 아직 없다" in fails_goal(sim, {"deployment_exists": {"deployment": "web"}})
    ok(sim, f"gcloud container clusters get-credentials demo --zone={ZONE}")
    passes(sim, {"deployment_exists": {"deployment": "web"}})


def test_cluster_exists_by_name_zone_and_mode():
    sim = Simulation(seed=1)
    spec = {"cluster_exists": {"name": "demo", "location": ZONE, "mode": "standard"}}
    assert "demo 클러스터가 아직 없다" in fails_goal(sim, spec)
    ok(sim, f"gcloud container clusters create demo --num-nodes=1 --zone={ZONE}")
    assert "demo 클러스터가 있다" in passes(sim, spec)


def test_cluster_exists_with_a_region_wants_a_regional_cluster():
    sim = make_sim()
    spec = {"cluster_exists": {"location": "asia-northeast3"}}
    message = fails_goal(sim, spec)
    assert "asia-northeast3 리전" in message and f"demo ({ZONE} 영역" in message
    ok(sim, "gcloud container clusters create regional --num-nodes=1 --region=asia-northeast3")
    assert "regional 클러스터가 있다" in passes(sim, spec)


def test_cluster_exists_checks_the_mode():
    sim = make_sim()
    spec = {"cluster_exists": {"mode": "autopilot", "location": "asia-northeast3"}}
    message = fails_goal(sim, spec)
    assert "asia-northeast3 리전에 Autopilot 모드로 있는 클러스터가 있어야 한다" in message
    ok(sim, "gcloud container clusters create-auto auto --region=asia-northeast3")
    assert "auto 클러스터가 있다" in passes(sim, spec)
    fails_goal(sim, {"cluster_exists": {"name": "demo", "mode": "autopilot"}})


def test_node_count_counts_ready_nodes():
    sim = make_sim(nodes=2)
    message = fails_goal(sim, {"node_count": {"ready_at_least": 3}})
    assert numbers(message)[:2] == ["3", "2"]
    ok(sim, f"gcloud container clusters resize demo --num-nodes=3 --zone={ZONE} --quiet")
    passes(sim, {"node_count": {"ready_at_least": 3}})


def test_node_count_sees_a_failed_node_after_the_grace_period():
    sim = make_sim()
    node = sorted(cluster(sim).nodes)[0]
    ok(sim, f"sim node fail {node}")
    sim.advance(50)
    message = fails_goal(sim, {"node_count": {"ready_at_least": 3}})
    assert node in message
    passes(sim, {"node_count": {"not_ready_at_least": 1}})


def test_node_pool_size_machine_type_and_autoscaling():
    sim = make_sim()
    message = fails_goal(sim, {"node_pool": {"pool": "big", "machine_type": "e2-standard-4"}})
    assert "big 노드 풀이 아직 없다" in message and "default-pool" in message
    ok(sim, f"gcloud container node-pools create big --cluster=demo --zone={ZONE} --machine-type=e2-standard-4 "
            "--num-nodes=1")
    passes(sim, {"node_pool": {"pool": "big", "machine_type": "e2-standard-4", "nodes_exactly": 1}})
    message = fails_goal(sim, {"node_pool": {"pool": "default-pool", "nodes_at_least": 5}})
    assert "5개 이상이어야" in message and "지금은 3개다" in message
    spec = {"node_pool": {"pool": "default-pool", "autoscaling": {"min": 1, "max": 5}}}
    assert ("default-pool 노드 풀의 자동 확장이 최소 1개, 최대 5개로 켜져 있어야 한다. 지금은 자동 확장이 꺼져 있다."
            in fails_goal(sim, spec))
    passes(sim, {"node_pool": {"pool": "default-pool", "autoscaling": False}})
    ok(sim, f"gcloud container clusters update demo --zone={ZONE} --node-pool=default-pool --enable-autoscaling "
            "--min-nodes=1 --max-nodes=5")
    assert "최대 5개" in passes(sim, spec)
    passes(sim, {"node_pool": {"pool": "default-pool", "autoscaling": True}})
    fails_goal(sim, {"node_pool": {"pool": "default-pool", "autoscaling": {"max": 6}}})


# --- deployments ------------------------------------------------------------------------------------


def test_deployment_exists_and_its_image():
    sim = make_sim()
    message = fails_goal(sim, {"deployment_exists": {"deployment": "web", "image": "nginx:1.27"}})
    assert "kubectl create deployment web --image=nginx:1.27" in message
    deploy(sim, settle=0)
    passes(sim, {"deployment_exists": {"deployment": "web", "image": "nginx:1.27"}})
    passes(sim, {"deployment_exists": {"deployment": "web", "image": "docker.io/library/nginx:1.27"}})
    passes(sim, {"deployment_exists": {"deployment": "web", "image": "nginx"}})  # no tag: any tag
    message = fails_goal(sim, {"deployment_exists": {"deployment": "web", "image": "nginx:1.26"}})
    assert "nginx:1.26 이미지를 써야" in message and "nginx:1.27" in message


def test_ready_replicas_fails_until_the_pods_are_ready():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    spec = {"ready_replicas": {"deployment": "web", "at_least": 3}}
    message = fails_goal(sim, spec)
    assert message.startswith("web 디플로이먼트의 준비된 레플리카가 3개 이상이어야 한다. 지금은 0개다.")
    sim.advance(30)
    assert passes(sim, spec) == "web 디플로이먼트의 준비된 레플리카가 3개 이상이다 (지금 3개)."


def test_ready_replicas_exactly_and_all_desired():
    sim = web_world()
    passes(sim, {"ready_replicas": {"deployment": "web", "exactly": 3}})
    passes(sim, {"ready_replicas": {"deployment": "web"}})
    ok(sim, "kubectl scale deployment web --replicas=5")
    message = fails_goal(sim, {"ready_replicas": {"deployment": "web"}})
    assert "5개 이상이어야" in message and "지금은 3개다" in message
    assert "정확히 3개" in passes(sim, {"ready_replicas": {"deployment": "web", "exactly": 3}})
    sim.advance(30)
    message = fails_goal(sim, {"ready_replicas": {"deployment": "web", "exactly": 3}})
    assert "정확히 3개여야" in message and "지금은 5개다" in message


def test_ready_replicas_for_a_missing_deployment():
    sim = make_sim()
    message = fails_goal(sim, {"ready_replicas": {"deployment": "web"}})
    # The goal does not know the image: the hint must not make one up.
    assert message == ("web 디플로이먼트가 아직 없다. "
                       "`kubectl create deployment` 명령이나 매니페스트로 먼저 만들어야 한다.")


def test_ready_replicas_in_another_namespace():
    sim = make_sim()
    ok(sim, "kubectl create namespace prod")
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=2 -n prod")
    sim.advance(30)
    assert "web 디플로이먼트가 아직 없다" in fails_goal(sim, {"ready_replicas": {"deployment": "web"}})
    message = passes(sim, {"ready_replicas": {"deployment": "web", "namespace": "prod", "at_least": 2}})
    assert message.startswith("prod 네임스페이스의 web 디플로이먼트")


def test_spread_counts_distinct_nodes_and_zones_of_ready_pods():
    sim = web_world(replicas=1)
    message = fails_goal(sim, {"spread": {"deployment": "web", "nodes": 3}})
    assert "노드 3개" in message and "노드 1개" in message
    ok(sim, "kubectl scale deployment web --replicas=3")
    sim.advance(30)
    passes(sim, {"spread": {"deployment": "web", "nodes": 3, "zones": 1}})
    message = fails_goal(sim, {"spread": {"deployment": "web", "zones": 2}})
    assert "가용성 영역 2개" in message and ZONE in message


def test_spread_over_zones_in_a_regional_cluster():
    sim = Simulation(seed=3)
    ok(sim, "gcloud container clusters create regional --num-nodes=1 --region=asia-northeast3")
    deploy(sim, replicas=3)
    assert "가용성 영역 3개" in passes(sim, {"spread": {"deployment": "web", "zones": 3}})


def test_no_pod_on_node_by_unique_suffix_after_drain():
    sim = web_world()
    node = cluster(sim).pods[next(k for k in cluster(sim).pods if "/web-" in k)].node
    suffix = node.rsplit("-", 1)[1]
    message = fails_goal(sim, {"no_pod_on_node": {"deployment": "web", "node": suffix}})
    assert node in message and "kubectl drain" in message
    ok(sim, f"kubectl drain {node} --ignore-daemonsets")
    sim.advance(60)
    passes(sim, {"no_pod_on_node": {"deployment": "web", "node": suffix}})
    passes(sim, {"no_pod_on_node": {"node": node}})  # every pod of the default namespace


def test_no_pod_on_node_with_an_ambiguous_name_fails_and_lists_the_nodes():
    sim = web_world()
    message = fails_goal(sim, {"no_pod_on_node": {"node": "gke-demo"}})
    assert all(name in message for name in cluster(sim).nodes)


def test_rollout_finished_after_set_image():
    sim = web_world()
    spec = {"rollout_finished": {"deployment": "web", "image": "nginx:1.26"}}
    assert "kubectl set image deployment/web nginx=nginx:1.26" in fails_goal(sim, spec)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    sim.advance(2)
    message = fails_goal(sim, spec)
    assert "롤아웃이 아직 끝나지 않았다" in message and "이전 파드" in message
    sim.advance(60)
    assert "레플리카 3개가 모두 nginx:1.26" in passes(sim, spec)


def test_rollout_finished_points_at_a_stuck_rollout():
    sim = web_world()
    ok(sim, "kubectl set image deployment/web nginx=nginx:9.99-typo")
    sim.advance(700)
    message = fails_goal(sim, {"rollout_finished": {"deployment": "web"}})
    assert "진행 기한(600초)" in message and "kubectl rollout undo" in message


def test_rolled_back_after_rollout_undo():
    sim = web_world()
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    sim.advance(60)
    spec = {"rolled_back": {"deployment": "web"}}
    assert "kubectl rollout undo deployment/web" in fails_goal(sim, spec)
    ok(sim, "kubectl rollout undo deployment/web")
    assert "1번" in passes(sim, spec)
    sim.advance(60)
    passes(sim, {"rollout_finished": {"deployment": "web", "image": "nginx:1.27"}})


# --- combinators and the node-failure exercise ------------------------------------------------------


def test_any_and_not():
    sim = web_world()
    undo = {"rolled_back": {"deployment": "web"}}
    passes(sim, {"not": undo})
    passes(sim, {"any": [undo, {"ready_replicas": {"deployment": "web", "at_least": 3}}]})
    message = fails_goal(sim, {"any": [undo, {"ready_replicas": {"deployment": "web", "at_least": 9}}]})
    assert "하나도" in message and "9개" in message
    message = fails_goal(sim, {"not": {"ready_replicas": {"deployment": "web", "at_least": 3}}})
    assert message == ("web 디플로이먼트의 준비된 레플리카가 3개 미만이어야 한다. "
                       "지금은 web 디플로이먼트의 준비된 레플리카가 3개 이상이다 (지금 3개).")


def test_all_lists_only_the_failing_parts():
    sim = web_world()
    goal = load([{"ready_replicas": {"deployment": "web", "at_least": 3}},
                 {"rolled_back": {"deployment": "web"}},
                 {"spread": {"deployment": "web", "nodes": 4}}])
    result = goal.evaluate(sim)
    assert not result.passed
    assert [p.passed for p in result.parts] == [True, False, False]
    assert result.message.startswith("조건 3개 중 2개를 아직 만족하지 않는다.")
    assert "롤백" in result.message and "노드 4개" in result.message
    assert "준비된 레플리카가 3개 이상이다" not in result.message


def test_evaluate_all_gives_one_result_per_goal():
    sim = web_world()
    results = evaluate_all("- ready_replicas: {deployment: web, at_least: 3}\n- rolled_back: {deployment: web}\n",
                           sim)
    assert [r.passed for r in results] == [True, False]
    assert evaluate_all([], sim) == []
    assert len(evaluate_all({"rolled_back": {"deployment": "web"}}, sim)) == 1


SURVIVE = """
- node_count: {not_ready_at_least: 1}
- ready_replicas: {deployment: web, at_least: 3}
- spread: {deployment: web, nodes: 2}
"""


def test_node_failure_exercise_survive_the_loss_of_a_node():
    sim = web_world()
    goal = load(SURVIVE)
    assert "NotReady" in goal.evaluate(sim).message  # no node has failed yet
    node = next(p.node for p in cluster(sim).pods.values() if p.name.startswith("web-"))
    ok(sim, f"sim node fail {node}")
    sim.advance(60)
    result = goal.evaluate(sim)
    assert not result.passed  # the pod on the lost node is no longer ready, and is not replaced yet
    assert "3개 이상이어야" in result.message and "지금은 2개다" in result.message
    sim.advance(360)  # eviction after 300 s of NotReady, then replacements start elsewhere
    result = goal.evaluate(sim)
    assert result.passed, result.message
    passes(sim, {"no_pod_on_node": {"deployment": "web", "node": node}})


def test_results_survive_a_snapshot_round_trip():
    sim = served_world()
    specs = [{"ready_replicas": {"deployment": "web", "at_least": 3}}, {"traffic": {"service": "web",
                                                                                    "max_error_rate": 0.01}}]
    restored = Simulation.from_dict(sim.to_dict())
    assert evaluate_all(specs, sim) == evaluate_all(specs, restored)


EVERY_GOAL = [
    {"cluster_exists": {"name": "demo", "location": ZONE, "mode": "standard"}},
    {"deployment_exists": {"deployment": "web", "image": "nginx:1.27"}},
    {"ready_replicas": {"deployment": "web"}},
    {"spread": {"deployment": "web", "nodes": 2, "zones": 2}},
    {"no_pod_on_node": {"node": "pool"}},
    {"no_pod_on_node": {"node": "gone", "deployment": "web"}},
    {"service": {"service": "web", "type": "NodePort", "endpoints_at_least": 1, "external_ip": False}},
    {"traffic": {"service": "web", "max_error_rate": 0, "min_rps": 1}},
    {"hpa": {"deployment": "web", "min": 1}},
    {"hpa_scaled": {"hpa": "web"}},
    {"rollout_finished": {"deployment": "web", "image": "nginx:1.26"}},
    {"rolled_back": {"deployment": "web"}},
    {"node_pool": {"pool": "extra", "nodes_at_least": 1, "autoscaling": False, "machine_type": "e2-medium"}},
    {"node_count": {"ready_at_least": 1}},
]


def test_every_goal_type_evaluates_in_any_state_without_raising():
    sim = Simulation(seed=5)
    steps = [
        f"gcloud container clusters create demo --num-nodes=1 --zone={ZONE}",
        f"gcloud container node-pools create extra --cluster=demo --zone={ZONE} --num-nodes=2",
        "kubectl create deployment web --image=nginx:1.27 --replicas=4",
        "kubectl expose deployment web --port=80 --type=NodePort",
        "sim traffic web 200",
        "kubectl autoscale deployment web --max=3",
        "kubectl set image deployment/web nginx=nginx:1.26",
        f"gcloud container node-pools delete extra --cluster=demo --zone={ZONE} --quiet",
        "kubectl delete deployment web",
        f"gcloud container clusters delete demo --zone={ZONE} --quiet",
    ]
    seen = set()
    for line in ["", *steps]:
        if line:
            ok(sim, line)
        for _ in range(2):
            for spec in EVERY_GOAL:
                result = check(sim, spec)
                seen.add((next(iter(spec)), result.passed))
            sim.advance(20)
    assert {kind for kind, passed in seen if passed} >= {"cluster_exists", "deployment_exists", "ready_replicas",
                                                         "no_pod_on_node", "service", "hpa", "node_pool"}
