"""A class in two real Chromium contexts: the instructor hands out a code, a learner joins and solves an exercise,
and the instructor's progress matrix shows it."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from classroom.models import Classroom, Membership, make_instructor
from tests.e2e.test_sandbox_browser import CSP_RECORDER, assert_clean, run

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-42"
LESSON_TITLE = "첫 디플로이먼트"
BOOTCAMP = "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1"


def watch(page: Page) -> list[str]:
    """Collect console errors, uncaught exceptions and (via CSP_RECORDER) CSP violations of this page."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.add_init_script(CSP_RECORDER)
    page.set_default_timeout(10_000)
    return errors


@pytest.fixture
def learner_page(browser, browser_context_args):
    """A second browser context: its own cookies, so its own session and log-in."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    yield page, watch(page)
    context.close()


def test_instructor_sees_a_learner_who_joined_with_the_code_solve_an_exercise(
        page, learner_page, live_server, transactional_db):
    teacher = get_user_model().objects.create_user(username="teacher", password=PASSWORD)
    make_instructor(teacher)
    errors = watch(page)

    # The instructor logs in with the form and creates a class.
    page.goto(f"{live_server.url}/accounts/login/?next=/classes/")
    page.get_by_label("사용자 이름").fill("teacher")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{live_server.url}/classes/")
    page.get_by_label("새 수업 이름").fill("쿠버네티스 실습 1반")
    page.get_by_label("설명").fill("월요일 오전 실습")
    page.get_by_role("button", name="수업 만들기").click()
    page.wait_for_url(re.compile(r"/classes/\d+/$"))
    dashboard_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("쿠버네티스 실습 1반")
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code), code
    assert Classroom.objects.get().code == code
    expect(page.get_by_role("status")).to_contain_text(code)
    expect(page.locator(".join-box__link")).to_contain_text(f"/classes/join/?code={code}")
    expect(page.get_by_text("아직 참여한 수강생이 없습니다")).to_be_visible()

    # The learner signs up in another context and joins with the code, typed as heard (lower case).
    learner, learner_errors = learner_page
    learner.goto(f"{live_server.url}/accounts/signup/")
    learner.get_by_label("사용자 이름").fill("minji")
    learner.locator("input[name=password1]").fill(PASSWORD)
    learner.locator("input[name=password2]").fill(PASSWORD)
    learner.get_by_role("button", name="가입하기").click()
    learner.wait_for_url(f"{live_server.url}/lessons/")
    expect(learner.locator(".account__name")).to_have_text("minji")
    learner.goto(f"{live_server.url}/classes/join/")
    learner.get_by_label("참여 코드").fill(code.lower())
    learner.get_by_role("button", name="참여하기").click()
    learner.wait_for_url(dashboard_url)  # the same URL shows a member the learner's page, not the dashboard
    expect(learner.get_by_role("heading", level=1)).to_have_text("쿠버네티스 실습 1반")
    expect(learner.get_by_role("button", name="수업에서 나가기")).to_be_visible()
    expect(learner.locator(".join-code")).to_have_count(0)
    assert Membership.objects.filter(classroom__code=code, user__username="minji").exists()

    # ... and solves the lesson's first exercise in the embedded sandbox.
    learner.goto(f"{live_server.url}/lessons/first-deployment/")
    expect(learner.locator("#exercises .count")).to_contain_text("0/3")
    run(learner, BOOTCAMP)
    expect(learner.get_by_role("log")).to_contain_text("deployment.apps/kubernetes-bootcamp created")
    run(learner, "sim advance 20")
    expect(learner.locator("#exercises .count")).to_contain_text("1/3")
    expect(learner.locator("#exercises .ex--done")).to_have_count(1)
    learner.screenshot(path="/tmp/classroom-e2e-learner.png")  # the page is ~10,000 px tall: the viewport

    # The instructor reloads the dashboard: the learner's row shows the lesson in progress, one exercise done.
    page.reload()
    headers = page.locator("table.matrix thead th").all_inner_texts()
    column = next(i for i, text in enumerate(headers) if LESSON_TITLE in text)
    row = page.locator("table.matrix tbody tr").filter(has=page.get_by_role("link", name="minji", exact=True))
    expect(row).to_have_count(1)
    cell = row.locator("th, td").nth(column)
    expect(cell).to_contain_text("◐")  # the glyph and colour for the eye, the words for a screen reader
    assert cell.aria_snapshot() == '- cell "진행 중, 실습 1/3"'
    lesson_cells = row.locator("td.c:not(.matrix__sum)").all_inner_texts()
    other_cells = [text for i, text in enumerate(lesson_cells) if i + 1 != column]
    assert len(other_cells) == len(lesson_cells) - 1 and all("시작 전" in text for text in other_cells), other_cells
    expect(page.locator(".join-box__meta")).to_contain_text("수강생 1명")
    expect(page.locator(".active-list")).to_contain_text("minji")
    expect(page.locator("meter#bar-first-deployment-0")).to_have_attribute("value", "1")
    page.screenshot(path="/tmp/classroom-e2e-instructor.png", full_page=True)

    # The learner's page, from the matrix: progress, the commands, the read-only live cluster.
    row.get_by_role("link", name="minji").click()
    page.wait_for_url(re.compile(r"/learners/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("minji")
    expect(page.locator("main")).to_contain_text(BOOTCAMP)
    live = page.locator("#sandbox-live.sandbox-live--readonly")
    expect(live).to_contain_text("kubernetes-bootcamp")
    expect(live.locator("form, button")).to_have_count(0)

    assert_clean(page, errors)
    assert_clean(learner, learner_errors)
