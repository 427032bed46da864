"""The instructor's dashboard: progress matrix, stuck learners, a learner's page, the read-only live view."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

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
    # Each cell: a glyph and colour for the eye, words for a screen reader.
    assert '<span aria-hidden="true">◐</span><span class="visually-hidden">진행 중, 실습 </span>0/3' in html
    assert '<span aria-hidden="true">·</span><span class="visually-hidden">시작 전</span>' in html
    assert '<span class="visually-hidden">, 마감 지남</span>' in html and "◐ 진행 중" in html  # and the legend
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


def test_failures_name_the_lesson_they_were_typed_in(teacher_client, teacher):
    in_lesson, free = make_user("in_lesson"), make_user("free")
    classroom = make_class(teacher, [in_lesson, free])
    log(make_sandbox(in_lesson, OTHER), "kubectl scale deploy/web --replicas=x", ok=False, n=6)
    log(make_sandbox(free, lesson=""), "kubectl oops", ok=False, n=6)

    stuck = {s.user.username: s for s in stuck_learners(classroom)}

    assert stuck["in_lesson"].lesson.slug == OTHER and stuck["in_lesson"].exercise_index == 0
    assert f"‘{by_slug(OTHER).title}’에서 최근 명령" in stuck["in_lesson"].reasons[0]
    assert stuck["free"].lesson is None and stuck["free"].reasons[0].startswith("자유 실습에서")
    html = teacher_client.get(f"/classes/{classroom.pk}/").content.decode()
    assert f"{by_slug(OTHER).number}. {by_slug(OTHER).title}</td>" in html and "자유 실습</td>" in html


def test_the_stuck_list_sorts_by_the_column_asked_for(teacher_client, teacher):
    few, many = make_user("aaa_few"), make_user("zzz_many")
    classroom = make_class(teacher, [few, many])
    log(make_sandbox(few), "kubectl bad", ok=False, n=5)
    log(make_sandbox(many), "kubectl bad", ok=False, n=9)
    url = f"/classes/{classroom.pk}/"

    def order(html):  # the stuck table's row headers, top to bottom
        return sorted(("aaa_few", "zzz_many"), key=lambda name: html.index(f">{name}</a></th>\n"))

    html = teacher_client.get(url, {"stuck_sort": "name"}).content.decode()
    assert order(html) == ["aaa_few", "zzz_many"] and 'aria-sort="ascending"' in html
    html = teacher_client.get(url, {"stuck_sort": "failed"}).content.decode()
    assert order(html) == ["zzz_many", "aaa_few"] and 'aria-sort="descending"' in html
    # The 20-second poll keeps the order: it asks for the same query string.
    html = teacher_client.get(url, {"stuck_sort": "name"}, headers={"HX-Request": "true"}).content.decode()
    assert order(html) == ["aaa_few", "zzz_many"] and f'hx-get="{url}?stuck_sort=name"' in html


def test_matrix_filters_stuck_not_started_and_a_name(teacher_client, teacher):
    stuck, busy, idle = make_user("stuck"), make_user("busy"), make_user("idle")
    classroom = make_class(teacher, [stuck, busy, idle])
    Assignment.objects.create(classroom=classroom, lesson=LESSON)
    log(make_sandbox(stuck), "kubectl bad", ok=False, n=6)
    open_lesson(busy)
    url = f"/classes/{classroom.pk}/"

    def names(**query):
        html = teacher_client.get(url, query).content.decode()
        table = html[html.index('<table class="matrix'):html.index("</table>")]
        return [u.username for u in (stuck, busy, idle) if f">{u.username}</a>" in table]

    assert names() == ["stuck", "busy", "idle"]
    assert names(show="stuck") == ["stuck"]
    assert names(show="none") == ["stuck", "idle"]  # typing in a sandbox is not opening the lesson
    assert names(show="progress") == ["busy"]
    assert names(q="BUS") == ["busy"]
    assert names(show="nonsense") == ["stuck", "busy", "idle"]
    html = teacher_client.get(url, {"show": "none", "q": "zzz"}).content.decode()
    assert "조건에 맞는 수강생이 없습니다" in html


def test_one_lesson_chosen_shows_its_exercises_one_by_one(teacher_client, teacher):
    learner = make_user("kim")
    classroom = make_class(teacher, [learner])
    open_lesson(learner)
    GoalCompletion.objects.create(sandbox=make_sandbox(learner), goal_index=1)
    html = teacher_client.get(f"/classes/{classroom.pk}/", {"lesson": LESSON}).content.decode()
    table = html[html.index('<table class="matrix matrix--focus">'):html.index("</table>")]
    assert "연습 1</th>" in table and "연습 3</th>" in table and "퀴즈</th>" in table
    assert table.count("✓<span") == 1 and table.count('<span class="visually-hidden">아직</span>') == 2


def test_the_dashboard_with_filters_still_takes_few_queries(teacher_client, teacher, django_assert_max_num_queries):
    classroom = big_class(teacher, logs=2_000)
    url = f"/classes/{classroom.pk}/"
    teacher_client.get(url)
    learner = classroom.learners().first()
    with django_assert_max_num_queries(20):
        response = teacher_client.get(url, {"lesson": LESSON, "show": "progress", "order": "least",
                                            "stuck_sort": "failed", "hint": learner.pk})
    assert response.status_code == 200 and 'id="hint-text"' in response.content.decode()


# --- hints ------------------------------------------------------------------------------------------


def lesson_sandbox(user, slug=LESSON):
    return Sandbox.start(by_slug(slug).scenario, user=user, lesson=slug, goals=by_slug(slug).sandbox_goals())


def test_the_hint_form_names_the_stuck_exercise_and_offers_the_lessons_hint(teacher_client, teacher):
    learner = make_user("slow")
    classroom = make_class(teacher, [learner])
    open_lesson(learner, minutes_ago=30)
    log(make_sandbox(learner), minutes_ago=1)
    url = f"/classes/{classroom.pk}/"
    assert 'id="hint-text"' not in teacher_client.get(url).content.decode()
    html = teacher_client.get(url, {"hint": learner.pk, "show": "stuck"}).content.decode()
    exercise = by_slug(LESSON).exercises[0]
    assert "slow 님에게 힌트 보내기" in html and f"연습 1: {exercise.prompt[:40]}" in html
    assert f'action="/classes/{classroom.pk}/learners/{learner.pk}/"' in html
    assert f'name="lesson" value="{LESSON}"' in html and f'name="next" value="{url}?show=stuck#stuck"' in html
    assert f">{escape(exercise.hints[0])}</textarea>" in html  # the lesson's first hint, to edit or send
    # Someone who is not a learner of this class gets no form.
    outsider = make_user("outsider")
    assert 'id="hint-text"' not in teacher_client.get(url, {"hint": outsider.pk}).content.decode()


def test_a_hint_reaches_the_learners_sandbox_as_an_announcement(teacher_client, teacher):
    learner = make_user("minji")
    classroom = make_class(teacher, [learner])
    other = lesson_sandbox(learner, OTHER)
    sandbox = lesson_sandbox(learner)
    version = sandbox.version
    back = f"/classes/{classroom.pk}/?show=stuck#stuck"

    response = teacher_client.post(f"/classes/{classroom.pk}/learners/{learner.pk}/",
                                   {"hint": "  replicas 값은\n숫자로 써 보세요  ", "lesson": LESSON, "next": back})

    assert response.status_code == 302 and response["Location"] == back
    entry = CommandLog.objects.get(source="system")
    assert entry.sandbox_id == sandbox.pk and entry.output == "강사 힌트: replicas 값은 숫자로 써 보세요"
    assert entry.text == "" and entry.ok
    sandbox.refresh_from_db()
    assert sandbox.version == version + 1  # a new version, so the live region looks for announcements again
    assert not other.commands.exists()
    page = teacher_client.get(back.split("#")[0]).content.decode()
    assert "minji 님의 ‘첫 디플로이먼트’ 샌드박스에 힌트를 보냈습니다" in page.replace("&#x27;", "'")
    # The learner's page shows it in the live region's alert.
    learner_client = Client()
    learner_client.force_login(learner)
    poll = learner_client.get(f"/sandbox/{sandbox.pk}/poll").content.decode()
    assert 'role="alert"' in poll and "강사 힌트: replicas 값은 숫자로 써 보세요" in poll
    # A lesson the learner has no sandbox for: their newest sandbox gets it instead.
    teacher_client.post(f"/classes/{classroom.pk}/learners/{learner.pk}/", {"hint": "확인", "lesson": "scaling-x"})
    assert CommandLog.objects.filter(source="system", sandbox=sandbox).count() == 2


@pytest.mark.parametrize(("hint", "says"), [
    ("", "보낼 힌트를 입력해 주세요"),
    ("   ", "보낼 힌트를 입력해 주세요"),
    ("가" * 301, "300자까지"),
    ("bad\x00byte", "쓸 수 없는 문자"),
])
def test_a_bad_hint_is_refused_with_a_reason_and_writes_nothing(teacher_client, teacher, hint, says):
    learner = make_user("minji")
    classroom = make_class(teacher, [learner])
    lesson_sandbox(learner)
    url = f"/classes/{classroom.pk}/learners/{learner.pk}/"
    response = teacher_client.post(url, {"hint": hint, "lesson": LESSON}, follow=True)
    assert response.status_code == 200 and says in response.content.decode()
    assert not CommandLog.objects.filter(source="system").exists()


def test_a_hint_to_a_learner_without_a_sandbox_says_so(teacher_client, teacher):
    learner = make_user("new")
    classroom = make_class(teacher, [learner])
    response = teacher_client.post(f"/classes/{classroom.pk}/learners/{learner.pk}/", {"hint": "안녕하세요"},
                                   follow=True)
    assert "샌드박스를 연 적이 없어" in response.content.decode()


def test_a_hint_goes_back_only_to_a_page_of_the_same_class(teacher_client, teacher):
    learner = make_user("minji")
    classroom = make_class(teacher, [learner])
    lesson_sandbox(learner)
    url = f"/classes/{classroom.pk}/learners/{learner.pk}/"
    for back in ("https://evil.example/", "//evil.example/", "/classes/999/", "/admin/"):
        response = teacher_client.post(url, {"hint": "확인", "next": back})
        assert response["Location"] == f"/classes/{classroom.pk}/#stuck", back


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
