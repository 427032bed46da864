"""Instructor invitations: made by an instructor or in the admin, good once and for a week; accepting one signed in
grants the instructor role. The admin also has an action for it, and ``manage.py make_instructor`` stays."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom.models import InstructorInvite, is_instructor
from tests.classroom.test_accounts_and_classes import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_an_instructor_makes_a_link_and_the_learner_who_accepts_it_becomes_an_instructor(client):
    teacher = make_user("teacher", instructor=True)
    client.force_login(teacher)
    assert "/classes/invites/" in client.get("/classes/").text
    response = client.post("/classes/invites/", {"note": "김강사 (화요일반)"})
    assert response["Location"] == "/classes/invites/"
    invite = InstructorInvite.objects.get()
    assert invite.created_by == teacher and invite.note == "김강사 (화요일반)"
    page = client.get("/classes/invites/").text
    assert f"http://testserver/classes/invites/{invite.token}/" in page and "김강사" in page

    kim = make_user("kim")
    client.force_login(kim)
    page = client.get(f"/classes/invites/{invite.token}/").text
    assert "teacher" in page and "초대 수락하기" in page
    assert not is_instructor(fresh(kim))  # looking is not accepting
    response = client.post(f"/classes/invites/{invite.token}/")
    assert response["Location"] == "/classes/"
    assert is_instructor(fresh(kim))
    invite.refresh_from_db()
    assert invite.accepted_by == kim and invite.accepted_at is not None
    assert "이제 강사입니다" in client.get("/classes/").text


def test_a_link_is_good_once(client):
    invite = InstructorInvite.objects.create(created_by=make_user("teacher", instructor=True))
    client.force_login(make_user("kim"))
    client.post(f"/classes/invites/{invite.token}/")
    lee = make_user("lee")
    client.force_login(lee)
    assert client.get(f"/classes/invites/{invite.token}/").status_code == 404
    assert client.post(f"/classes/invites/{invite.token}/").status_code == 404
    assert not is_instructor(fresh(lee))


def test_an_expired_link_grants_nothing(client):
    invite = InstructorInvite.objects.create(expires=timezone.now() - timedelta(seconds=1))
    client.force_login(make_user("kim"))
    assert client.post(f"/classes/invites/{invite.token}/").status_code == 404
    assert not is_instructor(fresh(get_user_model().objects.get(username="kim")))


def test_an_invite_lasts_a_week():
    invite = InstructorInvite.objects.create()
    assert timedelta(days=6, hours=23) < invite.expires - timezone.now() <= timedelta(days=7)
    assert len(invite.token) >= 32


def test_an_instructor_accepting_leaves_the_link_for_someone_else(client):
    invite = InstructorInvite.objects.create()
    client.force_login(make_user("teacher", instructor=True))
    assert "이미 강사입니다" in client.get(f"/classes/invites/{invite.token}/").text
    client.post(f"/classes/invites/{invite.token}/")
    invite.refresh_from_db()
    assert invite.accepted_by is None


def test_learners_cannot_make_invites(client):
    client.force_login(make_user())
    assert client.get("/classes/invites/").status_code == 403
    assert client.post("/classes/invites/", {"note": "me"}).status_code == 403
    assert not InstructorInvite.objects.exists()


def test_someone_without_an_account_signs_up_and_comes_back_to_the_invite(client):
    invite = InstructorInvite.objects.create()
    link = f"/classes/invites/{invite.token}/"
    assert client.get(link)["Location"] == f"/accounts/login/?next={quote(link)}"
    response = client.post("/accounts/signup/", {"username": "newbie", "password1": PASSWORD,
                                                 "password2": PASSWORD, "next": link})
    assert response["Location"] == link
    client.post(link)
    assert is_instructor(get_user_model().objects.get(username="newbie"))


def test_only_the_inviters_own_invites_are_listed(client):
    InstructorInvite.objects.create(created_by=make_user("teacher", instructor=True), note="남의 초대")
    client.force_login(make_user("other", instructor=True))
    assert "남의 초대" not in client.get("/classes/invites/").text


# --- the admin ----------------------------------------------------------------------------------------------


def test_the_admin_action_makes_instructors(admin_client):
    kim, lee = make_user("kim"), make_user("lee")
    response = admin_client.post("/admin/auth/user/", {"action": "grant_instructor",
                                                       "_selected_action": [kim.pk, lee.pk]}, follow=True)
    assert response.status_code == 200
    assert "2명을 강사로 지정했습니다" in response.text
    assert is_instructor(fresh(kim)) and is_instructor(fresh(lee))


def test_an_invite_made_in_the_admin_is_a_working_link(admin_client, admin_user, client):
    response = admin_client.post("/admin/classroom/instructorinvite/add/", {
        "note": "박강사", "expires_0": "2099-01-01", "expires_1": "00:00:00"})
    assert response.status_code == 302
    invite = InstructorInvite.objects.get()
    assert invite.created_by == admin_user
    assert f"/classes/invites/{invite.token}/" in admin_client.get("/admin/classroom/instructorinvite/").text
    park = make_user("park")
    client.force_login(park)
    client.post(invite.get_absolute_url())
    assert is_instructor(fresh(park))


def test_make_instructor_command_stays():
    from django.core.management import call_command

    make_user("someone")
    call_command("make_instructor", "someone")
    assert is_instructor(get_user_model().objects.get(username="someone"))
