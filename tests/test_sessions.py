"""tutorial/sessions.py: Django's database sessions with a plain-SQL read; everything a session does still works."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tutorial.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "tutorial.sessions"


def test_a_saved_session_reads_back():
    store = SessionStore()
    store["answer"] = {"lesson": "scaling", "n": 42}
    store.save()
    again = SessionStore(store.session_key)
    assert again["answer"] == {"lesson": "scaling", "n": 42}
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_reads_as_empty_and_gets_a_new_key_on_save():
    store = SessionStore()
    store["x"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.get("x") is None and expired.session_key is None
    expired["y"] = 2
    expired.save()
    assert expired.session_key != store.session_key
    assert SessionStore("nosuchkey12345678").load() == {}


def test_a_session_whose_data_was_tampered_with_reads_as_empty():
    store = SessionStore()
    store["user"] = "someone"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(session_data="forged:data")
    assert SessionStore(store.session_key).load() == {}


def test_login_and_logout_still_work(client, django_user_model):
    django_user_model.objects.create_user("kim", password="correct horse battery")
    assert client.login(username="kim", password="correct horse battery")
    assert client.get("/").context["user"].username == "kim"
    client.logout()
    assert not client.get("/").context["user"].is_authenticated
