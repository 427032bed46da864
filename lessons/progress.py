"""A learner's progress through the course, computed from what they did (three queries for the whole course)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

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
