"""What one visitor can make the site keep: free sandboxes per owner, output per logged command, snapshot size,
and the process's cache of simulations by size as well as count."""

import html

import pytest
from django.test import Client

from orchestrator import Simulation
from sandbox import models
from sandbox.models import CommandLog, Sandbox, _Simulations
from sandbox.views import FREE_SANDBOXES_PER_OWNER
from tests.sandbox.conftest import command, start_sandbox

pytestmark = pytest.mark.django_db


def test_free_sandboxes_stop_at_the_limit_with_a_korean_message_and_can_be_deleted(client):
    made = [start_sandbox(client) for _ in range(FREE_SANDBOXES_PER_OWNER)]
    refused = client.post("/sandbox/", {"scenario": "three-nodes"})
    assert refused.status_code == 409 and "지운 뒤 다시 시작해 주세요" in refused.content.decode()
    assert Sandbox.objects.count() == FREE_SANDBOXES_PER_OWNER
    assert f"(지금 {FREE_SANDBOXES_PER_OWNER}개)" in refused.content.decode()

    assert client.post(f"/sandbox/{made[0].pk}/delete").status_code == 302
    assert not Sandbox.objects.filter(pk=made[0].pk).exists()
    start_sandbox(client)  # room again


def test_only_the_owner_deletes_and_a_lessons_sandbox_stays(client):
    sandbox = start_sandbox(client)
    assert Client().post(f"/sandbox/{sandbox.pk}/delete").status_code == 404
    Sandbox.objects.filter(pk=sandbox.pk).update(lesson="first-deployment")
    response = client.post(f"/sandbox/{sandbox.pk}/delete")
    assert response.status_code == 400 and "레슨의 샌드박스" in response.content.decode()
    assert Sandbox.objects.filter(pk=sandbox.pk).exists()


def test_a_long_output_is_shown_whole_but_logged_cut_with_a_note(client, sandbox, monkeypatch):
    monkeypatch.setattr(models, "STORED_OUTPUT_CHARS", 300)
    line = "kubectl get pods -A -o wide"
    shown = html.unescape(command(client, sandbox, line).content.decode())
    stored = CommandLog.objects.get(sandbox=sandbox).output
    full = Simulation.from_json(Sandbox.objects.get(pk=sandbox.pk).state).run(line)
    assert len(full) > 300 and full.splitlines()[-1] in shown
    assert len(stored) < 300 + 200 and stored.startswith(full[:100])
    assert f"(전체 {len(full):,}자)" in stored


def test_a_command_that_would_make_the_snapshot_too_large_is_refused_and_nothing_changes(client, sandbox,
                                                                                          monkeypatch):
    before = Sandbox.objects.get(pk=sandbox.pk)
    monkeypatch.setattr(models, "MAX_SNAPSHOT_CHARS", len(before.state) + 100)
    response = command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=5")
    assert response.status_code == 409 and "너무 커져서" in response.content.decode()
    after = Sandbox.objects.get(pk=sandbox.pk)
    assert (after.version, after.state) == (before.version, before.state)
    assert not CommandLog.objects.filter(sandbox=sandbox).exists()
    poll = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert poll.status_code == 200  # the page keeps working


def test_the_simulation_cache_is_bounded_by_snapshot_size_as_well_as_count(monkeypatch):
    monkeypatch.setattr(models, "SIMULATIONS_BYTES", 1000)
    cache = _Simulations()
    sim = Simulation(seed=1)
    for pk in range(5):
        cache.put((pk, 0), sim, 0.0, 400)
    assert list(cache.kept) == [(3, 0), (4, 0)] and cache.size == 800  # the oldest went first
    assert cache.take(4, 0) is not None and cache.size == 400
    cache.put((9, 0), sim, 0.0, 5000)  # bigger than the whole budget: kept alone, the newest
    assert list(cache.kept) == [(9, 0)] and cache.size == 5000
