"""An instructor's dashboard on a phone: the page reflows to the screen's width, nothing off to the side."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from classroom.models import Classroom, Membership, make_instructor
from tests.e2e.test_accessibility import PASSWORD, log_in
from tests.e2e.test_lesson_browser import no_sideways_scroll
from tests.e2e.test_sandbox_browser import assert_clean, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

# What sticks out past the window's right edge, outside any box that scrolls on its own.
OUTSIDE = """() => [...document.querySelectorAll("body *")].filter((el) => {
        if (el.getBoundingClientRect().right <= innerWidth + 1) return false;
        for (let up = el.parentElement; up; up = up.parentElement)
            if (getComputedStyle(up).overflowX !== "visible") return false;
        return true; })
    .slice(0, 3).map((el) => `${el.tagName}.${el.className} ends at ${Math.round(el.getBoundingClientRect().right)}`)"""


def test_the_instructors_dashboard_fits_a_phone(watched, live_server, transactional_db):  # noqa: F811
    page, errors = watched
    users = get_user_model().objects
    teacher = users.create_user(username="teacher", password=PASSWORD)
    make_instructor(teacher)
    classroom = Classroom.objects.create(name="쿠버네티스 실습 1반", owner=teacher)
    Membership.objects.create(classroom=classroom, user=users.create_user(username="minji", password=PASSWORD))
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "teacher", f"/classes/{classroom.pk}/")
    expect(page.locator("table.matrix tbody tr")).to_have_count(1)
    page.screenshot(path="/tmp/dashboard-390x844.png", caret="initial", full_page=True)
    assert page.evaluate(OUTSIDE) == []
    assert no_sideways_scroll(page)
    assert_clean(page, errors)
