"""The live region's caches: a poll reuses what it can, but never stale state or another session's token."""

import gzip
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone

from orchestrator import Simulation
from sandbox import presenters
from sandbox.models import Sandbox
from tests.sandbox.conftest import command, start_sandbox

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def poll(client, sandbox) -> str:
    response = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def web_pods(html: str) -> int:
    return len(re.findall(r'<li class="chip [^"]*" id="pod-default-web-', html))


def test_scaling_a_deployment_changes_the_cached_node_cards_on_the_next_poll(client):
    sandbox = start_sandbox(client, "web-behind-lb")
    before = poll(client, sandbox)
    assert poll(client, sandbox).count('class="node-card') == before.count('class="node-card')  # served again
    replicas = web_pods(before)
    assert replicas > 0
    command(client, sandbox, f"kubectl scale deployment web --replicas={replicas + 2}")
    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "advance"}, headers={"HX-Request": "true"})
    after = poll(client, sandbox)
    assert web_pods(after) == replicas + 2
    assert f"--replicas={replicas + 3}" in after  # the deployment card's buttons moved on too


def test_the_same_version_is_served_again_without_the_engine(client, sandbox, django_assert_max_num_queries,
                                                             monkeypatch):
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=60))
    first = poll(client, sandbox)
    monkeypatch.setattr(Sandbox, "simulation", lambda self: pytest.fail("the engine was used"))
    with django_assert_max_num_queries(2):  # the session, the sandbox
        assert poll(client, sandbox) == first


def test_two_sessions_never_get_each_others_csrf_token():
    """One account signed in from two browsers: both poll the same sandbox at the same version."""
    user = get_user_model().objects.create_user("learner", password="x" * 12)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(user)
        browser.get("/sandbox/")  # the CSRF cookie, as a browser gets it
    secrets = [browser.cookies["csrftoken"].value for browser in browsers]
    assert secrets[0] != secrets[1]
    sandbox = start_sandbox(browsers[0], "web-behind-lb")
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=60))
    for _ in range(2):  # the second round comes from the caches
        for browser, secret in zip(browsers, secrets, strict=True):
            tokens = TOKEN.findall(poll(browser, sandbox))
            assert tokens
            assert {_unmask_cipher_token(t) for t in tokens} == {secret}


def test_a_version_saved_elsewhere_is_read_from_the_database(client):
    """This process keeps the simulation it saved; another process's newer save must win over it."""
    sandbox = start_sandbox(client, "web-behind-lb")
    command(client, sandbox, "kubectl create deployment mine --image=nginx:1.27")
    row = Sandbox.objects.get(pk=sandbox.pk)
    other = Simulation.from_json(row.state)
    other.execute("kubectl create deployment theirs --image=nginx:1.27")
    Sandbox.objects.filter(pk=sandbox.pk, version=row.version).update(state=other.to_json(), version=row.version + 1)
    html = poll(client, sandbox)
    assert 'id="deploy-default-theirs"' in html and 'id="deploy-default-mine"' in html


def test_a_browser_that_has_this_version_gets_a_304(client, sandbox):
    """The poll's ETag names the version and the session's CSRF secret; the browser revalidates every time."""
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=60))
    url = f"/sandbox/{sandbox.pk}/poll"
    first = client.get(url, headers={"HX-Request": "true"})
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27")
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=60))
    changed = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and "deploy-default-web" in changed.content.decode()


def test_another_sessions_etag_is_not_this_ones():
    user = get_user_model().objects.create_user("learner", password="x" * 12)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(user)
        browser.get("/sandbox/")
    sandbox = start_sandbox(browsers[0])
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=60))
    url = f"/sandbox/{sandbox.pk}/poll"
    etag = browsers[0].get(url, headers={"HX-Request": "true"})["ETag"]
    other = browsers[1].get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert other.status_code == 200 and other["ETag"] != etag


def test_a_browser_that_accepts_gzip_gets_the_region_compressed_and_its_weak_etag_still_gives_a_304(client, sandbox):
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=60))
    url = f"/sandbox/{sandbox.pk}/poll"
    headers = {"HX-Request": "true", "Accept-Encoding": "gzip"}
    first = client.get(url, headers=headers)
    body = gzip.decompress(first.content)
    assert first["Content-Encoding"] == "gzip" and b'id="sandbox-live"' in body
    assert len(first.content) * 4 < len(body)
    assert first["ETag"].startswith('W/"')
    again = client.get(url, headers={**headers, "If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_the_region_asks_for_slow_polls_only_once_the_cluster_is_at_rest(client, sandbox):
    assert 'data-poll-ms="8000"' in poll(client, sandbox)  # the scenario's cluster, settled
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    assert 'data-poll-ms="2000"' in poll(client, sandbox)  # pods on their way
    sim = Sandbox.objects.get(pk=sandbox.pk).simulation()
    sim.advance(60)
    assert presenters.at_rest(sim)
    node = sorted(sim.current_cluster().nodes)[0]
    sim.execute(f"sim node fail {node}")
    assert not presenters.at_rest(sim)  # a dead VM: eviction is on its way
    sim.execute(f"sim node recover {node}")
    sim.advance(60)
    assert presenters.at_rest(sim)
    sim.execute("sim app crash web")
    assert not presenters.at_rest(sim)
