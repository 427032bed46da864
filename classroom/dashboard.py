"""What an instructor's dashboard shows about a class, computed in a handful of queries.

Every function here reads a whole class at once (never one query per learner): the matrix takes five
queries, the stuck list and the active learners one more, whatever the class size. Rows are read with
``values()`` so no sandbox snapshot (a large JSON document) is ever loaded for the overview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.utils import timezone

from lessons.course import Lesson, all_lessons
from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import CommandLog, GoalCompletion

from .models import Classroom

ACTIVE_WINDOW = timedelta(minutes=15)  # "active now": a command or a lesson page seen this recently
STUCK_AFTER = timedelta(minutes=15)  # this long on one exercise, still typing, counts as stuck
RECENT_COMMANDS = 10  # how many of a learner's latest commands the failure rule looks at
STUCK_FAILURES = 5  # ... and how many of them must have failed
RECENT_WINDOW = timedelta(minutes=30)  # older commands say nothing about whether someone is stuck now
OUTPUT_HEAD = 300  # characters of a failed command's output shown next to it


@dataclass
class Column:
    lesson: Lesson
    due: datetime | None = None
    past_due: bool = False


@dataclass
class Cell:
    lesson: Lesson
    status: str = "none"  # "done" | "progress" | "none"
    exercises_done: int = 0
    exercises_total: int = 0
    quiz_answered: int = 0
    quiz_total: int = 0
    finished_at: datetime | None = None
    overdue: bool = False

    @property
    def label(self) -> str:
        return {"done": "완료", "progress": "진행 중", "none": "시작 전"}[self.status]


@dataclass
class Row:
    user: object
    cells: list[Cell]
    last_active: datetime | None = None
    focus: Cell | None = None  # with one lesson chosen on the dashboard: its cell ...
    marks: list[bool] = field(default_factory=list)  # ... and each of its exercises, done or not

    @property
    def finished(self) -> int:
        return sum(1 for cell in self.cells if cell.status == "done")

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.cells if cell.overdue)


@dataclass
class Bar:
    """How many learners completed one exercise."""

    lesson: Lesson
    index: int
    count: int
    total: int

    @property
    def exercise(self):
        return self.lesson.exercises[self.index]

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[Row]
    bars: list[Bar]
    assigned: bool  # False: no assignments yet, so the columns are the whole course
    now: datetime
    # Per learner and lesson, what the stuck rule needs beyond the cells.
    progress: dict[tuple[int, str], dict] = field(default_factory=dict)
    completed_at: dict[tuple[int, str], datetime] = field(default_factory=dict)
    exercises: dict[tuple[int, str], set[int]] = field(default_factory=dict)

    def bars_by_lesson(self) -> list[tuple[Lesson, list[Bar]]]:
        out: dict[str, tuple[Lesson, list[Bar]]] = {}
        for bar in self.bars:
            out.setdefault(bar.lesson.slug, (bar.lesson, []))[1].append(bar)
        return list(out.values())


@dataclass
class Stuck:
    user: object
    reasons: list[str]
    lesson: Lesson | None = None  # where: the lesson long on one exercise, else the one the failures were in
    exercise_index: int | None = None
    minutes: int = 0
    failed: int = 0
    recent: int = 0
    failures: list[dict] = field(default_factory=list)  # the failed commands, newest first

    @property
    def exercise(self):
        return self.lesson.exercises[self.exercise_index] if self.lesson and self.exercise_index is not None else None

    @property
    def last_failure(self) -> dict | None:
        return self.failures[0] if self.failures else None


# How the stuck list may be sorted: a key of the dashboard's ``stuck_sort`` parameter → (label, sort key).
STUCK_ORDERS = {
    "urgent": ("급한 순", lambda s: (-len(s.reasons), -s.minutes, -s.failed, s.user.username)),
    "name": ("수강생", lambda s: s.user.username),
    "lesson": ("레슨", lambda s: (s.lesson.number if s.lesson else 999, s.exercise_index or 0, s.user.username)),
    "minutes": ("머문 시간", lambda s: (-s.minutes, -s.failed, s.user.username)),
    "failed": ("실패", lambda s: (-s.failed, -s.minutes, s.user.username)),
}

# The matrix's filters (the dashboard's ``show`` parameter) and orders (``order``): value → label.
SHOWS = {"all": "모든 수강생", "stuck": "막힌 수강생", "progress": "진행 중", "none": "시작 전",
         "overdue": "마감 지남", "active": "최근 15분 활동"}
ORDERS = {"name": "이름순", "least": "진도 낮은 순", "most": "진도 높은 순"}


def columns_for(classroom: Classroom, now: datetime | None = None) -> tuple[list[Column], bool]:
    """The class's assigned lessons in course order, or every lesson when nothing is assigned yet."""
    now = now or timezone.now()
    lessons = {lesson.slug: lesson for lesson in all_lessons()}
    due = {a.lesson: a.due for a in classroom.assignments.all() if a.lesson in lessons}
    if not due:
        return [Column(lesson) for lesson in lessons.values()], False
    columns = [Column(lessons[slug], when, when is not None and when < now) for slug, when in due.items()]
    return sorted(columns, key=lambda c: c.lesson.number), True


def progress_matrix(classroom: Classroom, now: datetime | None = None) -> Matrix:
    """Learners × lessons: done (with time), in progress (exercises and quiz so far), not started; overdue
    where an assignment's due date has passed and the lesson is not done. Five queries."""
    now = now or timezone.now()
    columns, assigned = columns_for(classroom, now)
    slugs = [c.lesson.slug for c in columns]
    users = list(classroom.learners().only("id", "username", "first_name", "last_name"))

    progress: dict[tuple[int, str], dict] = {}
    last_seen: dict[int, datetime] = {}
    for row in LessonProgress.objects.filter(owner_user__memberships__classroom=classroom).values(
            "owner_user", "lesson", "opened_at", "last_seen", "finished_at"):
        progress[(row["owner_user"], row["lesson"])] = row
        if row["last_seen"] and (row["owner_user"] not in last_seen or row["last_seen"] > last_seen[row["owner_user"]]):
            last_seen[row["owner_user"]] = row["last_seen"]

    done: dict[tuple[int, str], set[int]] = {}
    completed_at: dict[tuple[int, str], datetime] = {}
    # Every lesson's completions, not only the columns': the stuck rule looks at unassigned lessons too.
    for row in GoalCompletion.objects.filter(sandbox__owner_user__memberships__classroom=classroom).exclude(
            sandbox__lesson="").values(
            "sandbox__owner_user", "sandbox__lesson", "goal_index", "completed_at"):
        key = (row["sandbox__owner_user"], row["sandbox__lesson"])
        done.setdefault(key, set()).add(row["goal_index"])
        if key not in completed_at or row["completed_at"] > completed_at[key]:
            completed_at[key] = row["completed_at"]

    answered: dict[tuple[int, str], set[str]] = {}
    answered_at: dict[tuple[int, str], datetime] = {}
    for row in QuizAnswer.objects.filter(owner_user__memberships__classroom=classroom, lesson__in=slugs).values(
            "owner_user", "lesson", "question", "answered_at"):
        key = (row["owner_user"], row["lesson"])
        answered.setdefault(key, set()).add(row["question"])
        answered_at[key] = max(answered_at.get(key, row["answered_at"]), row["answered_at"])

    counts = {(c.lesson.slug, i): 0 for c in columns for i in range(len(c.lesson.exercises))}
    rows = []
    for user in users:
        cells = []
        for column in columns:
            lesson, key = column.lesson, (user.pk, column.lesson.slug)
            exercises = {i for i in done.get(key, ()) if i < len(lesson.exercises)}
            questions = answered.get(key, set()) & {q.id for q in lesson.quiz}
            for i in exercises:
                counts[(lesson.slug, i)] += 1
            cell = Cell(lesson, exercises_done=len(exercises), exercises_total=len(lesson.exercises),
                        quiz_answered=len(questions), quiz_total=len(lesson.quiz))
            seen = progress.get(key)
            total = cell.exercises_total + cell.quiz_total
            complete = bool(total) and cell.exercises_done + cell.quiz_answered == total
            if seen and seen["finished_at"]:
                cell.status, cell.finished_at = "done", seen["finished_at"]
            elif complete:  # finished but the lesson page has not been opened again to record it
                cell.status = "done"
                cell.finished_at = max(t for t in (completed_at.get(key), answered_at.get(key)) if t)
            elif seen or exercises or questions:
                cell.status = "progress"
            cell.overdue = column.past_due and cell.status != "done"
            cells.append(cell)
        rows.append(Row(user, cells, last_seen.get(user.pk)))
    bars = [Bar(c.lesson, i, counts[(c.lesson.slug, i)], len(users))
            for c in columns for i in range(len(c.lesson.exercises))]
    return Matrix(columns, rows, bars, assigned, now, progress, completed_at, done)


def recent_commands(classroom: Classroom, now: datetime | None = None) -> dict[int, list[dict]]:
    """Each learner's last few commands (typed or buttons, not system announcements) of the last half
    hour, newest first. One query: a window function ranks each learner's commands."""
    now = now or timezone.now()
    ranked = (CommandLog.objects
              .filter(sandbox__owner_user__memberships__classroom=classroom, created__gte=now - RECENT_WINDOW)
              .exclude(source="system")
              .annotate(rank=Window(RowNumber(), partition_by=[F("sandbox__owner_user")], order_by=F("pk").desc()),
                        head=Substr("output", 1, OUTPUT_HEAD))
              .filter(rank__lte=RECENT_COMMANDS)
              .values("pk", "sandbox__owner_user", "sandbox__lesson", "sandbox_id", "text", "head", "ok", "created"))
    out: dict[int, list[dict]] = {}
    for row in ranked:
        out.setdefault(row["sandbox__owner_user"], []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["pk"], reverse=True)
    return out


def active_learners(matrix: Matrix, recent: dict[int, list[dict]]) -> list[Row]:
    """Learners who ran a command or had a lesson open in the last 15 minutes, most recent first."""
    since = matrix.now - ACTIVE_WINDOW
    active = []
    for row in matrix.rows:
        times = [t for t in (row.last_active, recent[row.user.pk][0]["created"] if recent.get(row.user.pk) else None)
                 if t]
        latest = max(times, default=None)
        if latest and latest >= since:
            row.last_active = latest
            active.append(row)
    return sorted(active, key=lambda r: r.last_active, reverse=True)


def stuck_learners(classroom: Classroom, matrix: Matrix | None = None,
                   recent: dict[int, list[dict]] | None = None) -> list[Stuck]:
    """Learners who need a hand: still working on one exercise for 15 minutes or more (lesson open that
    long, the exercise not done, commands in that lesson's sandbox in the last 15 minutes), or whose recent
    commands mostly fail (5 or more of their last 10). Pass the matrix and recent commands when you have
    them already; otherwise this costs six queries."""
    matrix = matrix or progress_matrix(classroom)
    recent = recent if recent is not None else recent_commands(classroom, matrix.now)
    now = matrix.now
    lessons = {lesson.slug: lesson for lesson in all_lessons()}
    out = []
    for row in matrix.rows:
        commands = recent.get(row.user.pk, [])
        if not commands:
            continue
        stuck = Stuck(row.user, [], recent=len(commands))
        failures = [c for c in commands if not c["ok"]]
        if len(failures) >= STUCK_FAILURES:
            stuck.failed, stuck.failures = len(failures), failures
            # The lesson the latest failure was typed in (free play has none): where to walk over to.
            where = lessons.get(failures[0]["sandbox__lesson"])
            if where is not None:
                stuck.lesson = where
                stuck.exercise_index = _next_exercise(where, matrix, (row.user.pk, where.slug))
            place = f"‘{where.title}’에서 " if where else "자유 실습에서 "
            stuck.reasons.append(f"{place}최근 명령 {len(commands)}개 중 {len(failures)}개가 실패했습니다.")
        for slug in dict.fromkeys(c["sandbox__lesson"] for c in commands if c["created"] >= now - ACTIVE_WINDOW):
            lesson, key = lessons.get(slug), (row.user.pk, slug)
            seen = matrix.progress.get(key)
            if lesson is None or not lesson.exercises or not seen or seen["finished_at"]:
                continue
            index = _next_exercise(lesson, matrix, key)
            if index is None:
                continue
            since = max(t for t in (seen["opened_at"], matrix.completed_at.get(key)) if t)
            if now - since >= STUCK_AFTER:
                stuck.lesson, stuck.exercise_index = lesson, index
                stuck.minutes = int((now - since).total_seconds() // 60)
                stuck.reasons.append(f"‘{lesson.title}’ 연습 {index + 1}에 {stuck.minutes}분째 머물러 있습니다.")
                if not stuck.failures:
                    stuck.failures = failures
                    stuck.failed = len(failures)
                break
        if stuck.reasons:
            out.append(stuck)
    # The longest-stuck and most-failing first: where the instructor should walk over to.
    return sorted(out, key=STUCK_ORDERS["urgent"][1])


def visible_rows(matrix: Matrix, show: str = "all", lesson: str = "", order: str = "name", query: str = "",
                 stuck: set[int] | frozenset[int] = frozenset(), active: set[int] | frozenset[int] = frozenset()
                 ) -> list[Row]:
    """The matrix rows the instructor asked for: ``show`` one of SHOWS (judged on ``lesson``'s cell when
    one is given, else on the whole row), names containing ``query``, in one of ORDERS."""
    index = next((i for i, c in enumerate(matrix.columns) if c.lesson.slug == lesson), None)

    def cells(row: Row) -> list[Cell]:
        return [row.cells[index]] if index is not None else row.cells

    tests = {
        "stuck": lambda row: row.user.pk in stuck,
        "active": lambda row: row.user.pk in active,
        "progress": lambda row: any(c.status == "progress" for c in cells(row)),
        "none": lambda row: all(c.status == "none" for c in cells(row)),
        "overdue": lambda row: any(c.overdue for c in cells(row)),
    }
    test = tests.get(show, lambda row: True)
    query = query.strip().casefold()
    rows = [r for r in matrix.rows if test(r) and query in r.user.username.casefold()]

    def done(row: Row) -> tuple[int, int]:
        return sum(c.status == "done" for c in cells(row)), sum(c.exercises_done for c in cells(row))

    if order == "least":
        rows.sort(key=lambda r: (done(r), r.user.username))
    elif order == "most":
        rows.sort(key=lambda r: (tuple(-n for n in done(r)), r.user.username))
    return rows


def _next_exercise(lesson: Lesson, matrix: Matrix, key: tuple[int, str]) -> int | None:
    """The first exercise of ``lesson`` the learner has not completed, or None when all are done."""
    completed = matrix.exercises.get(key, set())
    return next((i for i in range(len(lesson.exercises)) if i not in completed), None)
