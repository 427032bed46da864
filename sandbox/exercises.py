"""A sandbox's exercises: which are done, which hold right now, and the words the exercise panel shows.

A lesson sandbox carries its exercises' goals (``Sandbox.goals``, one engine goal per exercise). An exercise
is *done* once its goal has held (a ``GoalCompletion`` row, written the first time): done stays done, even
when a later exercise or a reset changes the cluster so that the goal no longer *holds*. The panel shows
both, quietly.

The prompts, hints and solutions belong to the lessons app, which this app must not import (lessons embeds
the sandbox, not the other way round): lessons registers a :class:`Guide` source at start-up, and a sandbox
without one (free play, a lesson since removed) shows its goals' own descriptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orchestrator import goals
from orchestrator.goals import GoalResult

from .models import GoalCompletion, Sandbox


@dataclass(frozen=True)
class ExerciseText:
    """What the learner reads for one exercise: the task, the lesson's hints in order, the solution, and a
    picture of the cluster the solution leaves (``presenters.target_picture``) where the lesson asks for one."""

    id: str
    prompt: str
    hints: tuple[str, ...] = ()
    solution: tuple[str, ...] = ()
    picture: dict | None = None


@dataclass(frozen=True)
class Guide:
    """A lesson's exercises in order, and where the learner goes once they are all done."""

    exercises: tuple[ExerciseText, ...]
    lesson_url: str = ""
    lesson_title: str = ""
    quiz_url: str = ""
    next_url: str = ""
    next_title: str = ""


@dataclass(frozen=True)
class Check:
    """One condition of an exercise (a member of its goal) and whether it holds now."""

    text: str
    holds: bool


@dataclass(frozen=True)
class Outcome:
    """One exercise in a sandbox: its goal's result now, and whether it was ever reached."""

    description: str
    result: GoalResult
    checks: tuple[Check, ...] = ()
    done: bool = False

    @property
    def holds(self) -> bool:
        return self.result.passed


_sources: list[Callable[[str], Guide | None]] = []


def register(source: Callable[[str], Guide | None]) -> None:
    """Let ``source(lesson_slug)`` supply the texts for lesson sandboxes (called once, at start-up)."""
    if source not in _sources:
        _sources.append(source)


def guide_for(lesson: str) -> Guide | None:
    for source in _sources:
        guide = source(lesson)
        if guide is not None:
            return guide
    return None


def outcomes(sandbox: Sandbox, sim, record: bool = True) -> list[Outcome]:
    """Each of the sandbox's exercises, evaluated on ``sim``. With ``record``, an exercise reached for the
    first time is stored as done; an instructor watching (``record=False``) must not do that for the
    learner."""
    if not sandbox.goals:
        return []
    done = set(sandbox.completions.values_list("goal_index", flat=True)) if sandbox.pk else set()
    out = []
    for index, spec in enumerate(sandbox.goals):
        try:
            goal = goals.load(spec)
        except goals.GoalError as exc:  # a lesson's typo must not break the learner's page
            out.append(Outcome("목표를 읽을 수 없습니다", GoalResult(False, str(exc))))
            continue
        result = goal.evaluate(sim)
        if result.passed and record and index not in done:
            GoalCompletion.objects.get_or_create(sandbox=sandbox, goal_index=index,
                                                 defaults={"commands": sandbox.commands.count()})
            done.add(index)
        out.append(Outcome(goal.describe(), result, _checks(goal, result), index in done))
    return out


def _checks(goal: goals.Goal, result: GoalResult) -> tuple[Check, ...]:
    """An "all of these" goal lists its members one by one; any other goal is one check."""
    members = getattr(goal, "goals", None)
    if isinstance(goal, goals.All) and members and len(members) == len(result.parts):
        return tuple(Check(member.describe(), part.passed) for member, part in zip(members, result.parts,
                                                                                   strict=True))
    return (Check(goal.describe(), result.passed),)


def panel(results: list[Outcome], guide: Guide | None) -> dict:
    """The exercise panel's data: the first exercise not yet done is the current one, opened; the others
    show their task on one line. Hints and the solution come from the lesson's own text only."""
    texts = guide.exercises if guide else ()
    items = []
    for index, outcome in enumerate(results):
        text = texts[index] if index < len(texts) else None
        items.append({
            "number": index + 1,
            "id": f"ex-{text.id}" if text else f"ex-{index + 1}",
            "prompt": text.prompt if text else outcome.description,
            "hints": list(text.hints) if text else [],
            "solution": list(text.solution) if text else [],
            "picture": text.picture if text else None,
            "done": outcome.done,
            "holds": outcome.holds,
            "checks": [{"text": c.text, "holds": c.holds} for c in outcome.checks],
        })
    current = next((i for i, item in enumerate(items) if not item["done"]), None)
    for i, item in enumerate(items):
        item["current"] = i == current
    done = sum(1 for item in items if item["done"])
    links = {}
    if guide:
        links = {"lesson_url": guide.lesson_url, "lesson_title": guide.lesson_title, "quiz_url": guide.quiz_url,
                 "next_url": guide.next_url, "next_title": guide.next_title}
    return {"items": items, "done": done, "total": len(items), "current": current,
            "now": items[current] if current is not None else None,
            "all_done": bool(items) and done == len(items), "links": links}
