"""Hostile console input through HTTP, with CSRF checks on as in production: never a 500 or a traceback,
always an answer the console can show (a console entry, or a short Korean text), and afterwards the sandbox
page and its poll still load and the command log holds exactly the commands that ran."""

from __future__ import annotations

import re
import uuid

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

import sandbox.models
from orchestrator.commands import INTERNAL_ERROR
from sandbox.models import CommandLog, Sandbox
from tests.security.conftest import FUZZ, HANGUL, examples, hostile_text
from tests.security.test_fuzz_engine import MANIFESTS, command_line, hostile_yaml, mutated_manifest

pytestmark = pytest.mark.django_db

FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HX_TOKEN = re.compile(r'"x-csrftoken": "([^"]+)"')
ANSWERS = {200, 400, 413, 429}


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch, settings):
    """The fuzzing sends hundreds of commands in seconds; the rate limits have tests of their own."""
    monkeypatch.setattr(sandbox.models, "COMMAND_RATE", (10**9, 1))
    settings.SANDBOX_SESSION_COMMAND_RATE = settings.SANDBOX_ADDRESS_COMMAND_RATE = (10**9, 1)
    cache.clear()
    yield
    cache.clear()


class Learner:
    """A browser with CSRF enforced: it takes the token from the page, as htmx does from ``hx-headers``."""

    def __init__(self, scenario: str = "three-nodes"):
        self.client = Client(enforce_csrf_checks=True)
        token = FORM_TOKEN.search(self.client.get("/sandbox/").content.decode()).group(1)
        response = self.client.post("/sandbox/", {"scenario": scenario, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        self.sandbox = Sandbox.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
        self.token = HX_TOKEN.search(self.page().content.decode()).group(1)

    @property
    def base(self) -> str:
        return f"/sandbox/{self.sandbox.pk}/"

    def page(self):
        response = self.client.get(self.base)
        assert response.status_code == 200
        return response

    def command(self, text: str, **kwargs):
        kwargs.setdefault("headers", {"HX-Request": "true", "X-CSRFToken": self.token})
        return self.client.post(self.base + "command", {"command": text}, **kwargs)

    def still_works(self) -> None:
        """The page and its poll load, and the console history on the page is the log's latest entries."""
        html = self.page().content.decode()
        assert "console-log" in html
        assert self.client.get(self.base + "poll", headers={"HX-Request": "true"}).status_code == 200
        assert self.client.post(self.base + "command", {"command": "kubectl get nodes"},
                                headers={"HX-Request": "true", "X-CSRFToken": self.token}).status_code == 200


def sent(text: str) -> str:
    """What the view makes of a typed command before running it (sandbox.views._command_text)."""
    return text.replace("\r\n", "\n").strip("\n").rstrip().replace("\x00", "")


def answered(response) -> str:
    """A response the console can show: no 5xx, no traceback; an error status carries Korean text."""
    assert response.status_code in ANSWERS, response.status_code
    body = response.content.decode("utf-8")
    assert "Traceback" not in body and INTERNAL_ERROR not in body
    if response.status_code != 200:
        assert HANGUL.search(body), body[:300]
    return body


def apply_line(manifest: str) -> str:
    return "kubectl apply -f -\n" + manifest


HOSTILE_INPUT = st.one_of(
    command_line(), hostile_text(300), mutated_manifest().map(apply_line), hostile_yaml().map(apply_line),
    st.sampled_from(["", " ", "\n\n\n", "\r\n", "\x00", "\x00" * 50, "kubectl get pods\r\n", "help\x00"]),
    st.text(min_size=1, max_size=20).map(lambda t: t * 4000),  # up to 80,000 characters: over the view's cap
)


def test_hostile_commands_over_http():
    learner = Learner()

    @settings(FUZZ, max_examples=examples(80))
    @given(text=HOSTILE_INPUT)
    def check(text):
        before = CommandLog.objects.filter(sandbox=learner.sandbox).count()
        response = learner.command(text)
        body = answered(response)
        rows = CommandLog.objects.filter(sandbox=learner.sandbox)
        if response.status_code == 200 and sent(text).strip():
            assert rows.count() == before + 1
            row = rows.order_by("-pk").first()
            assert row.text == sent(text) and "\x00" not in row.text + row.output
            assert "console-entry" in body
        else:
            assert rows.count() == before, "a refused or empty command left a row in the log"

    check()
    learner.still_works()


@pytest.mark.parametrize("scenario", ["empty-project", "web-behind-lb", "autopilot"])
def test_every_manifest_then_garbage_leaves_the_sandbox_loadable(scenario):
    learner = Learner(scenario)
    answered(learner.command(apply_line("---\n".join(yaml.safe_dump(m) for m in MANIFESTS))))

    @settings(FUZZ, max_examples=examples(15))
    @given(manifest=mutated_manifest())
    def check(manifest):
        answered(learner.command(apply_line(manifest)))

    check()
    for line in ["sim advance 600", "kubectl get all -A -o yaml", "kubectl describe pods"]:
        answered(learner.command(line))
    learner.still_works()


@pytest.mark.parametrize("encoded", [b"command=%FF%FE%FD", b"command=%C0%80kubectl", b"command=%ED%A0%80",
                                     b"command=kubectl+get+pods%00%00", b"command=" + b"%E2%80%AE" * 100,
                                     b"command&command=1&=&&==", b"command=%", b"%zz=%zz"])
def test_bytes_that_are_not_utf8_are_answered(encoded):
    learner = Learner()
    response = learner.client.post(learner.base + "command", encoded, content_type="application/x-www-form-urlencoded",
                                   headers={"HX-Request": "true", "X-CSRFToken": learner.token})
    answered(response)
    learner.still_works()


def test_a_body_over_djangos_upload_limit_gets_a_korean_413_the_console_shows():
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses to read the form. The console (static/js/sandbox.js)
    shows a short plain-text answer as it is; Django's own 400 page would have it say "try again later"."""
    learner = Learner()
    text = "kubectl apply -f -\n" + "# " + "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = learner.command(text)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "너무 큽니다" in body and len(body) <= 200 and "<" not in body
    assert not CommandLog.objects.exists()
    learner.still_works()


def test_a_body_over_the_upload_limit_without_htmx_gets_the_korean_page():
    learner = Learner()
    response = learner.command("x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
                               headers={"X-CSRFToken": learner.token})
    assert response.status_code == 413
    assert "<html" in response.content.decode() and HANGUL.search(response.content.decode())


def test_a_command_over_the_views_cap_is_a_console_entry():
    learner = Learner()
    response = learner.command("kubectl apply -f -\n" + "# " + "x" * 100_000)
    assert response.status_code == 413 and response["HX-Retarget"] == "#console-log"
    assert "입력이 너무 깁니다" in answered(response)
    assert not CommandLog.objects.exists()


def test_too_many_form_fields_is_a_korean_400():
    learner = Learner()
    fields = {f"f{i}": "1" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)}
    response = learner.client.post(learner.base + "command", {"command": "kubectl get pods", **fields},
                                   headers={"HX-Request": "true", "X-CSRFToken": learner.token})
    assert response.status_code == 400 and HANGUL.search(response.content.decode())
    assert not CommandLog.objects.exists()


def test_a_command_line_over_the_engines_cap_is_refused_in_korean():
    learner = Learner()
    body = answered(learner.command("kubectl get pods " + "-o wide " * 400))
    assert "명령이 너무 깁니다" in body


def test_someone_elses_sandbox_a_missing_one_and_a_garbage_id_are_404():
    owner, stranger = Learner(), Learner()
    headers = {"HX-Request": "true", "X-CSRFToken": stranger.token}
    for pk in [owner.sandbox.pk, uuid.uuid4(), "not-a-uuid", "..%2F..%2Fadmin", "0" * 500, "%00"]:
        for method, path in [("get", ""), ("get", "poll"), ("post", "command"), ("post", "control")]:
            url = f"/sandbox/{pk}/{path}"
            if method == "get":
                response = stranger.client.get(url)
            else:
                response = stranger.client.post(url, {"command": "kubectl delete deployment web", "action": "reset"},
                                                headers=headers)
            assert response.status_code == 404, url
            assert "Traceback" not in response.content.decode()
    assert not CommandLog.objects.filter(sandbox=owner.sandbox).exists()
    owner.still_works()


def test_posts_without_or_with_a_wrong_csrf_token_are_403():
    learner = Learner()
    for headers in [{"HX-Request": "true"}, {"HX-Request": "true", "X-CSRFToken": "x" * 64},
                    {"HX-Request": "true", "X-CSRFToken": learner.token[::-1]}]:
        assert learner.command("kubectl delete deployment web", headers=headers).status_code == 403
        response = learner.client.post(learner.base + "control", {"action": "reset"}, headers=headers)
        assert response.status_code == 403
    assert not CommandLog.objects.exists()
    learner.still_works()
