"""A class of 200 in Chromium: the progress matrix starts in the first screen of a laptop, the drill results
show everyone at once, and nothing scrolls sideways on a phone. Screenshots go to /tmp for a person to look at."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import expect

from classroom.models import Assignment, Classroom, Drill, DrillTarget, Membership, make_instructor
from lessons.course import all_lessons, by_slug
from lessons.models import LessonProgress
from orchestrator import Simulation
from sandbox.models import CommandLog, GoalCompletion, Sandbox
from tests.e2e.test_accessibility import PASSWORD, log_in, serious_violations
from tests.e2e.test_dashboard_on_a_phone import OUTSIDE
from tests.e2e.test_lesson_browser import no_sideways_scroll
from tests.e2e.test_sandbox_browser import assert_clean, watched  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 768}
SMALL_LAPTOP = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
NAMES = ["minji", "jiho", "seoyeon", "hyunwoo", "jiwoo", "dohyun", "soyeon", "junseo", "yerin", "taeyang",
         "haeun", "sihoo", "chaewon", "eunwoo", "kim.seoyeon.bootcamp"]  # one long name: the column stays narrow


def class_of(teacher, size: int = 200, seed: int = 7) -> Classroom:
    """A class in the middle of a session: every lesson assigned (the widest matrix), the first four past
    due; each learner done with some lessons and on the next one, most typing now, a dozen on one exercise
    for half an hour, a few failing again and again. Built with bulk_create (a few seconds for 200)."""
    rng = random.Random(seed)
    now = timezone.now()
    lessons = all_lessons()
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"{NAMES[i % len(NAMES)]}{i:03d}", password=make_password(None))
         for i in range(size)])
    classroom = Classroom.objects.create(name="쿠버네티스 부트캠프 3기", owner=teacher)
    Membership.objects.bulk_create([Membership(classroom=classroom, user=u) for u in users])
    Assignment.objects.bulk_create([Assignment(classroom=classroom, lesson=lesson.slug,
                                               due=now + timedelta(days=lesson.number - 4))
                                    for lesson in lessons])
    progress, boxes, minutes = [], [], {}
    for n, user in enumerate(users):
        done = rng.choice([0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 9])
        progress += [LessonProgress(owner_user=user, lesson=lesson.slug, finished_at=now - timedelta(hours=1))
                     for lesson in lessons[:done]]
        current = lessons[done]
        progress.append(LessonProgress(owner_user=user, lesson=current.slug))
        minutes[(user.pk, current.slug)] = 40 if n % 17 == 3 else rng.randint(2, 14)
        boxes.append(Sandbox(owner_user=user, lesson=current.slug, scenario="three-nodes", state="{}"))
    LessonProgress.objects.bulk_create(progress)
    for (user_id, slug), ago in minutes.items():
        LessonProgress.objects.filter(owner_user_id=user_id, lesson=slug).update(
            opened_at=now - timedelta(minutes=ago), last_seen=now - timedelta(minutes=1))
    boxes = Sandbox.objects.bulk_create(boxes)
    GoalCompletion.objects.bulk_create([GoalCompletion(sandbox=box, goal_index=i) for box in boxes
                                        for i in range(rng.randint(0, max(0, len(by_slug(box.lesson).exercises) - 1)))])
    commands = []
    for n, box in enumerate(boxes):
        if n % 5 == 4:
            continue  # not at the keyboard
        failing = n % 23 == 5
        commands += [CommandLog(sandbox=box, text="kubectl get pods" if ok else "kubectl scale deploy web --replicas=x",
                                ok=ok, output="" if ok else 'error: invalid argument "x" for "--replicas" flag')
                     for ok in ([True] * 3 + [False] * 7 if failing else [True] * rng.randint(1, 6))]
    CommandLog.objects.bulk_create(commands)
    CommandLog.objects.filter(sandbox__in=boxes).update(created=now - timedelta(minutes=2))
    return classroom


def drill_for(classroom: Classroom, teacher) -> Drill:
    """A drill applied to all but a few: most recovered (in 30 s to 8 min), the rest still at it."""
    drill = Drill.objects.create(classroom=classroom, lesson=by_slug("first-deployment").slug, fault="app-crash",
                                 started_by=teacher)
    boxes = list(Sandbox.objects.filter(owner_user__memberships__classroom=classroom).order_by("pk"))
    targets = DrillTarget.objects.bulk_create([DrillTarget(drill=drill, sandbox=box, command="sim app crash web")
                                               for n, box in enumerate(boxes) if n % 19 != 7])
    applied = timezone.now() - timedelta(minutes=10)
    DrillTarget.objects.filter(drill=drill).update(applied_at=applied)
    for n, target in enumerate(targets):
        if n % 6:
            DrillTarget.objects.filter(pk=target.pk).update(
                recovered_at=applied + timedelta(seconds=30 + (n * 37) % 450))
    return drill


@pytest.fixture
def teacher(transactional_db):
    teacher = get_user_model().objects.create_user(username="teacher", password=PASSWORD)
    make_instructor(teacher)
    return teacher


def test_the_matrix_of_200_learners_starts_in_the_first_screen_and_fits_a_phone(
        watched, live_server, teacher, axe_source):  # noqa: F811
    page, errors = watched
    classroom = class_of(teacher)
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, "teacher", f"/classes/{classroom.pk}/")
    rows = page.locator("table.matrix tbody tr")
    expect(rows).to_have_count(200)
    page.screenshot(path="/tmp/dashboard-200-1366x768.png", caret="initial")
    # The header and the first rows are on the first screen, inside a box no taller than the window.
    assert rows.nth(9).bounding_box()["y"] + rows.nth(9).bounding_box()["height"] <= LAPTOP["height"]
    table = page.locator(".matrix-scroll").bounding_box()
    assert table["y"] < LAPTOP["height"] / 3 and table["height"] <= LAPTOP["height"]
    # ... and all of every lesson's column, without scrolling sideways.
    assert page.evaluate("(() => { const box = document.querySelector('.matrix-scroll');"
                         " return box.scrollWidth <= box.clientWidth; })()")
    expect(page.locator("#stuck table tbody tr").first).to_be_attached()
    page.screenshot(path="/tmp/dashboard-200-1366-full.png", caret="initial", full_page=True)

    # The header stays put while the instructor scrolls the matrix.
    page.locator(".matrix-scroll").evaluate("(box) => box.scrollTop = 2000")
    header = page.locator("table.matrix thead th").first.bounding_box()
    assert table["y"] - 1 <= header["y"] <= table["y"] + 2
    page.screenshot(path="/tmp/dashboard-200-1366-scrolled.png", caret="initial")
    page.locator("#stuck").screenshot(path="/tmp/dashboard-200-1366-stuck.png", caret="initial")

    # A hint from the stuck list to the first learner on it lands in that learner's sandbox.
    first = page.locator("#stuck table tbody tr").first
    name = first.locator("th").inner_text().strip()
    Sandbox.objects.filter(owner_user__username=name).update(
        state=Simulation.from_scenario("three-nodes", seed=1).to_json())
    first.get_by_role("link", name="힌트 보내기").click()
    expect(page.get_by_role("heading", name=f"{name} 님에게 힌트 보내기")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    page.locator("#stuck").screenshot(path="/tmp/dashboard-200-1366-hint.png", caret="initial")
    page.get_by_label("힌트 (300자까지)").fill("replicas 값은 숫자로 써 보세요.")
    page.get_by_role("button", name="보내기", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} 님의")
    assert CommandLog.objects.filter(sandbox__owner_user__username=name, source="system",
                                     output="강사 힌트: replicas 값은 숫자로 써 보세요.").count() == 1

    # One lesson, its exercises one by one, for the learners still on it.
    filters = page.get_by_role("form", name="진도표 거르기")
    filters.get_by_label("레슨").select_option("first-deployment")
    filters.get_by_label("보기").select_option("progress")
    filters.get_by_role("button", name="적용").click()
    expect(page.locator("table.matrix--focus thead th")).to_have_count(7)  # who, status, 3 exercises, quiz, when
    page.screenshot(path="/tmp/dashboard-200-1366-lesson.png", caret="initial")

    # A smaller laptop: still the first rows on the first screen, every lesson's column in view.
    page.set_viewport_size(SMALL_LAPTOP)
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    expect(rows).to_have_count(200)
    page.screenshot(path="/tmp/dashboard-200-1024x768.png", caret="initial")
    assert rows.nth(9).bounding_box()["y"] + rows.nth(9).bounding_box()["height"] <= SMALL_LAPTOP["height"]
    assert no_sideways_scroll(page)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    expect(rows).to_have_count(200)
    page.screenshot(path="/tmp/dashboard-200-390x844.png", caret="initial")
    page.screenshot(path="/tmp/dashboard-200-390-full.png", caret="initial", full_page=True)
    page.locator("#stuck").screenshot(path="/tmp/dashboard-200-390-stuck.png", caret="initial")
    assert page.evaluate(OUTSIDE) == []
    assert no_sideways_scroll(page)
    assert_clean(page, errors)


def test_the_drill_results_of_200_learners_fit_one_screen(watched, live_server, teacher, axe_source):  # noqa: F811
    page, errors = watched
    classroom = class_of(teacher)
    drill = drill_for(classroom, teacher)
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, "teacher", f"/classes/{classroom.pk}/drills/{drill.pk}/")
    chips = page.locator(".drill-chip")
    expect(chips).to_have_count(200)
    page.screenshot(path="/tmp/drill-200-1366x768.png", caret="initial")
    last = chips.last.bounding_box()
    assert last["y"] + last["height"] <= LAPTOP["height"]
    assert serious_violations(page, axe_source) == []
    page.get_by_role("link", name="표로 보기 (명령·메모)").click()
    expect(page.locator("table.drill-results tbody tr")).to_have_count(200)

    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)  # the table scrolls in its own box
    page.goto(f"{live_server.url}/classes/{classroom.pk}/drills/{drill.pk}/")
    expect(chips).to_have_count(200)
    page.screenshot(path="/tmp/drill-200-390-full.png", caret="initial", full_page=True)
    assert page.evaluate(OUTSIDE) == []
    assert no_sideways_scroll(page)
    assert_clean(page, errors)
