import pytest

from sandbox.models import Sandbox


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
