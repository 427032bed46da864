"""Command limits beyond the sandbox's own bucket: per learner (session or account) and per client address."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sandbox import limits
from sandbox.models import CommandLog, Sandbox
from tests.sandbox.conftest import command, start_sandbox

pytestmark = pytest.mark.django_db


def test_one_session_cannot_multiply_the_limit_by_opening_more_sandboxes(client, settings, frozen_clock):
    settings.SANDBOX_SESSION_COMMAND_RATE = (3, 10)
    first, second = start_sandbox(client), start_sandbox(client)
    statuses = [command(client, box, "kubectl get nodes").status_code for box in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]
    refused = command(client, first, "kubectl get nodes")
    assert refused.status_code == 429
    assert limits.MESSAGE in refused.content.decode() and "명령이 너무 많이" in limits.MESSAGE
    assert refused["Retry-After"] == "4"  # 10 s / 3 per token
    assert refused["HX-Retarget"] == "#console-log"  # shown in the console like any other answer
    assert CommandLog.objects.count() == 3
    # the refused command did not spend the sandbox's own token either
    assert Sandbox.objects.get(pk=first.pk).command_tokens == 18
    frozen_clock.tick(4)
    assert command(client, first, "kubectl get nodes").status_code == 200


def test_a_signed_in_learner_has_one_limit_across_browsers(settings):
    settings.SANDBOX_SESSION_COMMAND_RATE = (2, 10)
    user = get_user_model().objects.create_user("learner", password="x" * 12)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(user)
    sandbox = start_sandbox(browsers[0])
    assert [command(b, sandbox, "kubectl get nodes").status_code for b in browsers * 2] == [200, 200, 429, 429]


def test_many_sessions_from_one_address_share_its_limit(settings):
    settings.SANDBOX_ADDRESS_COMMAND_RATE = (2, 10)
    here = [Client(REMOTE_ADDR="203.0.113.7") for _ in range(3)]
    boxes = [start_sandbox(c) for c in here]
    assert [command(c, box, "kubectl get nodes").status_code for c, box in zip(here, boxes, strict=True)] == [
        200, 200, 429]
    elsewhere = Client(REMOTE_ADDR="198.51.100.1")
    assert command(elsewhere, start_sandbox(elsewhere), "kubectl get nodes").status_code == 200


def test_the_buckets_are_keyed_by_learner_and_address_only(rf):
    """Nothing of one learner's key can match another's: a session key, a user id, an address."""
    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    request.user = get_user_model()(pk=7)
    request.session = None
    assert sorted(limits._buckets(request)) == ["sandbox-commands:address:192.0.2.1", "sandbox-commands:user:7"]
