import os

import pytest
from django.db import OperationalError, connections


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reports_unavailable_when_the_database_fails(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    # Patched on the backend class so monkeypatch restores it cleanly afterwards.
    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_refuses_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405


@pytest.mark.django_db
def test_probes_with_the_pod_ip_as_host_are_answered_in_production(client, settings):
    # kubelet and the load balancer's health checks send Host: <pod IP>:8000 over plain HTTP.
    settings.ALLOWED_HOSTS = ["course.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", headers={"host": "10.64.0.2:8000"})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    # Every other page still refuses that host.
    assert client.get("/lessons/", headers={"host": "10.64.0.2:8000"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_a_deleted_sqlite_file_fails_the_health_check_and_refuses_writes(client):
    connection = connections["default"]
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite keeps the database in a file the running process can lose")
    from sandbox.models import Sandbox
    from tests.sandbox.conftest import start_sandbox

    sandbox = start_sandbox(client)
    path = connection.settings_dict["NAME"]
    os.rename(path, f"{path}.away")  # as `rm` would leave it for this process: open, but gone from its path
    try:
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["reason"] == "database file missing"
        refused = client.post(f"/sandbox/{sandbox.pk}/command", {"command": "kubectl create deployment web --image=x"})
        text = refused.content.decode()
        assert refused.status_code == 503 and "저장되지 않았습니다" in text and "그대로 있습니다" not in text
        assert client.get("/lessons/").status_code == 503  # nor read from a copy nobody else sees
    finally:
        os.rename(f"{path}.away", path)
    assert client.get("/healthz").status_code == 200
    assert not Sandbox.objects.get(pk=sandbox.pk).commands.exists()  # nothing was acknowledged into the lost file


def test_a_lost_connection_page_still_says_saved_work_is_kept(rf):
    from tutorial.errors import server_error

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/lessons/"))
    assert response.status_code == 503 and "그대로 있습니다" in response.content.decode()
