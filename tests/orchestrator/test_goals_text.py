"""What a learner reads: each goal's checklist statement, its negation (what ``not:`` shows), the combinators'
sentences, and failure messages that never make up a value the goal does not give."""

import re

import pytest

from orchestrator import Simulation
from orchestrator.goals import TYPES, Check, _registry, chain, conjugate, load
from tests.orchestrator.conftest import ZONE, has_hangul, ok
from tests.orchestrator.test_goals import check, web_world

# (spec, describe(), describe_negated()): written by hand, 평어체 statements ending in -다.
STATEMENTS = [
    ({"cluster_exists": {"name": "demo", "location": "asia-northeast3-a", "mode": "standard"}},
     "demo 클러스터가 asia-northeast3-a 영역에 Standard 모드로 있다",
     "asia-northeast3-a 영역에 Standard 모드로 있는 demo 클러스터가 없다"),
    ({"cluster_exists": {}}, "클러스터가 있다", "클러스터가 없다"),
    ({"node_count": {"ready_at_least": 3}}, "준비된(Ready) 노드가 3개 이상이다", "준비된(Ready) 노드가 3개 미만이다"),
    ({"node_count": {"not_ready_at_least": 1, "cluster": "demo"}},
     "demo 클러스터의 준비되지 않은(NotReady) 노드가 1개 이상이다",
     "demo 클러스터의 준비되지 않은(NotReady) 노드가 없다"),
    ({"node_pool": {"pool": "big-pool"}}, "big-pool 노드 풀이 있다", "big-pool 노드 풀이 없다"),
    ({"node_pool": {"pool": "default-pool", "nodes_at_least": 4, "autoscaling": {"min": 1, "max": 5}}},
     "default-pool 노드 풀은 노드가 4개 이상 있고 자동 확장이 최소 1개, 최대 5개로 켜져 있다",
     "default-pool 노드 풀이 없거나, 노드가 4개 미만이거나, 자동 확장이 최소 1개, 최대 5개로 켜져 있지 않다"),
    ({"node_pool": {"pool": "p", "nodes_exactly": 1, "autoscaling": False, "machine_type": "e2-standard-4"}},
     "p 노드 풀은 e2-standard-4 머신을 쓰고, 노드가 정확히 1개 있고, 자동 확장이 꺼져 있다",
     "p 노드 풀이 없거나, e2-standard-4 머신을 쓰지 않거나, 노드가 정확히 1개가 아니거나, 자동 확장이 켜져 있다"),
    ({"deployment_exists": {"deployment": "kubernetes-bootcamp"}},
     "kubernetes-bootcamp 디플로이먼트가 있다", "kubernetes-bootcamp 디플로이먼트가 없다"),
    ({"deployment_exists": {"deployment": "kubernetes-bootcamp",
                            "image": "gcr.io/google-samples/kubernetes-bootcamp:v1"}},
     "kubernetes-bootcamp 디플로이먼트가 gcr.io/google-samples/kubernetes-bootcamp:v1 이미지로 있다",
     "kubernetes-bootcamp 디플로이먼트가 없거나 gcr.io/google-samples/kubernetes-bootcamp:v1 이미지를 쓰지 않는다"),
    ({"ready_replicas": {"deployment": "web", "at_least": 3}},
     "web 디플로이먼트의 준비된 레플리카가 3개 이상이다", "web 디플로이먼트의 준비된 레플리카가 3개 미만이다"),
    ({"ready_replicas": {"deployment": "web", "at_least": 1}},
     "web 디플로이먼트의 준비된 레플리카가 1개 이상이다", "web 디플로이먼트에 준비된 레플리카가 없다"),
    ({"ready_replicas": {"deployment": "web", "exactly": 3, "namespace": "prod"}},
     "prod 네임스페이스의 web 디플로이먼트의 준비된 레플리카가 정확히 3개다",
     "prod 네임스페이스의 web 디플로이먼트의 준비된 레플리카가 정확히 3개가 아니다"),
    ({"ready_replicas": {"deployment": "web"}},
     "web 디플로이먼트의 레플리카가 모두 준비됐다", "web 디플로이먼트의 레플리카가 모두 준비되지는 않았다"),
    ({"spread": {"deployment": "web", "nodes": 3}},
     "web 디플로이먼트의 준비된 파드가 서로 다른 노드 3개에 나뉘어 있다",
     "web 디플로이먼트의 준비된 파드가 있는 노드가 3개 미만이다"),
    ({"spread": {"deployment": "web", "nodes": 2, "zones": 2}},
     "web 디플로이먼트의 준비된 파드가 서로 다른 노드 2개, 가용성 영역 2개에 나뉘어 있다",
     "web 디플로이먼트의 준비된 파드가 있는 노드가 2개 미만이거나 가용성 영역이 2개 미만이다"),
    ({"no_pod_on_node": {"node": "abcd", "deployment": "web"}},
     "abcd 노드에 web 디플로이먼트의 파드가 없다", "abcd 노드에 web 디플로이먼트의 파드가 있다"),
    ({"no_pod_on_node": {"node": "abcd", "namespace": "prod", "cluster": "demo"}},
     "demo 클러스터의 abcd 노드에 prod 네임스페이스의 파드가 없다",
     "demo 클러스터의 abcd 노드에 prod 네임스페이스의 파드가 있다"),
    ({"rollout_finished": {"deployment": "web", "image": "nginx:1.26"}},
     "web 디플로이먼트가 nginx:1.26 이미지로 롤아웃을 마쳤다",
     "web 디플로이먼트가 nginx:1.26 이미지로 롤아웃을 마치지 않았다"),
    ({"rollout_finished": {"deployment": "web"}},
     "web 디플로이먼트의 롤아웃이 끝났다", "web 디플로이먼트의 롤아웃이 끝나지 않았다"),
    ({"rolled_back": {"deployment": "web"}}, "web 디플로이먼트를 롤백했다", "web 디플로이먼트를 롤백한 적이 없다"),
    ({"service": {"service": "web"}}, "web 서비스가 있다", "web 서비스가 없다"),
    ({"service": {"service": "web", "endpoints_at_least": 1}},
     "web 서비스의 준비된 엔드포인트가 1개 이상이다", "web 서비스에 준비된 엔드포인트가 없다"),
    ({"service": {"service": "web", "type": "ClusterIP", "endpoints_at_least": 2}},
     "web 서비스는 ClusterIP 유형이고 준비된 엔드포인트가 2개 이상이다",
     "web 서비스가 없거나, ClusterIP 유형이 아니거나, 준비된 엔드포인트가 2개 미만이다"),
    ({"service": {"service": "web-lb", "type": "LoadBalancer", "endpoints_at_least": 3, "external_ip": True}},
     "web-lb 서비스는 LoadBalancer 유형이고, 준비된 엔드포인트가 3개 이상이고, 외부 IP가 있다",
     "web-lb 서비스가 없거나, LoadBalancer 유형이 아니거나, 준비된 엔드포인트가 3개 미만이거나, 외부 IP가 없다"),
    ({"service": {"service": "web", "external_ip": False}},
     "web 서비스에 외부 IP가 없다", "web 서비스가 없거나 외부 IP가 있다"),
    ({"traffic": {"service": "web", "max_error_rate": 0.01}},
     "web 서비스의 트래픽 오류율이 1% 이하다", "web 서비스에 트래픽이 없거나 오류율이 1%보다 높다"),
    ({"traffic": {"service": "web-lb", "max_error_rate": 0.01, "min_rps": 7000}},
     "web-lb 서비스에 초당 요청이 7000개 이상 가고 오류율이 1% 이하다",
     "web-lb 서비스에 가는 초당 요청이 7000개 미만이거나 오류율이 1%보다 높다"),
    ({"hpa": {"deployment": "web", "min": 2, "max": 10, "cpu_target": 70}},
     "web 디플로이먼트의 Horizontal Pod Autoscaler가 레플리카 최소 2개, 최대 10개, CPU 목표 70%로 있다",
     "web 디플로이먼트의 Horizontal Pod Autoscaler가 없거나 설정이 레플리카 최소 2개, 최대 10개, CPU 목표 70%가 "
     "아니다"),
    ({"hpa": {"hpa": "web-hpa"}},
     "web-hpa Horizontal Pod Autoscaler가 있다", "web-hpa Horizontal Pod Autoscaler가 없다"),
    ({"hpa_scaled": {"deployment": "php-apache", "direction": "up"}},
     "php-apache 디플로이먼트의 Horizontal Pod Autoscaler가 레플리카를 늘렸다",
     "php-apache 디플로이먼트의 Horizontal Pod Autoscaler가 레플리카를 늘린 적이 없다"),
    ({"hpa_scaled": {"hpa": "web"}},
     "web Horizontal Pod Autoscaler가 레플리카 수를 바꿨다",
     "web Horizontal Pod Autoscaler가 레플리카 수를 바꾼 적이 없다"),
    ({"secret": {"secret": "web-secrets", "keys": ["SECRET_KEY", "DATABASE_URL"]}},
     "web-secrets 시크릿(Secret)에 SECRET_KEY, DATABASE_URL 키가 있다",
     "web-secrets 시크릿(Secret)에 SECRET_KEY, DATABASE_URL 키 중 하나라도 없다"),
    ({"configmap": {"configmap": "web-config"}},
     "web-config 컨피그맵(ConfigMap)이 있다", "web-config 컨피그맵(ConfigMap)이 없다"),
    ({"job_complete": {"job": "migrate"}}, "migrate 잡(Job)이 완료됐다", "migrate 잡(Job)이 완료되지 않았다"),
    ({"ingress_address": {"ingress": "web", "certificate": "web-cert"}},
     "web 인그레스(Ingress)에 주소가 있고 web-cert 인증서가 Active 상태다",
     "web 인그레스(Ingress)에 주소가 없거나 web-cert 인증서가 Active 상태가 아니다"),
    ({"pdb": {"pdb": "web", "allowed_at_least": 1}},
     "web PodDisruptionBudget이 중단을 1개 이상 허용한다", "web PodDisruptionBudget이 없거나 허용하는 중단이 없다"),
    ({"pdb": {"pdb": "web"}}, "web PodDisruptionBudget이 있다", "web PodDisruptionBudget이 없다"),
]

INTERNAL_WORDS = ("아님", "조건", "성립", "없음", "있음", "; ")  # the old "not" wrapper and noun-phrase forms


@pytest.mark.parametrize(("spec", "statement", "negated"), STATEMENTS)
def test_each_goal_states_itself_and_its_negation(spec, statement, negated):
    goal = load(spec)
    assert goal.describe() == statement
    assert goal.describe_negated() == negated
    assert load({"not": spec}).describe() == negated
    assert load({"not": {"not": spec}}).describe() == statement


def test_every_registered_leaf_type_words_its_own_negation():
    _registry()
    assert {next(iter(spec)) for spec, _, _ in STATEMENTS} == set(TYPES)
    for spec, _, _ in STATEMENTS:
        goal = load(spec)
        assert type(goal).describe_negated is not Check.describe_negated, type(goal).__name__
        for text in (goal.describe(), goal.describe_negated()):
            assert has_hangul(text) and text.endswith("다") and not text.endswith("."), text
            assert not any(word in text for word in INTERNAL_WORDS), text
            conjugate(text, "어야")  # every statement can be joined and turned into "…어야 한다"


def test_all_lists_its_members_as_sentences_and_any_joins_them_with_or():
    undo, lb = {"rolled_back": {"deployment": "web"}}, {"service": {"service": "web", "type": "LoadBalancer"}}
    ready = {"ready_replicas": {"deployment": "web", "at_least": 3}}
    assert load([undo, ready]).describe() == (
        "web 디플로이먼트를 롤백했다. web 디플로이먼트의 준비된 레플리카가 3개 이상이다.")
    assert load([ready]).describe() == "web 디플로이먼트의 준비된 레플리카가 3개 이상이다."
    assert load({"any": [lb, {"not": undo}]}).describe() == (
        "web 서비스는 LoadBalancer 유형이거나 web 디플로이먼트를 롤백한 적이 없다")
    assert load([{"not": {"deployment_exists": {"deployment": "kubernetes-bootcamp"}}},
                 {"ready_replicas": {"deployment": "web", "exactly": 3}}]).describe() == (
        "kubernetes-bootcamp 디플로이먼트가 없다. web 디플로이먼트의 준비된 레플리카가 정확히 3개다.")
    # A group inside a group is one statement joined with -고 / -거나.
    assert load({"any": [{"all": [undo, ready]}, lb]}).describe() == (
        "web 디플로이먼트를 롤백했고 web 디플로이먼트의 준비된 레플리카가 3개 이상이거나 "
        "web 서비스는 LoadBalancer 유형이다")


def test_not_of_a_group_negates_each_member():
    undo, ready = {"rolled_back": {"deployment": "web"}}, {"ready_replicas": {"deployment": "web", "exactly": 3}}
    assert load({"not": {"all": [undo, ready]}}).describe() == (
        "web 디플로이먼트를 롤백한 적이 없거나 web 디플로이먼트의 준비된 레플리카가 정확히 3개가 아니다")
    assert load({"not": {"any": [undo, ready]}}).describe() == (
        "web 디플로이먼트를 롤백한 적이 없고 web 디플로이먼트의 준비된 레플리카가 정확히 3개가 아니다")


def test_not_says_what_must_hold_and_what_holds_now():
    sim = web_world()
    gone = {"not": {"deployment_exists": {"deployment": "web"}}}
    result = check(sim, gone)
    assert not result.passed
    assert result.message == ("web 디플로이먼트가 없어야 한다. "
                              "지금은 web 디플로이먼트가 있다 (이미지 nginx:1.27, 레플리카 3개).")
    result = check(sim, {"not": {"ready_replicas": {"deployment": "web", "at_least": 1}}})
    assert result.message == ("web 디플로이먼트에 준비된 레플리카가 없어야 한다. "
                              "지금은 web 디플로이먼트의 준비된 레플리카가 1개 이상이다 (지금 3개).")
    ok(sim, "kubectl delete deployment web")
    result = check(sim, gone)
    assert result.passed and result.message == "web 디플로이먼트가 없다."


@pytest.mark.parametrize(("sentence", "and_", "or_", "must"), [
    ("web 디플로이먼트가 있다", "web 디플로이먼트가 있고", "web 디플로이먼트가 있거나", "web 디플로이먼트가 있어야"),
    ("노드가 3개 미만이다", "노드가 3개 미만이고", "노드가 3개 미만이거나", "노드가 3개 미만이어야"),
    ("정확히 3개다", "정확히 3개이고", "정확히 3개이거나", "정확히 3개여야"),
    ("오류율이 1% 이하다", "오류율이 1% 이하이고", "오류율이 1% 이하이거나", "오류율이 1% 이하여야"),
    ("Active 상태가 아니다", "Active 상태가 아니고", "Active 상태가 아니거나", "Active 상태가 아니어야"),
    ("롤백했다", "롤백했고", "롤백했거나", "롤백했어야"),
    ("롤아웃을 마치지 않았다", "롤아웃을 마치지 않았고", "롤아웃을 마치지 않았거나", "롤아웃을 마치지 않았어야"),
    ("중단을 1개 이상 허용한다", "중단을 1개 이상 허용하고", "중단을 1개 이상 허용하거나", "중단을 1개 이상 허용해야"),
    ("머신을 쓴다", "머신을 쓰고", "머신을 쓰거나", "머신을 써야"),
    ("머신을 쓰지 않는다", "머신을 쓰지 않고", "머신을 쓰지 않거나", "머신을 쓰지 않아야"),
    ("켜져 있지 않다", "켜져 있지 않고", "켜져 있지 않거나", "켜져 있지 않아야"),
    ("오류율이 1%보다 높다", "오류율이 1%보다 높고", "오류율이 1%보다 높거나", "오류율이 1%보다 높아야"),
])
def test_conjugate_joins_and_turns_a_statement_into_must(sentence, and_, or_, must):
    assert (conjugate(sentence, "고"), conjugate(sentence, "거나"), conjugate(sentence, "어야")) == (and_, or_, must)


def test_chain_uses_commas_for_three_or_more():
    assert chain(["A가 있다"], "고") == "A가 있다"
    assert chain(["A가 있다", "B가 없다"], "거나") == "A가 있거나 B가 없다"
    assert chain(["A가 있다", "B가 없다", "C다"], "고") == "A가 있고, B가 없고, C다"
    with pytest.raises(ValueError):
        conjugate("노드 3개", "고")


# --- failure messages make up no value --------------------------------------------------------------

BACKTICKS = re.compile(r"`([^`]+)`")
PLACEHOLDER = re.compile(r"\b[A-Z]{3,}\b")  # NODE, RPS, DEPLOYMENT, SERVICE, KEY=VALUE…


def made_up_values(message: str, spec: dict) -> list[str]:
    """The values in the message's commands that the goal's spec does not give: flag values (``--x=v``) and
    bare numbers, plus any ALL-CAPS placeholder."""
    params = next(iter(spec.values())) or {}
    given = {str(v) for v in params.values()} | {f"{v:g}" for v in params.values() if isinstance(v, int | float)}
    found = []
    for command in BACKTICKS.findall(message):
        found += PLACEHOLDER.findall(command)
        found += [v for v in re.findall(r"--[\w-]+=(\S+)", command) if v not in given]
        found += [t for t in command.split() if re.fullmatch(r"\d+(\.\d+)?", t) and t not in given]
    return found


MESSAGE_GOALS = [
    {"cluster_exists": {"name": "demo"}},
    {"cluster_exists": {"name": "demo", "location": ZONE}},
    {"cluster_exists": {"location": "asia-northeast3", "mode": "autopilot"}},
    {"deployment_exists": {"deployment": "web"}},
    {"deployment_exists": {"deployment": "web", "image": "nginx:1.27"}},
    {"ready_replicas": {"deployment": "web", "at_least": 3, "cluster": "other"}},
    {"ready_replicas": {"deployment": "web", "at_least": 3}},
    {"spread": {"deployment": "web", "nodes": 2}},
    {"no_pod_on_node": {"node": "pool", "deployment": "web"}},
    {"rollout_finished": {"deployment": "web", "image": "nginx:1.26"}},
    {"rolled_back": {"deployment": "web"}},
    {"service": {"service": "web", "type": "LoadBalancer", "endpoints_at_least": 1}},
    {"traffic": {"service": "web", "max_error_rate": 0}},
    {"traffic": {"service": "web", "max_error_rate": 0, "min_rps": 5000}},
    {"hpa": {"deployment": "web", "min": 2}},
    {"hpa": {"deployment": "web", "max": 4}},
    {"hpa": {"hpa": "web-hpa", "cpu_target": 60}},
    {"hpa_scaled": {"deployment": "web", "direction": "up"}},
    {"node_pool": {"pool": "extra", "nodes_at_least": 1, "machine_type": "e2-standard-4"}},
    {"node_count": {"not_ready_at_least": 1}},
    {"secret": {"secret": "web-secrets", "keys": ["SECRET_KEY"]}},
    {"configmap": {"configmap": "web-config"}},
    {"job_complete": {"job": "migrate"}},
    {"ingress_address": {"ingress": "web"}},
    {"pdb": {"pdb": "web"}},
]


def test_failure_messages_name_only_values_the_goal_gives():
    sim = Simulation(seed=5)
    steps = [
        "",
        f"gcloud container clusters create demo --num-nodes=2 --zone={ZONE}",
        "kubectl create deployment web --image=nginx:1.27 --replicas=3",
        "kubectl expose deployment web --port=80",
        "sim traffic web 300",
        "kubectl autoscale deployment web --max=3",
    ]
    seen = 0
    for line in steps:
        if line:
            ok(sim, line)
        sim.advance(30)
        for spec in MESSAGE_GOALS:
            result = check(sim, spec)
            if not result.passed:
                seen += 1
                assert made_up_values(result.message, spec) == [], (spec, result.message)
    assert seen > len(MESSAGE_GOALS)


def test_missing_objects_say_what_is_needed_without_inventing_flags():
    sim = web_world()
    message = check(sim, {"hpa_scaled": {"deployment": "web"}}).message
    assert message == ("web 디플로이먼트의 Horizontal Pod Autoscaler가 아직 없다. "
                       "`kubectl autoscale` 명령으로 먼저 만들어야 한다.")
    message = check(sim, {"hpa": {"deployment": "web", "min": 2}}).message
    assert message == ("web 디플로이먼트의 Horizontal Pod Autoscaler가 아직 없다. `kubectl autoscale deployment web "
                       "--min=2` 명령에 `--max`로 최대 레플리카 수를 더해 만들어 보자.")
    message = check(sim, {"service": {"service": "web-lb", "type": "LoadBalancer"}}).message
    assert message == ("web-lb 서비스가 아직 없다. `kubectl expose deployment` 명령으로 디플로이먼트를 "
                       "LoadBalancer 유형의 web-lb 서비스로 노출해 보자.")
    ok(sim, "kubectl expose deployment web --port=80")
    message = check(sim, {"traffic": {"service": "web", "max_error_rate": 0.01}}).message
    assert message == ("web 서비스로 가는 트래픽이 아직 없다. "
                       "`sim traffic` 명령에 서비스 이름과 초당 요청 수를 주어 트래픽을 보내 보자.")
    message = check(sim, {"node_count": {"not_ready_at_least": 1}}).message
    assert message == ("demo 클러스터에 준비되지 않은(NotReady) 노드가 1개 이상이어야 한다. 지금은 0개다. "
                       "`sim node fail` 명령에 `kubectl get nodes`로 본 노드 이름을 주어 노드를 1개 더 멈춰 보자.")
    message = check(sim, {"cluster_exists": {"name": "seoul", "location": "asia-northeast3"}}).message
    assert message == ("seoul 클러스터가 아직 없다. "
                       "`gcloud container clusters create seoul --region=asia-northeast3` 명령으로 만들어 보자.")
