"""The instructor's dashboard: progress matrix, stuck learners, a learner's page, the read-only live view."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom.dashboard import active_learners, progress_matrix, recent_commands, stuck_learners
from classroom.models import Assignment, Classroom, Membership, make_instructor
from lessons.course import by_slug
from lessons.models import LessonProgress, QuizAnswer
from orchestrator import Simulation
from sandbox.models import CommandLog, GoalCompletion, Sandbox

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"
LESSON = "first-deployment"  # 3 exercises, 3 quiz questions
OTHER = "scaling"


def make_user(username="learner", instructor=False, **kwargs):
    kwargs.setdefault("password", PASSWORD)
    user = get_user_model().objects.create_user(username=username, **kwargs)
    if instructor:
        make_instructor(user)
    return user


def make_class(owner=None, learners=(), **kwargs):
    kwargs.setdefault("name", "쿠버네티스 기초")
    classroom = Classroom.objects.create(owner=owner or make_user("teacher", instructor=True), **kwargs)
    for learner in learners:
        Membership.objects.create(classroom=classroom, user=learner)
    return classroom


def make_sandbox(user, lesson=LESSON, **kwargs):
    """A sandbox row with a fresh three-node snapshot (no engine work beyond building it)."""
    kwargs.setdefault("state", Simulation.from_scenario("three-nodes", seed=1).to_dict())
    kwargs.setdefault("scenario", "three-nodes")
    return Sandbox.objects.create(owner_user=user, lesson=lesson, **kwargs)


def open_lesson(user, lesson=LESSON, minutes_ago=0, finished=False):
    progress = LessonProgress.objects.create(owner_user=user, lesson=lesson)
    opened = timezone.now() - timedelta(minutes=minutes_ago)
    LessonProgress.objects.filter(pk=progress.pk).update(
        opened_at=opened, last_seen=opened, finished_at=timezone.now() if finished else None)
    return progress


def log(sandbox, text="kubectl get pods", ok=True, minutes_ago=0, n=1, output=""):
    rows = CommandLog.objects.bulk_create([CommandLog(sandbox=sandbox, text=text, ok=ok, output=output)
                                           for _ in range(n)])
    CommandLog.objects.filter(pk__in=[r.pk for r in rows]).update(
        created=timezone.now() - timedelta(minutes=minutes_ago))


def cell_of(matrix, username, lesson=LESSON):
    row = next(r for r in matrix.rows if r.user.username == username)
    return next(c for c in row.cells if c.lesson.slug == lesson)


@pytest.fixture
def teacher():
    return make_user("teacher", instructor=True)


@pytest.fixture
def teacher_client(client, teacher):
    client.login(username="teacher", password=PASSWORD)
    return client


# --- the matrix -------------------------------------------------------------------------------------


def test_matrix_cells_show_done_in_progress_not_started_and_overdue(teacher):
    done, busy, idle = make_user("done"), make_user("busy"), make_user("idle")
    classroom = make_class(teacher, [done, busy, idle])
    Assignment.objects.create(classroom=classroom, lesson=LESSON, due=timezone.now() - timedelta(hours=1))
    Assignment.objects.create(classroom=classroom, lesson=OTHER)
    open_lesson(done, finished=True)
    open_lesson(busy)
    box = make_sandbox(busy)
    GoalCompletion.objects.create(sandbox=box, goal_index=0)
    QuizAnswer.objects.create(owner_user=busy, lesson=LESSON, question=by_slug(LESSON).quiz[0].id, choice=0,
                              correct=True)

    matrix = progress_matrix(classroom)

    assert [c.lesson.slug for c in matrix.columns] == [LESSON, OTHER]  # course order, assigned only
    cell = cell_of(matrix, "done")
    assert (cell.status, cell.overdue) == ("done", False) and cell.finished_at is not None
    cell = cell_of(matrix, "busy")
    assert (cell.status, cell.exercises_done, cell.exercises_total, cell.quiz_answered) == ("progress", 1, 3, 1)
    assert cell.overdue
    cell = cell_of(matrix, "idle")
    assert (cell.status, cell.overdue) == ("none", True)
    assert cell_of(matrix, "idle", OTHER).overdue is False  # no due date
    assert [b.count for b in matrix.bars if b.lesson.slug == LESSON] == [1, 0, 0]


def test_matrix_without_assignments_shows_every_lesson(teacher):
    classroom = make_class(teacher, [make_user("a")])
    matrix = progress_matrix(classroom)
    assert not matrix.assigned and len(matrix.columns) > 10


def test_every_exercise_and_question_done_counts_as_done_before_the_page_records_it(teacher):
    learner = make_user("quick")
    classroom = make_class(teacher, [learner])
    Assignment.objects.create(classroom=classroom, lesson=LESSON)
    open_lesson(learner)
    box = make_sandbox(learner)
    lesson = by_slug(LESSON)
    GoalCompletion.objects.bulk_create([GoalCompletion(sandbox=box, goal_index=i) for i in range(3)])
    QuizAnswer.objects.bulk_create([QuizAnswer(owner_user=learner, lesson=LESSON, question=q.id, choice=0,
                                               correct=False) for q in lesson.quiz])
    cell = cell_of(progress_matrix(classroom), "quick")
    assert cell.status == "done" and cell.finished_at is not None


def test_dashboard_page_shows_matrix_with_text_not_only_colour(teacher_client, teacher):
    busy = make_user("busy")
    classroom = make_class(teacher, [busy, make_user("idle")])
    Assignment.objects.create(classroom=classroom, lesson=LESSON, due=timezone.now() - timedelta(hours=1))
    open_lesson(busy)
    html = teacher_client.get(f"/classes/{classroom.pk}/").content.decode()
    assert classroom.code in html and f"/classes/join/?code={classroom.code}" in html
    assert "◐ 진행 중" in html and "– 시작 전" in html and "! 마감 지남" in html
    assert "<meter" in html and "style=" not in html and "<script>" not in html
    assert f"/classes/{classroom.pk}/learners/{busy.pk}/" in html
    # The existing forms still work from here.
    assert f'action="/classes/{classroom.pk}/assignments"' in html
    assert f'action="/classes/{classroom.pk}/archive"' in html


def test_htmx_poll_gets_only_the_stuck_and_active_part(teacher_client, teacher):
    classroom = make_class(teacher, [make_user("a")])
    html = teacher_client.get(f"/classes/{classroom.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="dashboard-pulse"' in html and "<html" not in html and "진도표" not in html


# --- active and stuck -------------------------------------------------------------------------------


def test_active_learners_are_those_with_recent_commands_or_lesson_visits(teacher):
    typing, reading, away = make_user("typing"), make_user("reading"), make_user("away")
    classroom = make_class(teacher, [typing, reading, away])
    log(make_sandbox(typing), minutes_ago=2)
    open_lesson(reading, minutes_ago=5)
    open_lesson(away, minutes_ago=60)
    log(make_sandbox(away), minutes_ago=40)
    matrix = progress_matrix(classroom)
    names = [r.user.username for r in active_learners(matrix, recent_commands(classroom))]
    assert names == ["typing", "reading"]


def test_a_learner_whose_recent_commands_mostly_fail_is_stuck_with_the_failures_shown(teacher):
    failing, fine = make_user("failing"), make_user("fine")
    classroom = make_class(teacher, [failing, fine])
    box = make_sandbox(failing)
    log(box, "kubectl get pods", ok=True, minutes_ago=3, n=5)
    log(box, "kubectl get podz", ok=False, minutes_ago=1, n=5,
        output='error: the server doesn\'t have a resource type "podz"')
    good = make_sandbox(fine)
    log(good, "kubectl get podz", ok=False, minutes_ago=2, n=4)
    log(good, "kubectl get pods", ok=True, minutes_ago=1, n=6)

    stuck = stuck_learners(classroom)

    assert [s.user.username for s in stuck] == ["failing"]
    assert stuck[0].failed == 5 and stuck[0].failures[0]["text"] == "kubectl get podz"
    assert "podz" in stuck[0].failures[0]["head"]


def test_old_failures_do_not_make_a_learner_stuck(teacher):
    learner = make_user("yesterday")
    classroom = make_class(teacher, [learner])
    log(make_sandbox(learner), "kubectl oops", ok=False, minutes_ago=120, n=10)
    assert stuck_learners(classroom) == []


def test_a_learner_long_on_one_exercise_and_still_typing_is_stuck(teacher):
    slow, fresh, gone = make_user("slow"), make_user("fresh"), make_user("gone")
    classroom = make_class(teacher, [slow, fresh, gone])
    open_lesson(slow, minutes_ago=25)
    box = make_sandbox(slow)
    GoalCompletion.objects.create(sandbox=box, goal_index=0)
    GoalCompletion.objects.filter(sandbox=box).update(completed_at=timezone.now() - timedelta(minutes=20))
    log(box, "kubectl get deploy", minutes_ago=1)
    open_lesson(fresh, minutes_ago=5)  # opened recently: not stuck yet
    log(make_sandbox(fresh), minutes_ago=1)
    open_lesson(gone, minutes_ago=40)  # long ago, but no recent commands: not at the keyboard
    log(make_sandbox(gone), minutes_ago=25)

    stuck = stuck_learners(classroom)

    assert [s.user.username for s in stuck] == ["slow"]
    assert stuck[0].lesson.slug == LESSON and stuck[0].exercise_index == 1 and stuck[0].minutes >= 19
    assert "연습 2" in stuck[0].reasons[0]


def test_stuck_list_on_the_dashboard_names_the_failing_commands(teacher_client, teacher):
    failing = make_user("failing")
    classroom = make_class(teacher, [failing])
    log(make_sandbox(failing), "kubectl scale deploy/web --replicas=x", ok=False, n=6)
    html = teacher_client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "도움이 필요한 수강생" in html and "kubectl scale deploy/web --replicas=x" in html
    assert "✕ 실패" in html


# --- the learner page -------------------------------------------------------------------------------


def test_learner_page_filters_history_by_lesson_and_marks_errors(teacher_client, teacher):
    learner = make_user("kim")
    classroom = make_class(teacher, [learner])
    log(make_sandbox(learner, LESSON), "kubectl get nodes")
    log(make_sandbox(learner, OTHER), "kubectl scale --bad", ok=False, output="error: unknown flag")
    url = f"/classes/{classroom.pk}/learners/{learner.pk}/"

    html = teacher_client.get(url).content.decode()
    assert "kubectl get nodes" in html and "kubectl scale --bad" in html
    assert 'class="cmd cmd--error"' in html and "✕ 오류" in html and "error: unknown flag" in html

    html = teacher_client.get(url, {"lesson": LESSON}).content.decode()
    assert "kubectl get nodes" in html and "kubectl scale --bad" not in html


def test_learner_page_is_only_for_members_of_a_class_the_user_teaches(client, teacher):
    member, outsider = make_user("member"), make_user("outsider")
    classroom = make_class(teacher, [member])
    make_class(make_user("other-teacher", instructor=True), [outsider], name="다른 수업")
    client.login(username="teacher", password=PASSWORD)
    assert client.get(f"/classes/{classroom.pk}/learners/{member.pk}/").status_code == 200
    assert client.get(f"/classes/{classroom.pk}/learners/{outsider.pk}/").status_code == 404
    client.login(username="member", password=PASSWORD)
    assert client.get(f"/classes/{classroom.pk}/learners/{member.pk}/").status_code == 404


def test_read_only_live_view_has_no_forms_and_polls_its_own_url(teacher_client, teacher):
    learner = make_user("lee")
    classroom = make_class(teacher, [learner])
    sandbox = Sandbox.start("three-nodes", user=learner, lesson=LESSON, goals=by_slug(LESSON).sandbox_goals())
    version = sandbox.version
    url = f"/classes/{classroom.pk}/learners/{learner.pk}/sandboxes/{sandbox.pk}/live"

    html = teacher_client.get(url).content.decode()

    assert "<form" not in html and "<button" not in html and "<input" not in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 3s"' in html
    assert "node-card" in html and 'id="exercises"' in html and "힌트" not in html
    page = teacher_client.get(f"/classes/{classroom.pk}/learners/{learner.pk}/").content.decode()
    assert f'hx-get="{url}"' in page
    sandbox.refresh_from_db()
    assert sandbox.version == version  # watching never writes to the learner's sandbox
    assert not GoalCompletion.objects.exists()


def test_read_only_live_view_refuses_a_sandbox_of_someone_else(teacher_client, teacher):
    learner, outsider = make_user("lee"), make_user("outsider")
    classroom = make_class(teacher, [learner])
    theirs = make_sandbox(outsider)
    assert teacher_client.get(
        f"/classes/{classroom.pk}/learners/{learner.pk}/sandboxes/{theirs.pk}/live").status_code == 404
    assert teacher_client.get(
        f"/classes/{classroom.pk}/learners/{outsider.pk}/sandboxes/{theirs.pk}/live").status_code == 404


# --- performance ------------------------------------------------------------------------------------


def big_class(teacher, learners=200, logs=20_000):
    """200 learners with progress in two assigned lessons and 20,000 commands, built with bulk_create."""
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"learner{i:03d}") for i in range(learners)])
    classroom = make_class(teacher)
    Membership.objects.bulk_create([Membership(classroom=classroom, user=u) for u in users])
    Assignment.objects.create(classroom=classroom, lesson=LESSON, due=timezone.now() - timedelta(days=1))
    Assignment.objects.create(classroom=classroom, lesson=OTHER, due=timezone.now() + timedelta(days=1))
    LessonProgress.objects.bulk_create([LessonProgress(owner_user=u, lesson=lesson) for u in users
                                        for lesson in (LESSON, OTHER)])
    LessonProgress.objects.filter(owner_user__in=users[::3]).update(opened_at=timezone.now() - timedelta(hours=1))
    # No snapshot (state="{}"): the overview never reads one, and a learner's page says it cannot.
    boxes = Sandbox.objects.bulk_create([Sandbox(owner_user=u, lesson=lesson, scenario="three-nodes", state="{}")
                                         for u in users for lesson in (LESSON, OTHER)])
    GoalCompletion.objects.bulk_create([GoalCompletion(sandbox=b, goal_index=i) for n, b in enumerate(boxes)
                                        for i in range(n % 4)])
    CommandLog.objects.bulk_create([CommandLog(sandbox=boxes[n % len(boxes)], text=f"kubectl get pods {n}",
                                               ok=n % 3 != 0, output="error: x" if n % 3 == 0 else "")
                                    for n in range(logs)], batch_size=2000)
    return classroom


def test_dashboard_takes_few_queries_and_little_time_with_200_learners(teacher_client, teacher,
                                                                      django_assert_max_num_queries):
    classroom = big_class(teacher)
    url = f"/classes/{classroom.pk}/"
    teacher_client.get(url)  # warm the lesson cache and templates
    # How long it takes is bench/ business (a timed assertion here fails on a loaded machine, not on slow code).
    with django_assert_max_num_queries(20):
        response = teacher_client.get(url)
    assert response.status_code == 200 and b"learner199" in response.content
    with django_assert_max_num_queries(20):
        assert teacher_client.get(url, headers={"HX-Request": "true"}).status_code == 200


def test_learner_page_and_export_take_few_queries_in_a_big_class(teacher_client, teacher,
                                                                django_assert_max_num_queries):
    classroom = big_class(teacher)
    learner = classroom.learners().first()
    with django_assert_max_num_queries(20):
        assert teacher_client.get(f"/classes/{classroom.pk}/learners/{learner.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert teacher_client.get(f"/classes/{classroom.pk}/export.csv").status_code == 200
