"""The account pages in a real Chromium at a phone's and a laptop's size: password reset by e-mail to a new
password, the instructor's reset link, instructor invitations, and a throttled log-in; axe finds nothing serious,
nothing scrolls sideways, no CSP violation."""

# ruff: noqa: F811  (every test takes the imported `watched` fixture by its name)
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from classroom import throttle
from classroom.models import Classroom, InstructorInvite, Membership, is_instructor, make_instructor
from tests.e2e.test_accessibility import PASSWORD, SCREENS, log_in, send_refused, serious_violations
from tests.e2e.test_sandbox_browser import assert_clean, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "another-horse-battery-77"


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_a_learner_resets_their_password_by_e_mail(watched, live_server, axe_source, width, height,
                                                    transactional_db, settings):
    settings.PASSWORD_RESET_BY_EMAIL = True
    page, errors = watched
    page.set_viewport_size({"width": width, "height": height})
    get_user_model().objects.create_user(username="minji", password=PASSWORD, email="minji@example.com")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="비밀번호 재설정").click()
    assert serious_violations(page, axe_source) == [], ("reset form", width)
    page.get_by_label("이메일").fill("minji@example.com")
    page.get_by_role("button", name="링크 받기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("링크를 보냈습니다")
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("새 비밀번호")
    assert serious_violations(page, axe_source) == [], ("new password", width)
    assert fits(page)
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="비밀번호 바꾸기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("비밀번호를 바꿨습니다")
    assert get_user_model().objects.get(username="minji").check_password(NEW_PASSWORD)
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_an_instructor_makes_a_reset_link_and_an_invitation(watched, live_server, axe_source, width, height,
                                                            transactional_db):
    page, errors = watched
    page.set_viewport_size({"width": width, "height": height})
    teacher = get_user_model().objects.create_user(username="teacher", password=PASSWORD)
    make_instructor(teacher)
    minji = get_user_model().objects.create_user(username="minji", password=PASSWORD)
    classroom = Classroom.objects.create(name="쿠버네티스 실습 1반", owner=teacher)
    Membership.objects.create(classroom=classroom, user=minji)

    log_in(page, live_server, "teacher", f"/classes/{classroom.pk}/learners/{minji.pk}/")
    page.get_by_role("link", name="비밀번호 재설정 링크 만들기").click()
    page.get_by_role("button", name="링크 만들기").click()
    link = page.get_by_label("minji 님의 재설정 링크")
    expect(link).to_have_value(re.compile(r"/accounts/reset/"))
    assert serious_violations(page, axe_source) == [], ("reset link", width)
    assert fits(page)

    page.goto(f"{live_server.url}/classes/")
    page.get_by_role("link", name="다른 강사 초대하기").click()
    page.get_by_label("메모").fill("김강사 (화요일반)")
    page.get_by_role("button", name="초대 링크 만들기").click()
    invite = InstructorInvite.objects.get()
    expect(page.get_by_label("초대 링크")).to_have_value(f"{live_server.url}/classes/invites/{invite.token}/")
    assert serious_violations(page, axe_source) == [], ("invites", width)
    assert fits(page)

    page.get_by_role("button", name="로그아웃").click()
    log_in(page, live_server, "minji", f"/classes/invites/{invite.token}/")
    assert serious_violations(page, axe_source) == [], ("accept", width)
    page.get_by_role("button", name="초대 수락하기").click()
    expect(page.get_by_role("status")).to_contain_text("이제 강사입니다")
    assert is_instructor(get_user_model().objects.get(username="minji"))
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_a_throttled_log_in_says_why_in_korean(watched, live_server, axe_source, width, height, transactional_db):
    page, errors = watched
    page.set_viewport_size({"width": width, "height": height})
    get_user_model().objects.create_user(username="minji", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(throttle.LOGIN.limit("account", "address")):
        page.get_by_label("사용자 이름").fill("ＭＩＮＪＩ")
        page.get_by_label("비밀번호").fill("not-the-password")
        page.get_by_role("button", name="로그인").click()
        page.wait_for_load_state()
    page.get_by_label("사용자 이름").fill("minji")
    page.get_by_label("비밀번호").fill(PASSWORD)
    send_refused(page, errors, "로그인", 429)
    expect(page.locator("main")).to_contain_text(throttle.LOGIN.message)
    assert serious_violations(page, axe_source) == [], ("throttled", width)
    assert fits(page)
    assert_clean(page, errors)
