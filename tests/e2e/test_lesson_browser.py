"""A lesson in a real Chromium: read, solve an exercise in the embedded sandbox, answer the quiz."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_sandbox_browser import assert_clean, run, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def test_learner_solves_an_exercise_and_answers_the_quiz(watched, live_server):  # noqa: F811
    page, errors = watched
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{live_server.url}/lessons/first-deployment/")
    expect(page.get_by_role("heading", name="4. 첫 디플로이먼트")).to_be_visible()
    expect(page.locator(".lesson__body .highlight").first).to_be_visible()
    expect(page.locator(".live-goals .count")).to_contain_text("0/3")

    run(page, "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1")
    run(page, "sim advance 20")
    expect(page.locator(".live-goals .count")).to_contain_text("1/3", timeout=10_000)
    expect(page.locator(".live-goals > .goal-list > .goal--done")).to_have_count(1)

    page.reload()
    expect(page.locator("#exercise-create-bootcamp.is-done")).to_be_visible()
    assert page.locator(".lesson__meta .progress__text").inner_text() != "0%"
    expect(page.locator("#console-log")).to_contain_text("deployment.apps/kubernetes-bootcamp created")

    question = page.locator(".quiz-question").first
    question.locator("input[type=radio]").first.check()
    with page.expect_response(re.compile(r"/quiz/")):
        question.get_by_role("button", name="답 확인").click()
    expect(page.locator(".quiz-question").first.locator(".quiz-explanation")).to_be_visible()
    page.screenshot(path="/tmp/lesson-e2e.png", full_page=True)

    page.goto(f"{live_server.url}/lessons/")
    expect(page.locator(".lesson-card").nth(3)).to_contain_text("진행 중")
    assert_clean(page, errors)


def test_lesson_pages_have_no_serious_accessibility_violations(watched, live_server, axe_source):  # noqa: F811
    page, errors = watched
    for path, has_sandbox in (("/lessons/", False), ("/lessons/scheduling-resources/", True), ("/glossary/", False)):
        page.goto(f"{live_server.url}{path}")
        if has_sandbox:
            expect(page.locator("#sandbox-live")).to_be_visible()  # the sandbox arrives after the text
        page.evaluate(axe_source)  # outside the page's CSP, which would block an injected <script>
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
            .violations.filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)""")
        assert violations == [], (path, violations)
    assert_clean(page, errors)
