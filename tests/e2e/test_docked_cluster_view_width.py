"""The cluster view docked beside a lesson keeps to its column while pods wait for a node: every button of the
Pending panel stays inside it, so nothing hides off to the side on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_lesson_browser import open_lesson, show_sandbox
from tests.e2e.test_sandbox_browser import assert_clean, run, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

# Each shown button of the cluster view that sticks out of the pane, with its text and where it ends.
OUTSIDE = """() => { const pane = document.querySelector(".sandbox-pane--cluster").getBoundingClientRect();
    return [...document.querySelectorAll("#sandbox-live button")].filter((b) => b.offsetParent)
        .map((b) => [b.textContent.trim().replace(/\\s+/g, " ").slice(0, 30), b.getBoundingClientRect()])
        .filter(([, r]) => r.left < pane.left - 1 || r.right > pane.right + 1)
        .map(([text, r]) => `${text} (${Math.round(r.left)}-${Math.round(r.right)}, pane ${Math.round(pane.left)}-`
            + `${Math.round(pane.right)})`); }"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_the_cluster_view_keeps_to_its_column_while_pods_wait_for_a_node(watched, live_server, width, height):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, width, height, "/lessons/scaling/")
    show_sandbox(page, width)
    # Lesson 6's second exercise: more replicas than three nodes hold, so three stay Pending.
    for line in (
        "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1",
        "sim advance 20",
        "kubectl scale deployment kubernetes-bootcamp --replicas=24",
        "sim advance 15",
    ):
        run(page, line)
    pending = page.locator(".live-pending")
    expect(pending.get_by_role("button", name="이유 자세히 보기")).to_have_count(3)
    page.evaluate("document.querySelector('.live-pending').scrollIntoView()")
    page.screenshot(path=f"/tmp/pending-{width}x{height}.png", caret="initial")  # no style="" left on inputs
    assert page.evaluate(OUTSIDE) == [], width
    assert page.evaluate("""() => { const pane = document.querySelector('.sandbox-pane--cluster');
        return pane.scrollWidth <= pane.clientWidth; }"""), width
    assert_clean(page, errors)
