"""Check lesson files the way the test suite does: ``python -m lessons.check [FILE ...]``.

For each exercise, the solutions of it and every earlier exercise are run, in order, from the lesson's
scenario; its goals must then hold, and must not hold before its own solution ran (an exercise that is
already done when the learner arrives teaches nothing).

The wording is checked too, on everything a learner reads (prose, prompts, hints, quiz): one Korean term for one
thing (``TERM_RULES``), kubectl's English words such as allocatable only beside their Korean term, no needless
plurals, and no two sentences in a row ending in 보자.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from orchestrator import Simulation

from .course import CONTENT_DIR, REPLAY_SEED, Lesson, LessonError, parse

MIN_HANGUL_SHARE = 0.5

# One Korean term for one thing, as the Korean Kubernetes docs (kubernetes.io/ko) write it: (wrong, right).
TERM_RULES = (
    ("포드", "파드"), ("팟", "파드"), ("디플로이먼드", "디플로이먼트"), ("레플리카세트", "레플리카셋"),
    ("네임 스페이스", "네임스페이스"), ("오토 스케일러", "오토스케일러"), ("되어지", "되"),
    ("부하 분산", "로드 밸런서/로드 밸런싱"), ("로드밸런서", "로드 밸런서"),
    ("자동 확장", "오토스케일러/오토스케일링"), ("Kubernetes 기초 학습", "쿠버네티스 기초 학습"),
    ("할당 가능량", "할당 가능 리소스"),
)
# kubectl prints these English words; in prose they follow the Korean term, as in 할당 가능(allocatable).
ENGLISH_WITH_KOREAN = {"allocatable": "할당 가능", "capacity": "용량"}
# The Korean docs avoid plurals that add nothing: 파드의 요청 합, not 파드들의 요청 합.
NEEDLESS_PLURALS = ("파드들", "노드들", "컨테이너들", "오브젝트들", "서비스들", "디플로이먼트들", "레플리카셋들",
                    "이미지들")
CODE = re.compile(r"```.*?```|<svg.*?</svg>|`[^`]*`|\]\([^)]*\)|<https?://[^>]*>", re.S)


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
    found.extend(wording_problems(lesson_text(lesson)))
    return found


def lesson_text(lesson: Lesson) -> str:
    """Everything a learner reads: the prose, and the front matter's title, prompts, hints and quiz."""
    parts = [lesson.title, lesson.summary, *lesson.objectives, lesson.body]
    for exercise in lesson.exercises:
        parts += [exercise.prompt, *exercise.hints]
    for question in lesson.quiz:
        parts += [question.question, *question.choices, question.explanation]
    return "\n\n".join(parts)


def wording_problems(text: str) -> list[str]:
    """The term and style rules on a lesson's text (code, figures and link targets are not prose)."""
    found = [f"use {right!r}, not {wrong!r}" for wrong, right in TERM_RULES if wrong in text]
    prose = CODE.sub(" ", text)
    for english, korean in ENGLISH_WITH_KOREAN.items():
        bare = re.findall(rf"(?<!{korean}\()(?<![A-Za-z]){english}(?![A-Za-z])", prose, flags=re.I)
        if bare:
            found.append(f"write {english!r} as {korean}({english}) or just {korean!r} ({len(bare)} bare)")
    found += [f"drop the needless plural in {word!r}" for word in NEEDLESS_PLURALS if word in prose]
    for sentence in re.findall(r"[^.?!\n]*보자\.[ \t]*\n?[ \t]*[^.?!\n]*보자\.", prose):
        found.append(f"two sentences in a row end in 보자: {sentence.strip()[:80]!r}")
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
