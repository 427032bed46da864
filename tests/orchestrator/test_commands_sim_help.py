"""``sim`` (the outside world), ``help``, and what the console does with lines it cannot run."""

import pytest

from orchestrator import Limits, Simulation
from tests.orchestrator.conftest import cluster, deploy, fails, has_hangul, make_sim, ok


def test_help_lists_every_program_in_korean():
    text = ok(Simulation(seed=1), "help")
    assert has_hangul(text)
    for word in ("gcloud container clusters create", "kubectl get", "kubectl scale", "sim node fail", "sim advance"):
        assert word in text


@pytest.mark.parametrize("line", ["kubectl", "kubectl --help", "kubectl help", "gcloud", "gcloud --help"])
def test_bare_program_shows_help(line):
    assert has_hangul(ok(Simulation(seed=1), line))


@pytest.mark.parametrize("line", ["sim", "sim help", "help sim"])
def test_sim_help(line):
    text = ok(Simulation(seed=1), line)
    assert "sim node fail NODE" in text and "300" in text


def test_sim_advance_moves_the_clock():
    sim = make_sim()
    text = ok(sim, "sim advance 30")
    assert has_hangul(text) and "30" in text
    assert sim.time == 30
    ok(sim, "sim advance 15s")
    assert sim.time == 45


@pytest.mark.parametrize("value", ["0", "-3", "abc", "3601", "nan", "inf"])
def test_sim_advance_rejects_bad_durations(value):
    sim = make_sim()
    assert has_hangul(fails(sim, f"sim advance {value}"))
    assert sim.time == 0


def test_advance_is_capped_per_call():
    sim = Simulation(seed=1, limits=Limits(max_advance_seconds=100))
    sim.advance(1000)
    assert sim.time == 100


def test_advance_ignores_nan_and_non_positive():
    sim = make_sim()
    for value in (float("nan"), 0, -5):
        sim.advance(value)
    assert sim.time == 0


def test_fractional_advances_add_up_to_whole_ticks():
    a, b = make_sim(), make_sim()
    for _ in range(20):
        a.advance(0.5)
    b.advance(10)
    assert a.time == b.time == 10
    assert a.run("kubectl get nodes") == b.run("kubectl get nodes")


def test_sim_status_summarises_the_project():
    sim = make_sim()
    deploy(sim, replicas=2)
    text = ok(sim, "sim status")
    assert "30" in text and "demo" in text and "3/3" in text
    assert has_hangul(text)
    assert has_hangul(ok(Simulation(seed=1), "sim status"))


def test_sim_node_without_cluster():
    assert has_hangul(fails(Simulation(seed=1), "sim node fail x"))


def test_unknown_sim_command():
    assert has_hangul(fails(make_sim(), "sim explode everything"))


def test_ambiguous_node_fragment_is_refused():
    sim = make_sim()
    text = fails(sim, "sim node fail gke-demo")
    assert has_hangul(text)
    assert all(n.down_since is None for n in cluster(sim).nodes.values())


def test_unknown_program_answers_in_korean():
    text = fails(Simulation(seed=1), "docker ps")
    assert text.startswith("docker:") and has_hangul(text)


def test_empty_line_does_nothing():
    result = Simulation(seed=1).execute("   ")
    assert result.ok and result.text == ""


def test_unclosed_quote_is_explained():
    assert has_hangul(fails(make_sim(), "kubectl get pods -l 'app=web"))


def test_overlong_line_is_refused():
    sim = Simulation(seed=1)
    text = fails(sim, "kubectl get pods " + "x" * 5000)
    assert has_hangul(text)


def test_non_string_command_is_refused():
    result = Simulation(seed=1).execute(None)
    assert not result.ok and has_hangul(result.text)


def test_nul_bytes_are_ignored():
    sim = make_sim()
    assert ok(sim, "kubectl get\x00 nodes") == ok(sim, "kubectl get nodes")
