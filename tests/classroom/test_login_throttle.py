"""Log-in throttling: by account and address, by account, and a high per-address ceiling; on every log-in path;
counted atomically; a class behind one NAT address keeps logging in."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from classroom import throttle
from classroom.authentication import ThrottledBackend
from classroom.models import FailedAttempt

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"
PER_ACCOUNT_AND_ADDRESS = throttle.LOGIN.limit("account", "address")
PER_ACCOUNT = throttle.LOGIN.limit("account")
PER_ADDRESS = throttle.LOGIN.limit("address")


def make_user(username="learner", **kwargs):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)


@pytest.fixture
def learner():
    return make_user()


def login(client, username="learner", password=PASSWORD, path="/accounts/login/", **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(client, learner):
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        assert login(client, password="wrong").status_code == 200
    response = login(client)
    assert response.status_code == 429
    assert throttle.MESSAGE in response.text
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_the_lock_is_per_address_for_one_account(learner):
    """Someone else mistyping (or guessing) bob's password from their own address does not lock bob out at home."""
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        login(Client(REMOTE_ADDR="203.0.113.9"), password="wrong")
    assert login(Client(REMOTE_ADDR="203.0.113.9")).status_code == 429
    home = Client(REMOTE_ADDR="198.51.100.7")
    assert login(home).status_code == 302 and signed_in(home)


def test_one_account_guessed_from_many_addresses_is_locked_everywhere(learner):
    for i in range(PER_ACCOUNT):
        assert login(Client(REMOTE_ADDR=f"10.1.{i // 200}.{i % 200}"), password="wrong").status_code == 200
    assert login(Client(REMOTE_ADDR="198.51.100.7")).status_code == 429


@pytest.mark.parametrize("spelling", ["LEARNER", "Learner", "ｌｅａｒｎｅｒ", "𝐥𝐞𝐚𝐫𝐧𝐞𝐫", " learner "])
def test_the_lock_applies_to_the_normalised_name(client, learner, spelling):
    """Failures under one spelling lock every look-alike spelling of the same account."""
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        login(client, username=spelling, password="wrong")
    for other in ("learner", "ｌｅａｒｎｅｒ", "𝐥𝐞𝐚𝐫𝐧𝐞𝐫", "LEARNER"):
        assert login(client, username=other).status_code == 429, other
    assert not signed_in(client)
    make_user("other")
    assert login(client, username="other").status_code == 302


def test_failures_older_than_the_window_do_not_count(client, learner):
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        login(client, password="wrong")
    FailedAttempt.objects.update(created=timezone.now() - throttle.WINDOW - timedelta(seconds=1))
    assert login(client).status_code == 302


def test_a_success_clears_earlier_failures_from_that_address(client, learner):
    for _ in range(PER_ACCOUNT_AND_ADDRESS - 1):
        login(client, password="wrong")
    assert login(client).status_code == 302
    assert not FailedAttempt.objects.exists()


def test_a_class_of_30_behind_one_address_survives_its_typos():
    """Thirty learners share one NAT address; each mistypes once, a few twice, then everyone gets in."""
    learners = [make_user(f"student{i:02}") for i in range(30)]
    nat = "203.0.113.50"
    for i, learner in enumerate(learners):
        for _ in range(2 if i % 5 == 0 else 1):
            assert login(Client(REMOTE_ADDR=nat), learner.username, "typo").status_code == 200
    for learner in learners:
        browser = Client(REMOTE_ADDR=nat)
        assert login(browser, learner.username).status_code == 302, learner.username
        assert signed_in(browser)


def test_one_address_guessing_many_accounts_meets_the_abuse_ceiling(learner):
    guesser = "203.0.113.9"
    FailedAttempt.objects.bulk_create(FailedAttempt(action="login", account=f"user{i}", address=guesser)
                                      for i in range(PER_ADDRESS))
    response = login(Client(REMOTE_ADDR=guesser))
    assert response.status_code == 429 and throttle.MESSAGE in response.text
    assert login(Client(REMOTE_ADDR="198.51.100.7")).status_code == 302  # someone else is not affected


def test_the_abuse_ceiling_is_far_above_a_class():
    assert PER_ADDRESS >= 10 * 30 and PER_ACCOUNT_AND_ADDRESS < PER_ACCOUNT < PER_ADDRESS


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_the_load_balancer_the_client_address_comes_from_x_forwarded_for(learner):
    def via_lb(client_address):
        # What GKE's external Application Load Balancer sends: "<client>, <balancer>"; anything further
        # left was written by the client and must not be trusted.
        return {"HTTP_X_FORWARDED_FOR": f"10.9.9.9, {client_address}, 130.211.0.5", "REMOTE_ADDR": "10.0.0.2"}

    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        login(Client(), password="wrong", **via_lb("203.0.113.9"))
    assert login(Client(), **via_lb("203.0.113.9")).status_code == 429
    assert login(Client(), **via_lb("198.51.100.7")).status_code == 302


# --- every log-in path --------------------------------------------------------------------------------------

PATHS = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("fail_on", PATHS)
@pytest.mark.parametrize("then_on", PATHS)
def test_failures_on_any_log_in_page_lock_every_log_in_page(fail_on, then_on):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    browser = Client()
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        assert login(browser, admin.username, "wrong", path=fail_on).status_code == 200
    response = login(browser, admin.username, path=then_on)
    assert response.status_code == 429
    assert throttle.MESSAGE in response.text
    assert not signed_in(browser)


def test_the_admin_log_in_refuses_the_right_password_after_twelve_wrong_ones():
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    browser = Client()
    statuses = [login(browser, "root", f"guess{i}", path="/admin/login/").status_code for i in range(12)]
    assert statuses == [200] * PER_ACCOUNT_AND_ADDRESS + [429] * (12 - PER_ACCOUNT_AND_ADDRESS)
    assert login(browser, "root", path="/admin/login/").status_code == 429
    assert browser.get("/admin/").status_code == 302  # still not signed in


def test_authenticate_itself_is_throttled_so_a_future_log_in_path_is_too(rf, learner):
    """Any code that calls django.contrib.auth.authenticate goes through the throttled backend."""

    def attempt(password):
        return authenticate(rf.post("/anything/", REMOTE_ADDR="192.0.2.1"), username="learner", password=password)

    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        assert attempt("wrong") is None
    request = rf.post("/anything/", REMOTE_ADDR="192.0.2.1")
    assert authenticate(request, username="learner", password=PASSWORD) is None
    assert request.login_throttled
    assert authenticate(rf.post("/anything/", REMOTE_ADDR="192.0.2.2"), username="learner",
                        password=PASSWORD) == get_user_model().objects.get(username="learner")


def test_the_throttled_backend_is_the_only_one(settings):
    assert settings.AUTHENTICATION_BACKENDS == ["classroom.authentication.ThrottledBackend"]


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_a_nul_byte_in_the_username_is_a_form_error_not_a_500(client, learner, path):
    response = login(client, username="lear\x00ner", path=path)
    assert response.status_code == 200
    assert not signed_in(client)
    assert not FailedAttempt.objects.exists()


def test_a_nul_byte_in_the_forwarded_address_is_dropped(learner):
    with override_settings(TRUSTED_PROXY_COUNT=1):
        response = login(Client(), password="wrong", HTTP_X_FORWARDED_FOR="203.0.\x00113.9")
    assert response.status_code == 200
    assert FailedAttempt.objects.get().address == "203.0.113.9"


# --- parallel guesses ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_wrong_passwords_get_only_the_limit_checked(monkeypatch):
    """Each attempt is counted before its password is checked, so parallel guesses cannot all pass the count."""
    make_user()
    checked = []
    real_check = get_user_model().check_password
    barrier = threading.Barrier(16)

    def slow_check(user, raw_password):
        checked.append(raw_password)
        threading.Event().wait(0.2)  # every request is in flight at once
        return real_check(user, raw_password)

    monkeypatch.setattr(get_user_model(), "check_password", slow_check)
    statuses = []

    def guess(i):
        try:
            browser = Client(REMOTE_ADDR="203.0.113.77")
            barrier.wait()
            statuses.append(login(browser, password=f"guess{i}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == PER_ACCOUNT_AND_ADDRESS
    assert sorted(statuses) == [200] * PER_ACCOUNT_AND_ADDRESS + [429] * (16 - PER_ACCOUNT_AND_ADDRESS)
    assert FailedAttempt.objects.count() == PER_ACCOUNT_AND_ADDRESS


def test_reserve_refuses_without_writing(learner):
    for _ in range(PER_ACCOUNT_AND_ADDRESS):
        assert throttle.reserve(throttle.LOGIN, "learner", "192.0.2.1") is not None
    assert throttle.reserve(throttle.LOGIN, "learner", "192.0.2.1") is None
    assert FailedAttempt.objects.count() == PER_ACCOUNT_AND_ADDRESS
    assert ThrottledBackend().authenticate(None, username="learner", password=PASSWORD) is not None
