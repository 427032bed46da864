"""sandbox/statements.py writes the hot path's SQL by hand: each statement must do exactly what the ORM does.
The whole suite runs on SQLite and again on PostgreSQL (make test), so both backends are compared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from orchestrator import Simulation
from sandbox import statements
from sandbox.models import CommandLog, Sandbox

pytestmark = pytest.mark.django_db


def _pair() -> tuple[Sandbox, Sandbox]:
    return Sandbox.start("three-nodes", session_key="a"), Sandbox.start("three-nodes", session_key="b")


def _row(pk) -> dict:
    return Sandbox.objects.filter(pk=pk).values("state", "version", "command_tokens", "command_tokens_at",
                                                 "last_advanced", "updated", "paused").get()


def test_an_update_with_a_snapshot_and_an_increment_matches_the_orm():
    by_hand, by_orm = _pair()
    sim = Simulation.from_scenario("web-behind-lb", seed=3)
    when = timezone.now() - timedelta(minutes=3)
    values = {"updated": when, "last_advanced": when, "command_tokens": 12.5, "command_tokens_at": when, "paused": True}
    assert statements.update(Sandbox, {"state": sim.to_json(), **values},
                             where={"id": by_hand.pk, "version": 0}, increment=("version",)) == 1
    Sandbox.objects.filter(pk=by_orm.pk, version=0).update(state=sim.to_json(), version=F("version") + 1, **values)
    assert _row(by_hand.pk) == _row(by_orm.pk)
    assert _row(by_hand.pk)["version"] == 1
    assert _row(by_hand.pk)["state"] == sim.to_json()  # as written, keys in the engine's order


def test_where_compares_every_value_and_none_means_is_null():
    sandbox, _ = _pair()
    now = timezone.now()
    assert statements.update(Sandbox, {"command_tokens": 3.0}, where={"id": sandbox.pk, "version": 1}) == 0
    assert statements.update(Sandbox, {"command_tokens": 3.0, "command_tokens_at": now},
                             where={"id": sandbox.pk, "version": 0, "command_tokens_at": None}) == 1
    # The bucket's timestamp is a compare-and-set: the old value no longer matches, the new one does.
    assert statements.update(Sandbox, {"command_tokens": 2.0},
                             where={"id": sandbox.pk, "version": 0, "command_tokens_at": None}) == 0
    assert statements.update(Sandbox, {"command_tokens": 2.0},
                             where={"id": sandbox.pk, "version": 0, "command_tokens_at": now}) == 1
    assert _row(sandbox.pk)["command_tokens"] == 2.0


def test_an_insert_matches_the_orm_and_sets_the_id():
    sandbox, _ = _pair()
    fields = {"sandbox": sandbox, "text": "kubectl get pods", "output": "이름\n", "ok": False, "source": "button",
              "sim_time": 12.5, "request_id": "abcdefgh-1"}
    before = timezone.now()
    entry = statements.insert(CommandLog(**fields))
    orm = CommandLog.objects.create(**{**fields, "request_id": "abcdefgh-2"})
    assert entry.pk is not None and not entry._state.adding and orm.pk > entry.pk
    names = ["sandbox_id", "text", "output", "ok", "source", "sim_time"]
    assert ([getattr(CommandLog.objects.get(pk=entry.pk), n) for n in names]
            == [getattr(CommandLog.objects.get(pk=orm.pk), n) for n in names])
    assert before <= CommandLog.objects.get(pk=entry.pk).created <= timezone.now()
    assert entry.created == CommandLog.objects.get(pk=entry.pk).created


def test_an_insert_breaking_a_constraint_raises_djangos_integrity_error():
    sandbox, _ = _pair()
    statements.insert(CommandLog(sandbox=sandbox, text="a", request_id="same-request"))
    with pytest.raises(IntegrityError), transaction.atomic():
        statements.insert(CommandLog(sandbox=sandbox, text="b", request_id="same-request"))
    assert CommandLog.objects.filter(sandbox=sandbox).count() == 1
