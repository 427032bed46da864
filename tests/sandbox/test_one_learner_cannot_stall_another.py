"""One learner's long engine work must not hold up anyone else: the engine runs outside the database's write
transaction (on SQLite that transaction is the whole database's one write lock)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from orchestrator import Simulation
from sandbox.models import CommandLog, Conflict, Sandbox
from tests.sandbox.conftest import start_sandbox

HEAVY = "sim advance 600"


@pytest.mark.django_db(transaction=True)
def test_another_learners_command_goes_through_while_one_learners_engine_is_busy(monkeypatch):
    heavy_learner, other_learner = Client(), Client()
    heavy_sandbox, other_sandbox = start_sandbox(heavy_learner), start_sandbox(other_learner)
    engine_busy, other_done = threading.Event(), threading.Event()
    seen = {}
    execute = Simulation.execute

    def slow_execute(sim, line):
        if line == HEAVY:
            # A long computation, held open until the other learner's command has been answered (or 10 s).
            engine_busy.set()
            seen["other_finished_meanwhile"] = other_done.wait(timeout=10)
        return execute(sim, line)

    monkeypatch.setattr(Simulation, "execute", slow_execute)

    def heavy():
        seen["heavy_status"] = heavy_learner.post(f"/sandbox/{heavy_sandbox.pk}/command", {"command": HEAVY},
                                                  headers={"HX-Request": "true"}).status_code
        connection.close()

    worker = threading.Thread(target=heavy)
    worker.start()
    assert engine_busy.wait(timeout=10)
    response = other_learner.post(f"/sandbox/{other_sandbox.pk}/command",
                                  {"command": "kubectl create deployment web --image=nginx:1.27"},
                                  headers={"HX-Request": "true"})
    other_done.set()
    worker.join()
    assert response.status_code == 200 and "deployment.apps/web created" in response.content.decode()
    assert seen == {"other_finished_meanwhile": True, "heavy_status": 200}
    assert CommandLog.objects.filter(sandbox=heavy_sandbox, text=HEAVY).exists()


@pytest.mark.django_db
def test_a_command_that_never_wins_the_race_to_save_is_refused_in_korean_and_not_logged(client, monkeypatch):
    sandbox = start_sandbox(client)

    def always_behind(self, *args, **kwargs):
        raise Conflict

    monkeypatch.setattr(Sandbox, "save_state", always_behind)
    response = client.post(f"/sandbox/{sandbox.pk}/command", {"command": "kubectl create deployment web --image=nginx"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409 and "다시 실행해 보세요" in response.content.decode()
    assert not CommandLog.objects.filter(sandbox=sandbox).exists()
