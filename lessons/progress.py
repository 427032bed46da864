"""A learner's progress through the course, computed from what they did (three queries for the whole course)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sandbox.models import GoalCompletion, Sandbox

from .course import Lesson
from .models import Learner, LessonProgress, QuizAnswer


@dataclass
class LessonState:
    lesson: Lesson
    opened: bool = False
    finished: bool = False
    last_seen: object = None
    exercises_done: dict[int, dict] = field(default_factory=dict)  # exercise index -> {"at", "commands"}
    answers: dict[str, dict] = field(default_factory=dict)  # question id -> {"choice", "correct"}
    progress_id: int | None = None  # the LessonProgress row, when lesson_state read it

    @property
    def total(self) -> int:
        return len(self.lesson.exercises) + len(self.lesson.quiz)

    @property
    def done(self) -> int:
        return len(self.exercises_done) + len(self.answers)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.opened else 0
        return round(100 * self.done / self.total)


def course_state(learner: Learner, lessons: list[Lesson]) -> dict[str, LessonState]:
    states = {lesson.slug: LessonState(lesson) for lesson in lessons}
    if not learner.known:
        return states
    for row in LessonProgress.objects.of(learner).values("lesson", "last_seen", "finished_at"):
        state = states.get(row["lesson"])
        if state:
            state.opened, state.last_seen, state.finished = True, row["last_seen"], row["finished_at"] is not None
    sandboxes = Sandbox.objects.filter(**learner.filter()).exclude(lesson="")
    for row in GoalCompletion.objects.filter(sandbox__in=sandboxes).values(
            "sandbox__lesson", "goal_index", "completed_at", "commands"):
        state = states.get(row["sandbox__lesson"])
        if state and row["goal_index"] < len(state.lesson.exercises):
            state.exercises_done[row["goal_index"]] = {"at": row["completed_at"], "commands": row["commands"]}
    for row in QuizAnswer.objects.of(learner).values("lesson", "question", "choice", "correct"):
        state = states.get(row["lesson"])
        if state:
            state.answers[row["question"]] = {"choice": row["choice"], "correct": row["correct"]}
    return states


def mark_finished_if_complete(learner: Learner, state: LessonState) -> None:
    """A lesson is finished once every exercise is done and every question answered."""
    if state.opened and not state.finished and state.total and state.done == state.total:
        LessonProgress.objects.of(learner).filter(lesson=state.lesson.slug, finished_at__isnull=True).update(
            finished_at=timezone.now())
        state.finished = True


def overall(states: dict[str, LessonState]) -> int:
    total = sum(s.total for s in states.values())
    return round(100 * sum(s.done for s in states.values()) / total) if total else 0


def continue_with(states: dict[str, LessonState]) -> LessonState | None:
    """Where to pick up: the most recently seen unfinished lesson, else the first not opened."""
    seen = [s for s in states.values() if s.opened and not s.finished]
    if seen:
        return max(seen, key=lambda s: s.last_seen)
    return next((s for s in states.values() if not s.opened), None)


def lesson_state(learner: Learner, lesson: Lesson) -> LessonState:
    """One lesson's state for the lesson page, as :func:`course_state` would give it, in one round trip.

    The lesson page is the most read page of the site, and Django's query building costs more than the rest
    of a cached page: so the learner's progress row, exercise completions and quiz answers for this lesson
    come back from one UNION query, written once here. Rows are (kind, name, number, at, finished_at,
    count, correct): ``p`` the progress row (number = its id), ``g`` a completed exercise, ``q`` an answer.
    """
    state = LessonState(lesson)
    if not learner.known:
        return state
    for kind, name, number, at, finished_at, count, correct in _lesson_rows(learner, lesson.slug):
        if kind == "p":
            state.opened, state.last_seen, state.finished = True, _aware(at), finished_at is not None
            state.progress_id = number
        elif kind == "g":
            if number < len(lesson.exercises):
                state.exercises_done[number] = {"at": _aware(at), "commands": count}
        elif name in {q.id for q in lesson.quiz}:
            state.answers[name] = {"choice": number, "correct": bool(correct)}
    return state


def _lesson_rows(learner: Learner, slug: str) -> list[tuple]:
    progress, answer = LessonProgress._meta.db_table, QuizAnswer._meta.db_table
    sandbox, completion = Sandbox._meta.db_table, GoalCompletion._meta.db_table
    if learner.user is not None:
        who, params = "{t}.owner_user_id = %s", [learner.user.pk]
    else:
        who, params = "{t}.owner_user_id IS NULL AND {t}.owner_session = %s", [learner.session]
    sql = (
        # The first branch names every column's type: PostgreSQL types a UNION's columns from left to right.
        f"SELECT 'p', CAST(NULL AS TEXT), p.id, p.last_seen, p.finished_at, CAST(NULL AS INTEGER), "
        f"CAST(NULL AS BOOLEAN) FROM {progress} p "
        f"WHERE {who.format(t='p')} AND p.lesson = %s "
        f"UNION ALL SELECT 'g', NULL, g.goal_index, g.completed_at, NULL, g.commands, NULL FROM {completion} g "
        f"JOIN {sandbox} s ON s.id = g.sandbox_id WHERE {who.format(t='s')} AND s.lesson = %s "
        f"UNION ALL SELECT 'q', a.question, a.choice, NULL, NULL, NULL, a.correct FROM {answer} a "
        f"WHERE {who.format(t='a')} AND a.lesson = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, slug, *params, slug, *params, slug])
        return cursor.fetchall()


def _aware(value):
    """A datetime from a UNION column: SQLite gives text (its type is lost in the UNION), PostgreSQL an aware
    datetime; stored values are UTC either way."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
