"""The words a lesson's sandbox shows in its exercise panel: the lesson's own prompts, hints and solutions,
and where to go once every exercise is done. Registered with :mod:`sandbox.exercises` at start-up
(``LessonsConfig.ready``), since the sandbox app does not import this one."""

from __future__ import annotations

from django.urls import reverse

from orchestrator import Simulation
from sandbox.exercises import ExerciseText, Guide
from sandbox.presenters import target_picture

from .course import REPLAY_SEED, Lesson, all_lessons, by_slug


def guide(slug: str) -> Guide | None:
    lesson = by_slug(slug) if slug else None
    if lesson is None:
        return None
    following = _following(lesson)
    return _guide(lesson, following)


def _following(lesson: Lesson) -> Lesson | None:
    lessons = all_lessons()
    numbers = [item.number for item in lessons]
    at = numbers.index(lesson.number) if lesson.number in numbers else -1
    return lessons[at + 1] if 0 <= at < len(lessons) - 1 else None


# course.py parses a lesson again only when its file changes, so the same objects give the same guide.
_built: dict[str, tuple[Lesson, Lesson | None, Guide]] = {}


def _guide(lesson: Lesson, following: Lesson | None) -> Guide:
    kept = _built.get(lesson.slug)
    if kept and kept[0] is lesson and kept[1] is following:
        return kept[2]
    url = reverse("lesson-detail", args=[lesson.slug])
    built = Guide(
        exercises=tuple(ExerciseText(e.id, e.prompt, tuple(e.hints), tuple(e.solution), picture)
                        for e, picture in zip(lesson.exercises, _pictures(lesson), strict=True)),
        lesson_url=url, lesson_title=f"{lesson.number}. {lesson.title}",
        quiz_url=f"{url}#quiz-title" if lesson.quiz else "",
        next_url=reverse("lesson-detail", args=[following.slug]) if following else "",
        next_title=f"{following.number}. {following.title}" if following else "",
    )
    _built[lesson.slug] = (lesson, following, built)
    return built


def _pictures(lesson: Lesson) -> list[dict | None]:
    """For each exercise that asks for one, the cluster left by running every solution up to and including
    its own from the lesson's scenario (the engine is deterministic: the same picture every time)."""
    if not any(e.picture for e in lesson.exercises):
        return [None] * len(lesson.exercises)
    sim = Simulation.from_scenario(lesson.scenario, seed=REPLAY_SEED)
    pictures = []
    for exercise in lesson.exercises:
        for line in exercise.solution:
            sim.execute(line)
        pictures.append(target_picture(sim) if exercise.picture else None)
    return pictures
