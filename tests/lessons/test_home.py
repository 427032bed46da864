from django.urls import reverse
from django.utils.html import escape

from lessons.showcase import SCRIPT, run_showcase


def test_home_page_is_served_in_korean(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert '<html lang="ko">' in response.text
    assert "쿠버네티스" in response.text


def test_home_page_shows_every_scripted_command_after_a_prompt(client):
    text = client.get(reverse("home")).text

    for step in SCRIPT:
        if isinstance(step, str):
            assert f'<kbd class="terminal__command">{escape(step)}</kbd>' in text


def test_home_page_shows_the_engine_output_verbatim(client):
    text = client.get(reverse("home")).text

    for _command, output in run_showcase():
        assert escape(output) in text
    assert "deployment.apps/web created" in text
    assert "NAME" in text


def test_showcase_runs_every_command_and_creates_the_deployment():
    transcript = dict(run_showcase())

    assert list(transcript) == [step for step in SCRIPT if isinstance(step, str)]
    assert transcript["kubectl create deployment web --image=nginx:1.27 --replicas=3"].strip() == (
        "deployment.apps/web created"
    )
    wide = transcript["kubectl get pods -o wide"].splitlines()
    assert wide[0].split()[:3] == ["NAME", "READY", "STATUS"]
    assert "NODE" in wide[0].split()
    # Three replicas, all running after the simulated wait.
    assert len(wide) == 4
    assert all(line.split()[2] == "Running" for line in wide[1:])


def test_showcase_is_deterministic():
    """Two fresh runs (past the per-process cache) print byte-identical transcripts."""
    assert run_showcase.__wrapped__() == run_showcase.__wrapped__()


def test_home_page_sends_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
