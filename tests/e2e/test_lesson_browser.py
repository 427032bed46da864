"""A lesson in a real Chromium: read, solve the exercises in the sandbox beside the text, answer the quiz, on
the screens learners use (a phone, a tablet, laptops, a desktop)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_sandbox_browser import assert_clean, run, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

LESSON = "/lessons/first-deployment/"
SCREENS = [(390, 844), (768, 1024), (1024, 768), (1280, 800), (1366, 768), (1920, 1080)]
WIDE = 1200  # 75rem: from here the text and the sandbox sit side by side


def open_lesson(page: Page, live_server, width: int, height: int, path: str = LESSON):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("#sandbox-live")).to_be_attached()  # the sandbox arrives after the text


def show_sandbox(page: Page, width: int):
    if width < WIDE:
        page.get_by_role("button", name=re.compile("실습 · 콘솔")).click()


def in_view(page: Page, selector: str) -> bool:
    """Is the element's box at least partly inside the window (not scrolled away, not hidden)?"""
    return page.evaluate("""(sel) => { const el = document.querySelector(sel); if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.left >= 0
            && r.right <= innerWidth; }""", selector)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_console_and_the_map_are_both_in_view_while_typing(watched, live_server, width, height):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, width, height)
    assert no_sideways_scroll(page)
    page.locator(".lesson__body h2").nth(2).scroll_into_view_if_needed()
    reading_at = page.evaluate("scrollY")
    show_sandbox(page, width)
    page.locator("#console-input").focus()
    run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    assert in_view(page, "#console-input") and in_view(page, ".node-card"), width
    expect(page.locator(".node-card .chip").first).to_be_visible()
    assert no_sideways_scroll(page)
    # Nor inside the cluster view: long pod chips shrink to their node's card.
    assert page.evaluate("""() => { const pane = document.querySelector('.sandbox-pane--cluster');
        return pane.scrollWidth <= pane.clientWidth; }"""), width
    # The current task stays in sight above the map.
    assert in_view(page, ".ex-now"), width
    page.screenshot(path=f"/tmp/lesson-{width}x{height}.png")
    if width < WIDE:
        # While the learner types, the bar gives the keyboard its room; it is back once they look away.
        expect(page.locator(".lesson-tabs")).to_be_hidden()
        page.evaluate("document.activeElement.blur()")
        page.get_by_role("button", name="본문", exact=True).click()
        expect(page.locator("#console-input")).to_be_hidden()
        assert page.evaluate("scrollY") == reading_at  # the text is where the learner left it
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_exercises_are_done_once_and_stay_done_with_hints_on_request(watched, live_server, width, height):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, width, height)
    show_sandbox(page, width)
    panel = page.locator("#exercises")
    expect(panel.locator(".count")).to_have_text("0/3 완료")
    expect(page.locator(".ex-now")).to_contain_text("실습 1/3")
    expect(panel).not_to_contain_text("다음이 아님")
    first = page.locator("#ex-create-bootcamp")
    expect(first).to_contain_text("kubernetes-bootcamp:v1")
    expect(first).not_to_contain_text("nginx")

    # The ladder: one hint at a time, then the solution, which runs from the panel.
    ladder = first.locator(".ladder__step")
    expect(ladder.nth(0)).to_be_visible()
    expect(ladder.nth(1)).to_be_hidden()
    first.get_by_text("힌트 1 보기").click()
    expect(ladder.nth(1)).to_be_visible()
    expect(first.locator(".ladder__step--solution")).to_be_hidden()
    page.wait_for_timeout(2500)  # a poll redraws the panel: what was opened stays open
    expect(ladder.nth(0)).to_have_attribute("open", "")

    for line in ("kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1",
                 "sim advance 20", "kubectl create deployment web --image=nginx:1.27 --replicas=3",
                 "sim advance 20"):
        run(page, line)
    expect(panel.locator(".count")).to_have_text("2/3 완료", timeout=10_000)
    run(page, "kubectl delete deployment kubernetes-bootcamp")
    run(page, "sim advance 5")
    expect(panel.locator(".count")).to_have_text("3/3 완료", timeout=10_000)
    expect(page.locator(".ex-now")).to_contain_text("실습 3/3 완료")
    # The last exercise removed what the first built: the first is still done, and says so quietly.
    expect(page.locator(".ex--done")).to_have_count(3)
    expect(panel).to_contain_text("완료 기록은 그대로 남습니다")
    expect(panel.get_by_role("link", name="퀴즈 풀기")).to_be_visible()
    expect(panel.get_by_role("link", name=re.compile("다음 레슨"))).to_be_visible()
    expect(page.locator("#lesson-tabs-count")).to_have_text("3/3")
    assert page.locator("#lesson-progress .progress__text").inner_text() != "0%"

    page.reload()
    expect(page.locator("#exercises .count")).to_have_text("3/3 완료")
    assert no_sideways_scroll(page)
    assert_clean(page, errors)


def test_code_blocks_run_in_the_console_and_reset_stays_in_the_lesson(watched, live_server):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, 390, 844)
    block = page.locator(".code-block:has(.code-tools__run)").first
    command = block.locator("pre").inner_text().strip()
    block.scroll_into_view_if_needed()
    block.get_by_role("button", name=re.compile("콘솔에서 실행")).click()
    expect(page.locator("#console-input")).to_be_visible()  # the phone switched to the sandbox
    expect(page.locator("#console-log")).to_contain_text(command.splitlines()[0])

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="↺ 처음으로").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(re.escape(LESSON) + "$"))
    expect(page.locator("#console-log .console-entry")).to_have_count(0)
    assert_clean(page, errors)


def test_keyboard_reaches_the_console_at_once_and_keeps_its_place_after_a_quiz_answer(
        watched, live_server):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, 1366, 768)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "콘솔로 건너뛰기"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "console-input"
    # At the top of the page the pinned sandbox starts below the header; working in it brings all of it,
    # the console's 실행 button included, into the window.
    assert page.evaluate("""() => { const r = document.querySelector('#console-form button').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""")
    assert in_view(page, ".node-card")

    run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    run(page, "sim advance 20")
    chips = page.locator(".node-grid .chip")
    expect(chips).to_have_count(3)
    # One Tab stop per node's pods: every list has exactly one chip in the tab order.
    lists = page.locator(".node-grid ul.chips")
    for i in range(lists.count()):
        assert lists.nth(i).locator('.chip[tabindex="0"]').count() == 1

    question = page.locator(".quiz-question").first
    question.locator("input[type=radio]").first.check()
    with page.expect_response(re.compile(r"/quiz/")):
        question.get_by_role("button", name="답 확인").click()
    # The explanation takes the focus once htmx has settled the swap (a moment after it shows): wait for it.
    expect(page.locator(".quiz-question").first.locator(".quiz-explanation")).to_be_focused()
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_lesson_pages_have_no_serious_accessibility_violations(watched, live_server, axe_source, width, height):  # noqa: F811
    page, errors = watched
    for path, has_sandbox in (("/lessons/", False), ("/lessons/scheduling-resources/", True), ("/glossary/", False)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}{path}")
        if has_sandbox:
            expect(page.locator("#sandbox-live")).to_be_attached()
            show_sandbox(page, width)
        page.evaluate(axe_source)  # outside the page's CSP, which would block an injected <script>
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
            .violations.filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)""")
        assert violations == [], (path, width, violations)
    assert_clean(page, errors)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_a_target_picture_beside_the_cluster_and_undo_of_the_last_change(watched, live_server, width, height):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, width, height, "/lessons/scaling/")
    show_sandbox(page, width)
    target = page.locator("#ex-scale-to-four .target")
    expect(target).to_contain_text("목표 모습")
    expect(target.locator(".target__node")).to_have_count(3)
    expect(target.locator(".target__legend")).to_contain_text("kubernetes-bootcamp 4개")
    target.scroll_into_view_if_needed()
    assert in_view(page, "#ex-scale-to-four .target") and no_sideways_scroll(page)

    run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    run(page, "sim advance 20")
    expect(page.locator(".node-grid .chip[id^='pod-default-web-']")).to_have_count(2)
    page.get_by_role("button", name="↶ 되돌리기").click()
    expect(page.locator("#console-log")).to_contain_text("되돌렸습니다: kubectl create deployment web")
    expect(page.locator(".node-grid .chip[id^='pod-default-web-']")).to_have_count(0)
    page.screenshot(path=f"/tmp/lesson-undo-{width}x{height}.png")
    assert_clean(page, errors)
