"""What a lesson tab left open downloads while nobody types: at most about 1 KB a second once its cluster is at
rest (slow polls, compressed regions, 304s), measured as Chromium counts the bytes on the wire."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_lesson_browser import open_lesson, run, show_sandbox
from tests.e2e.test_sandbox_browser import assert_clean, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

MEASURE_SECONDS = 32
BUDGET_BYTES_PER_SECOND = 1024


def test_an_idle_lesson_tab_downloads_at_most_a_kilobyte_a_second(watched, live_server):  # noqa: F811
    page, errors = watched
    open_lesson(page, live_server, 1366, 768)
    show_sandbox(page, 1366)
    run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    run(page, "sim advance 30")
    expect(page.locator("#sandbox-live")).to_have_attribute("data-poll-ms", "8000", timeout=15_000)

    polls: list[int] = []

    def count(response):
        if re.search(r"/sandbox/[0-9a-f-]{36}/poll$", response.url):
            sizes = response.request.sizes()
            polls.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])

    page.on("response", count)
    page.wait_for_timeout(MEASURE_SECONDS * 1000)
    page.remove_listener("response", count)
    per_second = sum(polls) / MEASURE_SECONDS
    print(f"idle lesson tab: {len(polls)} polls in {MEASURE_SECONDS} s, {sum(polls):,} bytes, "
          f"{per_second * 60 / 1024:.1f} KiB a minute")
    assert 2 <= len(polls) <= MEASURE_SECONDS // 8 + 1  # the slow pace, and still polling
    assert per_second <= BUDGET_BYTES_PER_SECOND
    assert_clean(page, errors)
