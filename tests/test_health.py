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
