"""Production settings and error pages: `check --deploy` is clean, headers are strict, outages answer 503."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.test import Client

from devtools.web_server import collected_static

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra) -> dict:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process (Playwright runs an event loop); a
    # deployment never has it, and check --deploy rightly complains about it.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SECURE_", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="course.example.com",
               DJANGO_SETTINGS_MODULE="tutorial.settings", **extra)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_reports_nothing_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_does_complain_about_a_laptop_configuration():
    # The check above would mean little if the command never failed: the laptop defaults must fail it.
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def production_headers() -> dict:
    """Headers of one page served by the production settings, asked over HTTPS through the load balancer."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment();"
        "r = Client().get('/no-such-page/', secure=True, headers={'host': 'course.example.com'});"
        "print(json.dumps({'status': r.status_code, **dict(r.headers), 'cookies': str(r.cookies)}))"
    )
    env = production_env(SECURE_PROXY_SSL_HEADER="1", DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite://:memory:"),
                         STATIC_ROOT=collected_static())
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_strict_security_headers():
    headers = production_headers()
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    # The nonce is added on pages with scripts (tests/lessons/test_home.py checks one); never unsafe-inline.
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly_and_lax(client):
    client.post("/sandbox/", {"scenario": "three-nodes"})
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


def break_the_database(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(type(connections["default"]), "ensure_connection", refuse)


@pytest.mark.django_db
def test_a_lost_database_gives_a_korean_503_page_not_a_traceback(monkeypatch):
    client = Client(raise_request_exception=False)
    client.post("/sandbox/", {"scenario": "three-nodes"})
    break_the_database(monkeypatch)
    for url in ("/", "/lessons/", "/sandbox/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "5"
        assert "잠시 이용할 수 없습니다" in response.text and "Traceback" not in response.text


@pytest.mark.django_db
def test_an_htmx_request_during_an_outage_gets_a_short_korean_text(monkeypatch):
    client = Client(raise_request_exception=False)
    client.post("/sandbox/", {"scenario": "three-nodes"})
    url = client.get("/sandbox/", follow=True).request["PATH_INFO"]
    break_the_database(monkeypatch)
    response = client.get(url + "poll", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert "지금은 데이터베이스에 연결할 수 없습니다" in response.text


@pytest.mark.django_db
def test_other_errors_stay_500_with_a_korean_page(monkeypatch):
    client = Client(raise_request_exception=False)

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("lessons.views.all_lessons", boom)
    response = client.get("/lessons/")
    assert response.status_code == 500
    assert "서버에서 오류가 났습니다" in response.text


@pytest.mark.django_db
def test_a_missing_page_is_korean(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text
