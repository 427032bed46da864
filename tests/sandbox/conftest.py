from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from sandbox.models import Sandbox


@pytest.fixture(autouse=True)
def _fresh_command_limits():
    """The per-session and per-address command buckets live in the default (in-process) cache: each test
    starts with full ones, whatever the tests before it sent from the test client's 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


class FrozenClock:
    """``timezone.now()`` standing still until a test moves it."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def frozen_clock(monkeypatch) -> FrozenClock:
    clock = FrozenClock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def start_sandbox(client, scenario: str = "three-nodes") -> Sandbox:
    """Create a sandbox the way a learner does: POST the scenario, follow to its page."""
    response = client.post("/sandbox/", {"scenario": scenario})
    assert response.status_code == 302, response.content[:500]
    return Sandbox.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def command(client, sandbox: Sandbox, text: str, **extra):
    return client.post(f"/sandbox/{sandbox.pk}/command", {"command": text, **extra},
                       headers={"HX-Request": "true"})


@pytest.fixture
def sandbox(client):
    return start_sandbox(client)
