"""Hostile command lines and manifests straight into ``Simulation.execute``: it never raises, answers in text,
stays within its CPU and memory bounds, and leaves a state that still saves to the database and loads back."""

from __future__ import annotations

import copy
import functools
import json
import time
import tracemalloc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import orchestrator.commands
from orchestrator import Simulation
from tests.security.conftest import CPU_SECONDS, FUZZ, examples, hostile_number, hostile_text, printable, storable

ZONE = "asia-northeast3-a"
# The worlds a learner starts from, plus one with a deployment, a LoadBalancer service and an HPA in it.
SCENARIOS = ["empty-project", "three-nodes", "web-behind-lb", "autopilot", "autoscaling-cluster", "workloads"]
WORKLOADS = ["kubectl create deployment web --image=nginx:1.27 --replicas=3",
             "kubectl expose deployment web --port=80 --type=LoadBalancer",
             "kubectl autoscale deployment web --min=2 --max=6 --cpu-percent=50", "sim traffic web 200"]
# After each hostile command the world must still work: time passes, everything lists, describes, prints.
FOLLOW_UPS = ["sim advance 40", "kubectl get all -A -o wide", "kubectl get deploy,svc,hpa,pods -o yaml",
              "kubectl describe pods", "kubectl describe deploy,svc,hpa", "kubectl get events", "kubectl top pods",
              "sim status"]


@pytest.fixture(autouse=True)
def raise_internal_errors(monkeypatch):
    """A bug shows as its traceback, not as the learner-facing apology that would let the test pass."""
    monkeypatch.setattr(orchestrator.commands, "RAISE_INTERNAL_ERRORS", True)


@functools.cache
def _snapshot(name: str) -> str:
    if name == "workloads":
        sim = Simulation.from_scenario("three-nodes", seed=5)
        for line in WORKLOADS:
            assert sim.execute(line).ok, line
        sim.advance(30)
    else:
        sim = Simulation.from_scenario(name, seed=5)
    return json.dumps(sim.to_dict())


def world(name: str) -> Simulation:
    return Simulation.from_dict(json.loads(_snapshot(name)))


def run(sim: Simulation, line: str, check_state: bool = True) -> str:
    """One command through the engine's front door, checked: text back, bounded CPU, state still storable."""
    before = json.dumps(sim.to_dict())
    start = time.process_time()
    result = sim.execute(line)
    spent = time.process_time() - start
    assert isinstance(result.ok, bool)
    printable(result.text)
    if not result.changed:  # the web app skips saving the snapshot after such a command: it must be true
        assert json.dumps(sim.to_dict()) == before, f"{line[:200]!r} said it changed nothing"
    assert spent < CPU_SECONDS, f"{spent:.2f} s of CPU for {line[:200]!r}"
    if check_state:
        storable(sim)
    return result.text


def survives(sim: Simulation, line: str) -> str:
    """Run ``line``, then let time pass and look at everything: a value that got in must not break later."""
    text = run(sim, line)
    for follow_up in FOLLOW_UPS:
        run(sim, follow_up, check_state=False)
    storable(sim)
    return text


# --- command lines ---------------------------------------------------------------------------------------

TEMPLATES = [
    "kubectl {v}", "kubectl get {v}", "kubectl get pods {v}", "kubectl get pods -o {v}", "kubectl get pods -l {v}",
    "kubectl get pods --sort-by={v}", "kubectl get pods -n {v}", "kubectl describe {v}", "kubectl describe pod {v}",
    "kubectl create deployment {v} --image=nginx", "kubectl create deployment w --image={v}",
    "kubectl create deployment w --image=nginx --replicas={n}", "kubectl create deployment w --image=nginx --port={n}",
    "kubectl create namespace {v}", "kubectl run {v} --image=nginx", "kubectl run p --image=nginx --port={n}",
    "kubectl scale deployment web --replicas={n}", "kubectl scale deploy/web --replicas={n} --current-replicas={n}",
    "kubectl scale {v} --replicas=2", "kubectl delete {v}", "kubectl delete pod {v} --grace-period={n}",
    "kubectl delete pods -l {v}", "kubectl expose deployment web --port={n}",
    "kubectl expose deployment web --port=80 --target-port={n}",
    "kubectl expose deployment web --port=80 --type={v} --name=s2",
    "kubectl autoscale deployment web --min={n} --max=5", "kubectl autoscale deployment web --max={n}",
    "kubectl autoscale deployment web --max=5 --cpu-percent={n}", "kubectl autoscale deployment web --max=5 --cpu={v}",
    "kubectl set image deployment/web nginx={v}", "kubectl set image deployment/web {v}",
    "kubectl set resources deployment web --requests=cpu={n}", "kubectl set resources deployment web --limits={v}",
    "kubectl set resources deployment web --requests=memory={n}",
    "kubectl rollout undo deployment/web --to-revision={n}",
    "kubectl rollout history deployment/web --revision={n}", "kubectl rollout {v} deployment/web",
    "kubectl annotate deployment web kubernetes.io/change-cause={v}", "kubectl label pods --all {v}",
    "kubectl label deployment web a={v} --overwrite", "kubectl logs {v}", "kubectl logs deploy/web --tail={n}",
    "kubectl logs deploy/web --since={n}", "kubectl top {v}", "kubectl top pods --sort-by={v}",
    "kubectl taint nodes --all {v}", "kubectl cordon {v}", "kubectl drain {v} --ignore-daemonsets --force",
    "kubectl config use-context {v}", "kubectl config {v}", "kubectl cluster-info {v}", "kubectl version {v}",
    "gcloud {v}", "gcloud container clusters create {v} --zone=" + ZONE,
    "gcloud container clusters create c1 --num-nodes={n} --zone=" + ZONE,
    "gcloud container clusters create c1 --zone={v}", "gcloud container clusters create c1 --machine-type={v}",
    "gcloud container clusters resize demo --num-nodes={n} --zone=" + ZONE + " --quiet",
    "gcloud container clusters update demo --enable-autoscaling --min-nodes={n} --max-nodes={n} --zone=" + ZONE,
    "gcloud container node-pools create p1 --cluster=demo --num-nodes={n} --zone=" + ZONE,
    "gcloud container clusters get-credentials {v} --zone=" + ZONE, "gcloud config set project {v}",
    "gcloud config set compute/zone {v}", "sim {v}", "sim advance {n}", "sim traffic web {n}", "sim node fail {v}",
    "sim node recover {v}", "sim app crash {v}", "sim explain pod {v}", "help {v}", "{v}",
]


@st.composite
def command_line(draw) -> str:
    template = draw(st.sampled_from(TEMPLATES))
    return template.format(v=draw(hostile_text()), n=draw(hostile_number()))


@settings(FUZZ, max_examples=examples(120))
@given(scenario=st.sampled_from(SCENARIOS), line=command_line())
def test_hostile_arguments_to_every_command(scenario, line):
    survives(world(scenario), line)


@settings(FUZZ, max_examples=examples(100))
@given(scenario=st.sampled_from(SCENARIOS), line=hostile_text(max_size=300))
def test_random_text_with_control_characters(scenario, line):
    run(world(scenario), line)


@settings(FUZZ, max_examples=examples(40))
@given(scenario=st.sampled_from(SCENARIOS),
       flag=st.sampled_from(["-o wide", "-A", "--show-labels", "-n default", "-l app=web", "--replicas=2", "-w",
                             "--all-namespaces=true", "--selector=x", "--zone=" + ZONE, "--quiet"]),
       times=st.integers(1, 400),
       base=st.sampled_from(["kubectl get pods", "kubectl scale deployment web", "kubectl describe pods",
                             "gcloud container clusters list", "kubectl top pods", "sim status"]))
def test_a_flag_repeated_many_times(scenario, flag, times, base):
    """Lines up to the length cap and past it: answered quickly either way, the cap in Korean."""
    sim = world(scenario)
    line = f"{base} {' '.join([flag] * times)}"
    text = run(sim, line)
    if len(line) > sim.limits.max_command_length:
        assert text.startswith("명령이 너무 깁니다")


@settings(FUZZ, max_examples=examples(40))
@given(scenario=st.sampled_from(SCENARIOS), prefix=st.sampled_from(["kubectl get pods ", "kubectl ", "sim ", ""]),
       token=st.text(st.sampled_from("a-'\"\\ 한\u202e0"), min_size=1, max_size=5), repeat=st.integers(1, 3000))
def test_very_long_tokens_and_unbalanced_quotes(scenario, prefix, token, repeat):
    run(world(scenario), prefix + token * repeat)


PARSE_INT = 'error: invalid argument "{0}" for "--replicas" flag: strconv.ParseInt: parsing "{0}": '


@pytest.mark.parametrize(("line", "expected"), [
    ("kubectl scale deployment web --replicas=-1",
     "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"),
    ("kubectl scale deployment web --replicas=99999999999999999999",
     PARSE_INT.format("99999999999999999999") + "value out of range"),
    ("kubectl scale deployment web --replicas=1e309", PARSE_INT.format("1e309") + "invalid syntax"),
    ("kubectl scale deployment web --replicas=abc", PARSE_INT.format("abc") + "invalid syntax"),
    ("kubectl create deployment w --image=nginx --replicas=-5", "replicas"),
    ("kubectl create deployment w --image=nginx --replicas=999999", "파드를 최대 1,000개"),
    ("kubectl scale deployment web --replicas=999999", "파드를 최대 1,000개"),
    ("sim advance 1e309", "3,600초"), ("sim advance -1", "3,600초"), ("sim advance nan", "3,600초"),
    ("sim traffic web inf", "초당 요청 수"), ("sim traffic web nan", "초당 요청 수"),
    ("sim traffic web -1", "초당 요청 수"),
    ("kubectl set resources deployment web --requests=cpu=" + "9" * 400, "error: cpu quantity is too large"),
    ("gcloud container clusters resize demo --num-nodes=-1 --zone=" + ZONE + " --quiet", "num-nodes"),
])
def test_numbers_out_of_range_are_refused_cleanly(line, expected):
    """kubectl's own words where kubectl has them, Korean for the sandbox's caps."""
    sim = world("workloads")
    result = sim.execute(line)
    assert not result.ok and expected in result.text, result.text
    survives(sim, "sim status")


# --- manifests -------------------------------------------------------------------------------------------

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "api", "labels": {"app": "api"}, "annotations": {"note": "x"}},
    "spec": {
        "replicas": 2, "revisionHistoryLimit": 5, "minReadySeconds": 0,
        "selector": {"matchLabels": {"app": "api"}},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
        "template": {
            "metadata": {"labels": {"app": "api"}},
            "spec": {
                "containers": [{
                    "name": "api", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "env": [{"name": "MODE", "value": "prod"}], "args": ["--port", "80"],
                    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                  "limits": {"cpu": "500m", "memory": "128Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5,
                                       "initialDelaySeconds": 1, "failureThreshold": 3},
                    "livenessProbe": {"tcpSocket": {"port": 80}, "timeoutSeconds": 1},
                }],
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "tolerations": [{"key": "k", "operator": "Equal", "value": "v", "effect": "NoExecute",
                                 "tolerationSeconds": 30}],
                "terminationGracePeriodSeconds": 30,
            },
        },
    },
}
SERVICE = {
    "apiVersion": "v1", "kind": "Service", "metadata": {"name": "api-svc", "labels": {"app": "api"}},
    "spec": {"type": "LoadBalancer", "selector": {"app": "api"}, "sessionAffinity": "None",
             "ports": [{"name": "http", "port": 80, "targetPort": 80, "protocol": "TCP", "nodePort": 30080}]},
}
HPA = {
    "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "api"},
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
             "minReplicas": 1, "maxReplicas": 5,
             "metrics": [{"type": "Resource",
                          "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo", "labels": {"run": "solo"}},
       "spec": {"containers": [{"name": "solo", "image": "redis:7.4", "resources": {"requests": {"cpu": "50m"}}}],
                "restartPolicy": "Always"}}
MANIFESTS = [DEPLOYMENT, SERVICE, HPA, POD]

HOLE = "__HOLE__"
# Raw YAML put where a value goes: tags PyYAML's safe loader refuses or turns into non-JSON types, aliases,
# escapes that decode to NUL or to half a surrogate pair, numbers no int32 or float64 holds.
RAW_YAML = [
    "!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!!binary aGVsbG8=",
    "!!binary '////'", "!!set {a, b}", "!!omap [{a: 1}]", "!!timestamp 2024-01-01", "2024-01-01",
    "2024-01-01T10:00:00Z", "!!float nan", ".nan", ".inf", "-.inf", "1e309", "1.0e+309", "0x7fffffff",
    "0o777", "0b101", "1_000", "190:20:30", "99999999999999999999999999", "-99999999999999999999",
    "*nowhere", "&a [*a]", '"\\0"', '"a\\x00b"', '"\\ud800"', '"\\udfff"', '"\\U0010ffff"', '"\\e\\a"',
    "!custom x", "!!str", "!!null", "~", "''", "[]", "{}", "[[[[[[[[]]]]]]]]", "{a: {b: {c: {d: 1}}}}",
    "yes", "no", "on", "off", "Y", "true", "'1'", '"80"', "-1", "0", "2147483648", "-2147483649", "3.5",
    "|\n  multi\n  line", "? complex key\n: value",
]
PYTHON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**31), st.integers(max_value=-(2**31)),
    st.floats(allow_nan=True, allow_infinity=True), hostile_text(30), hostile_number(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(value, path=()):
    """Every place in a manifest a value sits: leaves and the containers above them."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _set(doc, path, value):
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@st.composite
def mutated_manifest(draw) -> str:
    """A valid manifest with one to three fields wrong: another type, a hostile value, raw YAML, removed."""
    doc = copy.deepcopy(draw(st.sampled_from(MANIFESTS)))
    paths = [p for p in _paths(doc) if p]
    raw = None
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True)):
        try:
            how = draw(st.sampled_from(["value", "value", "raw", "delete", "extra"]))
            if how == "value":
                _set(doc, path, draw(PYTHON_VALUES))
            elif how == "raw" and raw is None:
                raw = draw(st.sampled_from(RAW_YAML))
                _set(doc, path, HOLE)
            elif how == "delete":
                target = doc
                for step in path[:-1]:
                    target = target[step]
                del target[path[-1]]
            else:
                _set(doc, path, {draw(hostile_text(10)) or "x": draw(PYTHON_VALUES)})
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    if raw is not None:
        text = text.replace(HOLE, raw.replace("\n", "\n    ") if "\n" in raw else raw, 1)
    return text


@settings(FUZZ, max_examples=examples(100))
@given(scenario=st.sampled_from(["three-nodes", "autopilot", "workloads"]), manifest=mutated_manifest(),
       also_valid=st.booleans())
def test_wrong_values_at_every_field_of_a_valid_manifest(scenario, manifest, also_valid):
    sim = world(scenario)
    if also_valid:  # the objects the broken one refers to exist, so validation goes deeper
        run(sim, "kubectl apply -f -\n" + "---\n".join(yaml.safe_dump(m) for m in MANIFESTS))
    survives(sim, "kubectl apply -f -\n" + manifest)
    run(sim, "kubectl apply -f -\n" + manifest)  # applying it again is an update, or the same refusal


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m["kind"])
def test_the_unmutated_manifests_apply(manifest):
    """The fuzzing starts from manifests that work, so a refusal above is about the mutation."""
    sim = world("three-nodes")
    assert sim.execute("kubectl apply -f -\n" + yaml.safe_dump(manifest)).ok


def billion_laughs(width: int, depth: int) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, depth + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines)


@st.composite
def hostile_yaml(draw) -> str:
    kind = draw(st.sampled_from(["laughs", "deep-flow", "deep-block", "recursive", "documents", "huge", "binary",
                                 "tags", "merge"]))
    if kind == "laughs":
        return billion_laughs(draw(st.integers(2, 12)), draw(st.integers(2, 12)))
    if kind == "deep-flow":
        depth = draw(st.integers(10, 20_000))
        return "kind: Deployment\napiVersion: apps/v1\nspec: " + "[" * depth + "]" * draw(st.sampled_from([0, depth]))
    if kind == "deep-block":
        depth = draw(st.integers(10, 300))
        return "\n".join(" " * i + f"k{i}:" for i in range(depth)) + " 1"
    if kind == "recursive":
        return draw(st.sampled_from(["&a [*a]", "&a {x: *a}", "a: &a [b, *a]\nc: *a", "&a [&b [*a, *b]]"]))
    if kind == "documents":
        doc = draw(st.sampled_from(["", "{}", "~", "kind: List\napiVersion: v1\nitems: []", yaml.safe_dump(POD)]))
        return "---\n".join([doc] * draw(st.integers(1, 2000)))
    if kind == "huge":
        size = draw(st.integers(1_000, 70_000))
        return yaml.safe_dump({**POD, "metadata": {"name": "solo", "annotations": {"big": "x" * size}}})
    if kind == "binary":
        return draw(st.binary(max_size=2000)).decode("latin-1")
    if kind == "tags":
        return draw(st.sampled_from(RAW_YAML))
    return ("base: &base {apiVersion: apps/v1, kind: Deployment}\n---\n<<: *base\nmetadata: {name: m}\n"
            "spec: {selector: {matchLabels: {app: m}}, template: {metadata: {labels: {app: m}}, "
            "spec: {containers: [{name: m, image: nginx}]}}}")


@settings(FUZZ, max_examples=examples(60))
@given(manifest=hostile_yaml(), heredoc=st.booleans())
def test_yaml_bombs_and_junk_are_refused_within_bounds(manifest, heredoc):
    sim = world("three-nodes")
    line = f"kubectl apply -f - <<EOF\n{manifest}\nEOF" if heredoc else f"kubectl apply -f -\n{manifest}"
    run(sim, line)


# PyYAML builds the alias graph shared, but walking it expanded (or a deep nest) is where memory and time
# would go. Measured peaks for these inputs are ~1-6 MB; 32 MB is far above that and far below trouble.
MEMORY_BYTES = 32 * 2**20


@pytest.mark.parametrize("manifest", [
    billion_laughs(10, 9), billion_laughs(2, 60), billion_laughs(100, 3), "&a [*a]",
    "spec: " + "[" * 50_000, "spec: " + "[" * 10_000 + "]" * 10_000, "---\n" * 30_000,
    "a: [" + ", ".join(["x"] * 30_000) + "]",
], ids=["laughs-10x9", "laughs-2x60", "laughs-100x3", "recursive", "open-nest", "nest", "documents", "wide"])
def test_yaml_bombs_stay_within_memory_and_cpu(manifest):
    sim = world("three-nodes")
    tracemalloc.start()
    try:
        start = time.process_time()
        text = sim.execute("kubectl apply -f -\n" + manifest).text
        spent = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BYTES, f"{peak / 2**20:.1f} MiB"
    assert spent < CPU_SECONDS * 3, f"{spent:.2f} s"  # tracemalloc itself slows Python down about threefold
    assert text and "Traceback" not in text
    storable(sim)
