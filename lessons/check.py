"""Check lesson files the way the test suite does: ``python -m lessons.check [FILE ...]``.

For each exercise, the solutions of it and every earlier exercise are run, in order, from the lesson's
scenario; its goals must then hold, and must not hold before its own solution ran (an exercise that is
already done when the learner arrives teaches nothing).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from orchestrator import Simulation

from .course import CONTENT_DIR, REPLAY_SEED, Lesson, LessonError, parse

MIN_HANGUL_SHARE = 0.5


def problems(lesson: Lesson) -> list[str]:
    found = []
    sim = Simulation.from_scenario(lesson.scenario, seed=REPLAY_SEED)
    for exercise in lesson.exercises:
        goal = exercise.goal()
        if goal.evaluate(sim).passed:
            found.append(f"{exercise.id}: the goals already hold before its solution runs")
        for line in exercise.solution:
            result = sim.execute(line)
            if not result.ok:
                found.append(f"{exercise.id}: solution command failed: {line!r}: {result.text[:200]}")
        outcome = goal.evaluate(sim)
        if not outcome.passed:
            found.append(f"{exercise.id}: the solution does not reach the goals: {outcome.message}")
    letters = re.findall(r"[A-Za-z가-힣]", re.sub(r"```.*?```|<svg.*?</svg>|`[^`]*`", "", lesson.body, flags=re.S))
    hangul = sum(1 for ch in letters if "가" <= ch <= "힣")
    if letters and hangul / len(letters) < MIN_HANGUL_SHARE:
        found.append(f"prose is only {hangul / len(letters):.0%} Hangul")
    for wrong, right in (("포드", "파드"), ("디플로이먼드", "디플로이먼트"), ("레플리카세트", "레플리카셋"),
                         ("네임 스페이스", "네임스페이스")):
        if wrong in lesson.body:
            found.append(f"use {right!r}, not {wrong!r}")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(CONTENT_DIR.glob("*.md"))
    status = 0
    for path in paths:
        try:
            lesson = parse(path)
        except LessonError as exc:
            print(f"FAIL {exc}")
            status = 1
            continue
        issues = problems(lesson)
        hangul = len(re.findall(r"[가-힣]", lesson.body))
        print(f"{'FAIL' if issues else 'ok  '} {path.name}: {hangul:,} Hangul characters, "
              f"{len(lesson.exercises)} exercises, {len(lesson.quiz)} questions")
        for issue in issues:
            print(f"     - {issue}")
        status |= bool(issues)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
