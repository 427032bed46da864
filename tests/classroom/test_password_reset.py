"""Password reset: Django's e-mail flow in Korean (throttled), and a one-time link an instructor issues for a
learner of their own class."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings

from classroom import throttle
from classroom.models import Classroom, FailedAttempt, Membership, make_instructor

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"
NEW_PASSWORD = "another-horse-battery-77"


def make_user(username="learner", **kwargs):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)


def reset_path(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/[^\s\"<]+/)", text).group(1)


def set_password(client, path, password=NEW_PASSWORD):
    """Follow a reset link the way a browser does (Django swaps the token for a session and redirects)."""
    response = client.get(path)
    if response.status_code == 302:
        path = response["Location"]
        response = client.get(path)
    if "new_password1" not in response.text:
        return response
    return client.post(path, {"new_password1": password, "new_password2": password})


def can_log_in(username, password) -> bool:
    return Client().post("/accounts/login/", {"username": username, "password": password}).status_code == 302


def test_the_log_in_page_links_to_the_reset(client):
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").text


def test_a_reset_by_e_mail_in_korean_works_once(client):
    make_user(email="kim@example.com")
    response = client.post("/accounts/password-reset/", {"email": "KIM@example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert "링크를 보냈습니다" in client.get(response["Location"]).text
    [message] = mail.outbox
    assert message.subject == "[쿠버네티스 실습 코스] 비밀번호 재설정 링크"
    assert "learner 님" in message.body and message.to == ["kim@example.com"]
    path = reset_path(message.body)
    assert set_password(client, path)["Location"] == "/accounts/reset/done/"
    assert can_log_in("learner", NEW_PASSWORD)
    again = set_password(Client(), path, "third-horse-battery-99")
    assert again.status_code == 200 and "쓸 수 없는 링크입니다" in again.text


def test_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_reset_requests_are_throttled_per_e_mail_address(client):
    make_user(email="kim@example.com")
    limit = throttle.RESET.limit("account")
    for _ in range(limit):
        assert client.post("/accounts/password-reset/", {"email": "kim@example.com"}).status_code == 302
    response = client.post("/accounts/password-reset/", {"email": "kim@example.com"})
    assert response.status_code == 429 and throttle.RESET.message in response.text
    assert len(mail.outbox) == limit


def test_a_nul_byte_in_the_reset_form_is_a_form_error(client):
    assert client.post("/accounts/password-reset/", {"email": "kim\x00@example.com"}).status_code == 200
    assert not FailedAttempt.objects.exists()


@override_settings(PASSWORD_RESET_BY_EMAIL=False)
def test_without_a_mail_server_the_page_points_to_the_instructor(client):
    make_user(email="kim@example.com")
    page = client.get("/accounts/password-reset/").text
    assert "강사에게 재설정 링크를 요청" in page and 'name="email"' not in page
    assert client.post("/accounts/password-reset/", {"email": "kim@example.com"}).status_code == 403
    assert mail.outbox == []


def test_a_new_password_lifts_the_log_in_lock(client):
    make_user(email="kim@example.com")
    for _ in range(throttle.LOGIN.limit("account", "address")):
        client.post("/accounts/login/", {"username": "learner", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "learner", "password": PASSWORD}).status_code == 429
    client.post("/accounts/password-reset/", {"email": "kim@example.com"})
    set_password(client, reset_path(mail.outbox[0].body))
    assert client.post("/accounts/login/", {"username": "learner", "password": NEW_PASSWORD}).status_code == 302


# --- an instructor's link for a learner of their class ------------------------------------------------------


@pytest.fixture
def klass():
    teacher = make_user("teacher")
    make_instructor(teacher)
    classroom = Classroom.objects.create(name="화요일반", owner=teacher)
    learner = make_user()
    Membership.objects.create(classroom=classroom, user=learner)
    return classroom, teacher, learner


def issue_link(client, classroom, learner) -> str:
    response = client.post(f"/classes/{classroom.pk}/learners/{learner.pk}/password-reset")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return reset_path(response.text)


def test_an_instructor_issues_a_one_time_link_for_a_learner_of_their_class(client, klass):
    classroom, teacher, learner = klass
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/learners/{learner.pk}/password-reset").text
    assert "링크 만들기" in page and "/accounts/reset/" not in page  # nothing is made by looking
    path = issue_link(client, classroom, learner)
    browser = Client()
    assert set_password(browser, path)["Location"] == "/accounts/reset/done/"
    assert can_log_in("learner", NEW_PASSWORD)
    assert "쓸 수 없는 링크입니다" in set_password(Client(), path, "third-horse-battery-99").text
    assert can_log_in("learner", NEW_PASSWORD)


def test_a_link_stops_working_once_the_learner_logs_in(client, klass):
    classroom, teacher, learner = klass
    client.force_login(teacher)
    path = issue_link(client, classroom, learner)
    assert can_log_in("learner", PASSWORD)  # remembered it after all
    assert "쓸 수 없는 링크입니다" in set_password(Client(), path).text


def test_no_link_for_an_instructor_or_an_admin_even_in_ones_class(client, klass):
    classroom, teacher, _ = klass
    for member in (make_user("colleague"), make_user("boss", is_staff=True), make_user("root", is_superuser=True)):
        if member.username == "colleague":
            make_instructor(member)
        Membership.objects.create(classroom=classroom, user=member)
        client.force_login(teacher)
        response = client.post(f"/classes/{classroom.pk}/learners/{member.pk}/password-reset")
        assert response.status_code == 403, member.username
        assert "/accounts/reset/" not in response.text


def test_the_learner_page_links_to_the_reset_link_page(client, klass):
    classroom, teacher, learner = klass
    client.force_login(teacher)
    html = client.get(f"/classes/{classroom.pk}/learners/{learner.pk}/").text
    assert f"/classes/{classroom.pk}/learners/{learner.pk}/password-reset" in html
