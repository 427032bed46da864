"""Accounts (with anonymous work carried over) and classes through the Django test client."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from classroom.models import Assignment, Classroom, Membership, is_instructor, make_instructor
from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import Sandbox

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"


def make_user(username="learner", instructor=False, **kwargs):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)
    if instructor:
        make_instructor(user)
    return user


def test_signup_logs_in_and_keeps_the_anonymous_sandbox(client):
    client.post("/sandbox/", {"scenario": "three-nodes"})
    sandbox = Sandbox.objects.get()
    response = client.post("/accounts/signup/", {"username": "newbie", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert response.status_code == 302
    sandbox.refresh_from_db()
    assert sandbox.owner_user.username == "newbie" and sandbox.owner_session == ""
    assert client.get(f"/sandbox/{sandbox.pk}/").status_code == 200


def test_login_moves_anonymous_progress_and_quiz_answers_to_the_account(client):
    user = make_user()
    client.get("/sandbox/")
    client.post("/sandbox/", {"scenario": "three-nodes"})
    key = client.session.session_key
    LessonProgress.objects.create(owner_session=key, lesson="first-deployment")
    QuizAnswer.objects.create(owner_session=key, lesson="first-deployment", question="q", choice=1, correct=True)
    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD})
    assert response.status_code == 302
    assert Sandbox.objects.get().owner_user == user
    assert LessonProgress.objects.get().owner_user == user
    assert QuizAnswer.objects.get().owner_user == user


def test_a_wrong_password_is_refused_and_moves_nothing(client):
    make_user()
    client.post("/sandbox/", {"scenario": "three-nodes"})
    response = client.post("/accounts/login/", {"username": "learner", "password": "nope"})
    assert response.status_code == 200  # the form again, with Django's Korean error
    assert Sandbox.objects.get().owner_user is None


def test_logout_is_a_post(client):
    make_user()
    client.login(username="learner", password=PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def test_signup_never_redirects_off_site(client):
    response = client.post("/accounts/signup/", {"username": "x1", "password1": PASSWORD, "password2": PASSWORD,
                                                 "next": "https://evil.example/"})
    assert response["Location"] == "/lessons/"


def test_only_instructors_create_classes(client):
    make_user()
    client.login(username="learner", password=PASSWORD)
    assert client.post("/classes/new", {"name": "쿠버네티스 입문"}).status_code == 403
    make_user("teacher", instructor=True)
    client.login(username="teacher", password=PASSWORD)
    response = client.post("/classes/new", {"name": "쿠버네티스 입문"})
    classroom = Classroom.objects.get()
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert len(classroom.code) == 6 and not set(classroom.code) & set("01OIL")


def test_learners_join_with_the_code_and_can_leave(client):
    teacher = make_user("teacher", instructor=True)
    classroom = Classroom.objects.create(name="수업", owner=teacher)
    make_user()
    client.login(username="learner", password=PASSWORD)
    assert client.post("/classes/join/", {"code": "WRONG9"}).status_code == 404
    response = client.post("/classes/join/", {"code": classroom.code.lower()})
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert Membership.objects.filter(classroom=classroom).count() == 1
    assert "수업에서 나가기" in client.get(f"/classes/{classroom.pk}/").content.decode()
    client.post(f"/classes/{classroom.pk}/leave")
    assert not Membership.objects.exists()
    assert client.get(f"/classes/{classroom.pk}/").status_code == 404


def test_instructors_assign_lessons_with_due_dates_and_learners_see_them(client):
    teacher = make_user("teacher", instructor=True)
    classroom = Classroom.objects.create(name="수업", owner=teacher)
    client.login(username="teacher", password=PASSWORD)
    client.post(f"/classes/{classroom.pk}/assignments", {"lesson": "first-deployment", "due": "2026-12-01T18:00"})
    assignment = Assignment.objects.get()
    assert assignment.lesson == "first-deployment" and assignment.due.year == 2026
    learner = make_user()
    Membership.objects.create(classroom=classroom, user=learner)
    client.login(username="learner", password=PASSWORD)
    html = client.get("/classes/").content.decode()
    assert "첫 디플로이먼트" in html and "마감" in html


def test_only_the_owner_archives_and_adds_co_instructors(client):
    teacher = make_user("teacher", instructor=True)
    co = make_user("co", instructor=True)
    classroom = Classroom.objects.create(name="수업", owner=teacher)
    client.login(username="teacher", password=PASSWORD)
    client.post(f"/classes/{classroom.pk}/instructors", {"username": "co"})
    assert list(classroom.co_instructors.all()) == [co]
    client.login(username="co", password=PASSWORD)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200  # co-instructors see the dashboard
    assert client.post(f"/classes/{classroom.pk}/archive").status_code == 403
    client.login(username="teacher", password=PASSWORD)
    client.post(f"/classes/{classroom.pk}/archive", {"archived": "1"})
    classroom.refresh_from_db()
    assert classroom.archived


def test_make_instructor_command(capsys):
    user = make_user("someone")
    assert not is_instructor(user)
    call_command("make_instructor", "someone")
    assert is_instructor(get_user_model().objects.get(username="someone"))


def test_learners_see_their_assignments_on_the_home_page(client):
    teacher = make_user("teacher", instructor=True)
    classroom = Classroom.objects.create(name="월요일 실습반", owner=teacher)
    Assignment.objects.create(classroom=classroom, lesson="scaling")
    learner = make_user()
    Membership.objects.create(classroom=classroom, user=learner)
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert "내 과제" in html and "6. 스케일링" in html and "월요일 실습반" in html
    client.force_login(teacher)
    assert "내 과제" not in client.get("/").content.decode()


def test_the_instructor_group_carries_the_classroom_permissions():
    user = make_user("teacher", instructor=True)
    user = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("classroom.add_classroom") and user.has_perm("classroom.add_drill")
    assert not make_user("plain").has_perm("classroom.add_classroom")


def test_one_address_can_make_only_so_many_accounts_an_hour(monkeypatch):
    from classroom import throttle

    two_an_hour = throttle.Policy("signup", throttle.SIGNUP.window, (throttle.Limit(("address",), 2),),
                                  throttle.SIGNUP.message)
    monkeypatch.setattr(throttle, "SIGNUP", two_an_hour)

    def sign_up(name, address="10.0.0.7"):
        return Client(REMOTE_ADDR=address).post("/accounts/signup/", {
            "username": name, "password1": PASSWORD, "password2": PASSWORD})

    assert sign_up("first").status_code == 302 and sign_up("second").status_code == 302
    refused = sign_up("third")
    assert refused.status_code == 429 and "만들 수 있는 계정 수를 넘었습니다" in refused.content.decode()
    assert not get_user_model().objects.filter(username="third").exists()
    assert sign_up("elsewhere", address="10.0.0.8").status_code == 302  # another network is not held back
    assert sign_up("", address="10.0.0.7").status_code == 400  # a form error is not counted, nor refused as such
