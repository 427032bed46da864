"""Joining a class: wrong codes are rate-limited per account and per address (Korean, 429), what cannot be a code is
a 400, and a join link survives being sent to log in or sign up."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from classroom import throttle
from classroom.models import Classroom, FailedAttempt, Membership, make_instructor

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"
PER_ACCOUNT = throttle.JOIN.limit("account")
PER_ADDRESS = throttle.JOIN.limit("address")


def make_user(username="learner", **kwargs):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)


@pytest.fixture
def classroom():
    teacher = make_user("teacher")
    make_instructor(teacher)
    return Classroom.objects.create(name="화요일반", owner=teacher)


def join(client, code):
    return client.post("/classes/join/", {"code": code})


def test_wrong_codes_are_limited_per_account(client, classroom):
    client.force_login(make_user())
    assert [join(client, f"WRONG{i % 10}").status_code for i in range(PER_ACCOUNT)] == [404] * PER_ACCOUNT
    response = join(client, classroom.code)
    assert response.status_code == 429
    assert throttle.JOIN.message in response.text
    assert not Membership.objects.exists()
    client.force_login(make_user("other"))  # another account at the same address still joins
    assert join(client, classroom.code).status_code == 302


def test_wrong_codes_are_limited_per_address(classroom):
    FailedAttempt.objects.bulk_create(FailedAttempt(action="join", account=str(1000 + i), address="203.0.113.5")
                                      for i in range(PER_ADDRESS))
    browser = Client(REMOTE_ADDR="203.0.113.5")
    browser.force_login(make_user())
    assert join(browser, classroom.code).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    elsewhere.force_login(make_user("other"))
    assert join(elsewhere, classroom.code).status_code == 302


def test_a_class_joining_at_once_behind_one_address_is_not_limited(classroom):
    """Thirty learners behind one NAT, each mistyping the code once, all get in."""
    for i in range(30):
        browser = Client(REMOTE_ADDR="203.0.113.50")
        browser.force_login(make_user(f"student{i:02}"))
        assert join(browser, "TYP0ED").status_code == 404
        assert join(browser, classroom.code.lower()).status_code == 302
    assert classroom.memberships.count() == 30


def test_joining_does_not_use_up_the_allowance(client, classroom):
    client.force_login(make_user())
    for _ in range(PER_ACCOUNT + 2):
        assert join(client, classroom.code).status_code == 302
    assert not FailedAttempt.objects.exists()


@pytest.mark.parametrize("code", ["AB\x00CD", "\x00", "ABC DEF\x00", "가나다라마바", "ABCDEFGHJKMNP", "<script>"])
def test_what_cannot_be_a_code_is_a_400_with_a_korean_reason(client, classroom, code):
    client.force_login(make_user())
    response = join(client, code)
    assert response.status_code == 400
    assert "참여 코드는 영문자와 숫자 여섯 글자입니다" in response.text
    assert not FailedAttempt.objects.exists()


def test_an_empty_code_is_a_400(client, classroom):
    client.force_login(make_user())
    assert join(client, "  ").status_code == 400


def test_a_nul_byte_in_the_code_of_a_join_link_is_not_echoed(client, classroom):
    client.force_login(make_user())
    response = client.get("/classes/join/?code=AB%00CD")
    assert response.status_code == 200
    assert "\x00" not in response.text


# --- a join link through log-in and sign-up ----------------------------------------------------------------


def test_a_join_link_kept_through_sign_up_joins_the_class(client, classroom):
    link = f"/classes/join/?code={classroom.code}"
    response = client.get(link)
    assert response.status_code == 302
    login_page = response["Location"]
    assert login_page == f"/accounts/login/?next={quote(link, safe='/')}"
    # The log-in page's "sign up" link carries the join link along.
    signup_link = f"/accounts/signup/?next={quote(link)}"
    assert signup_link in client.get(login_page).text
    form = client.get(signup_link).text
    assert f'name="next" value="{link}"' in form
    response = client.post("/accounts/signup/", {"username": "newbie", "password1": PASSWORD,
                                                 "password2": PASSWORD, "next": link})
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert Membership.objects.filter(classroom=classroom, user__username="newbie").exists()
    assert "화요일반" in client.get(response["Location"]).text


def test_a_join_link_kept_through_log_in_joins_the_class(client, classroom):
    learner = make_user()
    link = f"/classes/join/?code={classroom.code}"
    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD, "next": link})
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert Membership.objects.filter(classroom=classroom, user=learner).exists()


def test_a_join_link_with_a_wrong_code_after_sign_up_shows_the_join_page(client, classroom):
    response = client.post("/accounts/signup/", {"username": "newbie", "password1": PASSWORD,
                                                 "password2": PASSWORD, "next": "/classes/join/?code=WRONG9"})
    assert response.status_code == 404
    assert "그 코드의 수업이 없습니다" in response.text
    assert "_auth_user_id" in client.session  # signed up all the same


def test_other_next_pages_are_kept_through_sign_up(client):
    response = client.post("/accounts/signup/", {"username": "newbie", "password1": PASSWORD,
                                                 "password2": PASSWORD, "next": "/lessons/scaling/"})
    assert response["Location"] == "/lessons/scaling/"


def test_an_instructor_following_their_own_join_link_is_not_made_a_learner(client, classroom):
    response = client.post("/accounts/login/", {"username": "teacher", "password": PASSWORD,
                                                "next": f"/classes/join/?code={classroom.code}"})
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert not Membership.objects.exists()
