"""Log-in throttling: repeated failures lock a username (and a guessing address) for a while, in Korean."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from classroom import throttle
from classroom.models import LoginFailure

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"


@pytest.fixture
def learner():
    return get_user_model().objects.create_user(username="learner", password=PASSWORD)


def login(client, username="learner", password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_five_failures_lock_the_username_even_for_the_right_password(client, learner):
    for _ in range(throttle.FAILURES_PER_USERNAME):
        assert login(client, password="wrong").status_code == 200
    response = login(client)
    assert response.status_code == 429
    assert throttle.MESSAGE in response.text
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_case_blind(client, learner):
    get_user_model().objects.create_user(username="other", password=PASSWORD)
    for _ in range(throttle.FAILURES_PER_USERNAME):
        login(client, username="LEARNER", password="wrong")
    assert login(client).status_code == 429
    assert login(client, username="other").status_code == 302


def test_failures_older_than_the_window_do_not_count(client, learner):
    for _ in range(throttle.FAILURES_PER_USERNAME):
        login(client, password="wrong")
    LoginFailure.objects.update(created=timezone.now() - throttle.WINDOW - timedelta(seconds=1))
    assert login(client).status_code == 302


def test_a_success_clears_earlier_failures(client, learner):
    for _ in range(throttle.FAILURES_PER_USERNAME - 1):
        login(client, password="wrong")
    assert login(client).status_code == 302
    assert not LoginFailure.objects.exists()


def test_one_address_guessing_many_usernames_is_locked(learner):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(throttle.FAILURES_PER_ADDRESS):
        login(guesser, username=f"user{i}", password="wrong")
    assert login(guesser).status_code == 429
    assert login(Client(REMOTE_ADDR="198.51.100.7")).status_code == 302  # someone else is not affected


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_the_load_balancer_the_client_address_comes_from_x_forwarded_for(learner):
    def via_lb(client_address):
        # What GKE's external Application Load Balancer sends: "<client>, <balancer>"; anything further
        # left was written by the client and must not be trusted.
        return {"HTTP_X_FORWARDED_FOR": f"10.9.9.9, {client_address}, 130.211.0.5", "REMOTE_ADDR": "10.0.0.2"}

    for i in range(throttle.FAILURES_PER_ADDRESS):
        login(Client(), username=f"user{i}", password="wrong", **via_lb("203.0.113.9"))
    assert login(Client(), **via_lb("203.0.113.9")).status_code == 429
    assert login(Client(), **via_lb("198.51.100.7")).status_code == 302
