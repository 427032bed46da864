"""Undo: ``sim undo`` (and the toolbar's 되돌리기 button) takes back the learner's last command that changed
the cluster, rebuilding the cluster that command met from the snapshot kept before it."""

import pytest

from orchestrator import Simulation
from sandbox.models import CommandLog, Sandbox
from tests.sandbox.conftest import command

pytestmark = pytest.mark.django_db

WEB = "kubectl create deployment web --image=nginx:1.27 --replicas=2"
API = "kubectl create deployment api --image=nginx:1.27"


def cluster(sandbox: Sandbox) -> Simulation:
    return Simulation.from_json(Sandbox.objects.get(pk=sandbox.pk).state)


def deployments(sandbox: Sandbox) -> set[str]:
    lines = cluster(sandbox).execute("kubectl get deployments -o name").text.split()
    return {line for line in lines if line.startswith("deployment.apps/")}


def test_undo_rebuilds_exactly_the_cluster_the_last_command_met(client, sandbox, frozen_clock):
    command(client, sandbox, WEB)
    frozen_clock.tick(13)  # unsaved time: the command below meets a cluster caught up past the snapshot
    met = cluster(sandbox)
    met.advance(13)
    command(client, sandbox, API)
    assert deployments(sandbox) == {"deployment.apps/web", "deployment.apps/api"}

    html = command(client, sandbox, "sim undo").content.decode()
    assert f"되돌렸습니다: {API}" in html
    restored = cluster(sandbox)
    assert restored.to_dict() == met.to_dict()  # time included: the clock goes back to the command
    assert CommandLog.objects.filter(sandbox=sandbox).last().text == "sim undo"


def test_undo_is_one_step_and_then_says_there_is_nothing_to_undo(client, sandbox):
    command(client, sandbox, WEB)
    command(client, sandbox, API)
    command(client, sandbox, "sim undo")
    html = command(client, sandbox, "sim undo").content.decode()
    assert "되돌릴 명령이 없습니다" in html and "console-entry--error" in html
    assert deployments(sandbox) == {"deployment.apps/web"}


def test_looks_failures_and_time_do_not_move_the_undo_point(client, sandbox):
    command(client, sandbox, WEB)
    command(client, sandbox, "kubectl get pods")
    command(client, sandbox, "kubectl scale deployment nope --replicas=3")  # fails: nothing to take back
    command(client, sandbox, "sim advance 30")
    html = command(client, sandbox, "  sim  undo", source="button").content.decode()
    assert f"되돌렸습니다: {WEB}" in html
    assert deployments(sandbox) == set()


def test_a_reset_leaves_nothing_to_undo(client, sandbox):
    command(client, sandbox, WEB)
    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "reset"}, headers={"HX-Request": "true"})
    assert "되돌릴 명령이 없습니다" in command(client, sandbox, "sim undo").content.decode()


def test_polls_never_read_the_snapshot_kept_for_undo(client, sandbox, django_assert_max_num_queries):
    command(client, sandbox, WEB)
    assert Sandbox.objects.get(pk=sandbox.pk).undo_state  # kept
    with django_assert_max_num_queries(10) as queries:
        client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert not any('"undo_state"' in q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))


def test_the_toolbar_offers_undo_beside_reset(client, sandbox):
    html = client.get(f"/sandbox/{sandbox.pk}/").content.decode()
    assert 'id="tc-undo"' in html and 'value="sim undo"' in html
