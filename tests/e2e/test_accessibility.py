"""axe in a real Chromium on the pages a lesson's own check leaves out: the free sandbox, search, an answered quiz,
the account forms and the classroom, each at a phone's and a laptop's size, in the states learners see."""

# ruff: noqa: F811  (every test takes the imported `watched` fixture by its name)
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from classroom.models import Classroom, Membership, make_instructor
from lessons.course import by_slug
from tests.e2e.test_lesson_browser import open_lesson
from tests.e2e.test_sandbox_browser import assert_clean, run, start_sandbox, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

SCREENS = [(390, 844), (1366, 768)]
PASSWORD = "correct-horse-battery-42"


def serious_violations(page: Page, axe_source: str) -> list[str]:
    """axe's serious and critical findings on the page as it is now, one line each with a few of its nodes."""
    page.evaluate(axe_source)  # outside the page's CSP, which would block an injected <script>
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
        .violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)""")


def log_in(page: Page, live_server, username: str, then: str):
    page.goto(f"{live_server.url}/accounts/login/?next={then}")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{live_server.url}{then}")


def send_refused(page: Page, errors: list[str], button: str, status: int):
    """Send a form the server turns down with ``status`` (the page shows why); Chromium logs that status as a
    console error, which is the answer the test asked for, not a fault of the page."""
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.get_by_role("button", name=button).click()
    assert sent.value.status == status
    page.wait_for_load_state()
    errors.remove(
        f"console.error: Failed to load resource: the server responded with a status of {status} "
        f"({sent.value.status_text})"
    )


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_free_sandbox_has_no_serious_accessibility_violations_with_a_cluster_and_its_fault_menu_open(
    watched,
    live_server,
    axe_source,
    width,
    height,
):
    page, errors = watched
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/sandbox/")
    assert serious_violations(page, axe_source) == [], ("/sandbox/", width)

    start_sandbox(page, live_server)
    for line in ("kubectl create deployment web --image=nginx:1.27 --replicas=3", "sim advance 30", "kubectl get pods"):
        run(page, line)
    expect(page.locator(".node-card .chip--running")).to_have_count(3)
    node = page.locator(".node-card").first
    node.get_by_text("장애 주입").click()
    expect(node.get_by_role("button", name=re.compile("VM 멈추기"))).to_be_visible()
    assert serious_violations(page, axe_source) == [], (page.url, width)
    expect(node.locator("details.fault-menu")).to_have_attribute("open", "")  # axe saw the menu open
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_search_results_have_no_serious_accessibility_violations(watched, live_server, axe_source, width, height):
    page, errors = watched
    page.set_viewport_size({"width": width, "height": height})
    for query, found in (("파드 노드", True), ("없는낱말zz", False)):
        page.goto(f"{live_server.url}/lessons/search/?q={query}")
        lesson_links = page.locator("main a[href^='/lessons/']:not([href='/lessons/'])")
        if found:
            expect(lesson_links.first).to_be_visible()
        else:
            expect(lesson_links).to_have_count(0)
        assert serious_violations(page, axe_source) == [], (query, width)
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_an_answered_quiz_has_no_serious_accessibility_violations(watched, live_server, axe_source, width, height):
    """One question answered right and one wrong: both explanations, the 정답 and 내 답 tags."""
    page, errors = watched
    lesson = by_slug("first-deployment")
    open_lesson(page, live_server, width, height, "/lessons/first-deployment/")
    questions = page.locator(".quiz-question")
    for index, right in ((0, True), (1, False)):
        answer = lesson.quiz[index].answer
        choice = answer if right else (answer + 1) % len(lesson.quiz[index].choices)
        question = questions.nth(index)
        question.scroll_into_view_if_needed()
        question.locator("input[type=radio]").nth(choice).check()
        with page.expect_response(re.compile(r"/quiz/")):
            question.get_by_role("button", name="답 확인").click()
        expect(questions.nth(index).locator(".quiz-explanation")).to_be_visible()
    expect(page.locator(".quiz-choice.is-wrong")).to_have_count(1)
    assert serious_violations(page, axe_source) == [], width
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_login_and_signup_have_no_serious_accessibility_violations_blank_or_with_errors(
    watched,
    live_server,
    axe_source,
    width,
    height,
    transactional_db,
):
    page, errors = watched
    get_user_model().objects.create_user(username="minji", password=PASSWORD)
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_violations(page, axe_source) == [], ("login", width)
    page.get_by_label("사용자 이름").fill("minji")
    page.get_by_label("비밀번호").fill("not-the-password")
    page.get_by_role("button", name="로그인").click()
    expect(page.locator("main")).to_contain_text("비밀번호")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert serious_violations(page, axe_source) == [], ("login, wrong password", width)

    page.goto(f"{live_server.url}/accounts/signup/")
    assert serious_violations(page, axe_source) == [], ("signup", width)
    page.get_by_label("사용자 이름").fill("minji")  # taken
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD + "-typo")
    send_refused(page, errors, "가입하기", 400)
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    assert serious_violations(page, axe_source) == [], ("signup, with errors", width)
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_joining_a_class_and_the_instructors_dashboard_have_no_serious_accessibility_violations(
    watched,
    live_server,
    axe_source,
    width,
    height,
    transactional_db,
):
    page, errors = watched
    users = get_user_model().objects
    teacher = users.create_user(username="teacher", password=PASSWORD)
    make_instructor(teacher)
    classroom = Classroom.objects.create(name="쿠버네티스 실습 1반", description="월요일 오전 실습", owner=teacher)
    Membership.objects.create(classroom=classroom, user=users.create_user(username="minji", password=PASSWORD))
    users.create_user(username="jiho", password=PASSWORD)
    page.set_viewport_size({"width": width, "height": height})

    log_in(page, live_server, "teacher", f"/classes/{classroom.pk}/")
    expect(page.locator(".join-code")).to_have_text(classroom.code)
    expect(page.locator("table.matrix tbody tr")).to_have_count(1)
    assert serious_violations(page, axe_source) == [], ("dashboard", width)

    page.context.clear_cookies()
    log_in(page, live_server, "jiho", "/classes/join/")
    assert serious_violations(page, axe_source) == [], ("join", width)
    page.get_by_label("참여 코드").fill("ZZZZZZ")
    send_refused(page, errors, "참여하기", 404)
    expect(page.locator("main")).to_contain_text("그 코드의 수업이 없습니다")
    assert serious_violations(page, axe_source) == [], ("join, unknown code", width)
    page.goto(f"{live_server.url}/classes/join/?code={classroom.code}")
    expect(page.get_by_label("참여 코드")).to_have_value(classroom.code)
    assert serious_violations(page, axe_source) == [], ("join, code from the link", width)
    assert_clean(page, errors)
