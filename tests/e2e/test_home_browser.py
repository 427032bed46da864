"""The home page in a real Chromium: it fits a phone and a laptop, a path card leads to its lesson, the header's
search works, and axe finds nothing serious."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_sandbox_browser import assert_clean, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

VIEWPORTS = ((390, 844), (1024, 768), (1366, 768))
SERIOUS = """async () => (await axe.run(document, {resultTypes: ["violations"]}))
    .violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)"""


def test_home_page_fits_each_width_and_has_no_serious_accessibility_violations(
        watched, live_server, axe_source):  # noqa: F811
    page, errors = watched
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("link", name="첫 레슨 시작하기")).to_be_visible()
        expect(page.locator(".mini-map .mini-node")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        page.screenshot(path=f"/tmp/home-e2e-{width}.png", full_page=True)
        page.evaluate(axe_source)  # outside the page's CSP, which would block an injected <script>
        assert page.evaluate(SERIOUS) == [], width
    assert_clean(page, errors)


def test_a_path_card_is_a_link_all_over(watched, live_server):  # noqa: F811
    page, errors = watched
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    card = page.locator(".lesson-card").filter(has=page.get_by_role("link", name="4. 첫 디플로이먼트", exact=True))
    expect(card).to_have_count(1)
    assert_clean(page, errors)

    # A click on the summary, far from the title: the title's link covers the whole card.
    summary = card.locator(".lesson-card__summary")
    summary.scroll_into_view_if_needed()
    box = summary.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"{live_server.url}/lessons/first-deployment/")
    expect(page.get_by_role("heading", name="4. 첫 디플로이먼트")).to_be_visible()


def test_the_header_search_reaches_the_results_from_any_page(watched, live_server):  # noqa: F811
    page, errors = watched
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/glossary/")
    page.get_by_role("searchbox", name="레슨 검색").fill("롤링 업데이트")
    page.get_by_role("searchbox", name="레슨 검색").press("Enter")
    page.wait_for_url(re.compile(r"/lessons/search/\?q="))
    expect(page.get_by_role("status")).to_contain_text("검색 결과")
    expect(page.get_by_role("link", name="10. 롤링 업데이트와 롤백")).to_be_visible()
    assert_clean(page, errors)
