"""Bugs the fuzz tests found in the engine, pinned as plain examples so they stay fixed."""

from __future__ import annotations

import time

import pytest

import orchestrator.commands
from orchestrator import Limits, Simulation
from orchestrator.manifests import MAX_DEPTH
from orchestrator.quantity import QuantityError, parse_cpu, parse_memory
from tests.security.conftest import HANGUL, storable

ZONE = "asia-northeast3-a"


@pytest.fixture(autouse=True)
def raise_internal_errors(monkeypatch):
    monkeypatch.setattr(orchestrator.commands, "RAISE_INTERNAL_ERRORS", True)


def web() -> Simulation:
    sim = Simulation.from_scenario("three-nodes", seed=2)
    assert sim.execute("kubectl create deployment web --image=nginx:1.27 --replicas=2").ok
    return sim


@pytest.mark.parametrize("digit", ["³", "٣", "１"])
@pytest.mark.parametrize(("line", "flag"), [
    ("kubectl scale deployment web --replicas={}", "replicas"),
    ("kubectl create deployment w --image=nginx --replicas={}", "replicas"),
    ("kubectl autoscale deployment web --max={}", "max"), ("kubectl logs deploy/web --tail={}", "tail"),
    ("gcloud container clusters resize demo --num-nodes={} --zone=" + ZONE + " --quiet", "num-nodes"),
])
def test_digits_that_are_not_ascii_are_not_numbers(line, flag, digit):
    """str.isdigit() says yes to "³" (int() then raised) and to "٣" (int() read it as 3); Go's strconv says no."""
    result = web().execute(line.format(digit))
    assert not result.ok
    assert (f'invalid argument "{digit}" for "--{flag}" flag: strconv.ParseInt: parsing "{digit}": invalid syntax'
            in result.text)


def test_a_percentage_in_other_digits_is_refused_in_korean():
    result = web().execute("kubectl autoscale deployment web --max=3 --cpu=³%")
    assert not result.ok and "백분율" in result.text


@pytest.mark.parametrize("target", ["0", "65536", "99999999999999999999", "٣"])
def test_expose_refuses_a_target_port_out_of_range(target):
    sim = web()
    result = sim.execute(f"kubectl expose deployment web --port=80 --target-port={target}")
    if target == "٣":  # not a number: kubectl takes it as a named port
        assert result.ok
        return
    assert not result.ok
    assert result.text == (f'The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: {int(target)}: '
                           "must be between 1 and 65535, inclusive")
    assert not sim.current_cluster().services.get("default/web")


@pytest.mark.parametrize("text", ["9" * 400, "9" * 400 + "Ei", "1" + "0" * 330, "1" + "0" * 330 + "m"])
def test_quantities_too_large_for_a_float_are_refused(text):
    """A few hundred digits made the float infinite and int() raised OverflowError or ValueError."""
    with pytest.raises(QuantityError):
        parse_cpu(text)
    with pytest.raises(QuantityError):
        parse_memory(text)


def test_set_resources_with_an_endless_number_says_it_is_too_large():
    result = web().execute("kubectl set resources deployment web --requests=cpu=" + "9" * 400)
    assert not result.ok and result.text == "error: cpu quantity is too large"


def test_quantities_at_the_edges_still_parse():
    assert parse_cpu("1000000") == 10**9 and parse_cpu("0.0001") == 1 and parse_cpu("250m") == 250
    assert parse_memory("1Ei") == 2**60 and parse_memory("1500m") == 2 and parse_memory("128Mi") == 2**27


def full_sandbox() -> Simulation:
    """A sandbox filled to its 1,000-pod cap, the biggest world a learner can legally build."""
    sim = Simulation(seed=3)
    assert sim.execute(f"gcloud container clusters create big --num-nodes=50 --zone={ZONE} "
                       "--machine-type=e2-standard-8").ok
    assert sim.execute("kubectl create deployment a --image=nginx --replicas=790").ok
    sim.advance(60)
    assert sum(len(c.pods) for c in sim.clusters.values()) > 950
    return sim


def test_printing_a_full_sandbox_is_cut_short_and_fast():
    """-o yaml of 1,000 pods took 5.6 s of CPU and printed 2.4 MB, kept in the console log and re-sent with
    every page load. Output stops at the limit with a Korean note, and conversion stops there too."""
    sim = full_sandbox()
    limit = sim.limits.max_output_chars
    for line in ["kubectl get pods -A -o yaml", "kubectl get all -A -o json", "kubectl describe pods -A"]:
        start = time.process_time()
        result = sim.execute(line)
        spent = time.process_time() - start
        assert result.ok and spent < 1.0, f"{line}: {spent:.2f} s"
        head, _, note = result.text.rpartition("\n")
        assert len(head) <= limit and "출력이 너무 길어" in note and HANGUL.search(note), line
    assert sim.execute("kubectl get pods -A").text.count("\n") > 950  # one table of every pod still fits


def test_output_under_the_limit_is_untouched():
    sim = web()
    text = sim.execute("kubectl get pods -o yaml").text
    assert text.startswith("apiVersion: v1\nitems:\n") and text.endswith("resourceVersion: ''")
    small = Simulation.from_dict({**sim.to_dict(), "limits": Limits(max_output_chars=500).to_dict()})
    assert "출력이 너무 길어" in small.execute("kubectl get pods -o yaml").text


@pytest.mark.parametrize("brackets", ["[" * 10_000, "[" * 5_000 + "]" * 5_000, "{a: " * 3_000, "[{" * 2_000])
def test_deep_flow_nesting_is_refused_before_pyyaml_slows_down(brackets):
    """PyYAML's scanner is quadratic in flow depth: 10,000 brackets took ~10 s. Refused at MAX_DEPTH instead."""
    sim = web()
    start = time.process_time()
    result = sim.execute("kubectl apply -f -\nspec: " + brackets)
    assert time.process_time() - start < 0.5
    assert not result.ok and "너무 큽니다" in result.text


def test_flow_nesting_up_to_the_limit_is_still_read():
    sim = web()
    text = sim.execute("kubectl apply -f -\nmetadata: {annotations: " + "[" * (MAX_DEPTH - 4) + "]" * (MAX_DEPTH - 4)
                       + "}").text
    assert "너무 큽니다" not in text  # refused for the missing kind, not for the depth


MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations: {{note: {value}}}
spec:
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers: [{{name: api, image: nginx}}]
"""


@pytest.mark.parametrize("value", ['"\\0"', '"a\\x00b"', '"\\x00"'])
def test_a_nul_escape_in_a_manifest_is_refused_in_korean(value):
    """YAML's "\\0" escape got into the snapshot; PostgreSQL's jsonb and text columns refuse NUL."""
    sim = web()
    result = sim.execute("kubectl apply -f -\n" + MANIFEST.format(value=value))
    assert not result.ok and "NUL" in result.text and HANGUL.search(result.text)
    assert "default/api" not in sim.current_cluster().deployments
    assert "\\u0000" not in storable(sim)


@pytest.mark.parametrize("value", ['"\\ud800"', '"x\\udfffy"', '"\\ud83d\\ude00"'])
def test_a_surrogate_escape_is_refused_as_go_yaml_does(value):
    """PyYAML decodes "\\ud800" to half a UTF-16 pair, which no UTF-8 response or database can hold."""
    sim = web()
    result = sim.execute("kubectl apply -f -\n" + MANIFEST.format(value=value))
    assert result.text == ("error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: found invalid "
                           "Unicode character escape code")
    assert "default/api" not in sim.current_cluster().deployments


def test_a_real_emoji_in_a_manifest_is_fine():
    sim = web()
    assert sim.execute("kubectl apply -f -\n" + MANIFEST.format(value='"🙂 \\U0001F600 한글"')).ok
    storable(sim)
