"""Lessons are files: ``lessons/content/NN-slug.md`` with YAML front matter and Korean Markdown prose.

This module reads and validates them (errors name the file and the field), renders the Markdown, and
caches both by file modification time, so editing a lesson needs no restart and serving one costs a
dictionary lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import yaml

from orchestrator import goals, scenario_names

CONTENT_DIR = Path(__file__).parent / "content"
FILENAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
HANGUL_PER_MINUTE = 500  # a comfortable reading pace for explanatory Korean prose
# What the hands-on parts add to the reading time. An exercise is: read the prompt, type one to five commands
# (two in most of our lessons, some with a pasted manifest), let simulated time run, look at the result with
# kubectl get, and now and then open a hint or retry after an error: about four minutes. A quiz question has
# two to four short choices and an explanation to read once answered: about a minute.
MINUTES_PER_EXERCISE = 4
MINUTES_PER_QUESTION = 1
TOP_KEYS = {"title", "summary", "order", "scenario", "objectives", "exercises", "quiz", "minutes"}
# The seed lessons/check.py replays every solution with; the exercise panel's 목표 모습 shows that same run.
REPLAY_SEED = 1
EXERCISE_KEYS = {"id", "prompt", "goals", "hints", "solution", "picture"}
QUIZ_KEYS = {"id", "question", "choices", "answer", "explanation"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class LessonError(ValueError):
    """A lesson file that cannot be used; the message starts with the file name and the field."""


@dataclass(frozen=True)
class Exercise:
    id: str
    prompt: str
    goals: list
    hints: list[str]
    solution: list[str]
    picture: bool = False  # show the cluster its solution leaves beside the learner's (목표 모습)

    def goal(self):
        """All of the exercise's goals as one engine goal."""
        return goals.load({"all": self.goals})


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    choices: list[str]
    answer: int
    explanation: str


@dataclass(frozen=True)
class Lesson:
    slug: str
    number: int
    title: str
    summary: str
    scenario: str
    objectives: list[str]
    exercises: list[Exercise]
    quiz: list[Question]
    body: str  # Markdown
    html: str
    toc: list[dict] = field(default_factory=list)
    minutes: int = 0  # reading time: front matter's ``minutes``, else counted from the prose's Hangul
    path: Path | None = None

    @property
    def reading_minutes(self) -> int:
        """The prose alone (``minutes`` under the name that sits beside ``total_minutes``)."""
        return self.minutes

    @property
    def exercise_minutes(self) -> int:
        return MINUTES_PER_EXERCISE * len(self.exercises)

    @property
    def quiz_minutes(self) -> int:
        return MINUTES_PER_QUESTION * len(self.quiz)

    @property
    def total_minutes(self) -> int:
        """The time a lesson takes: reading, then its exercises and quiz."""
        return self.reading_minutes + self.exercise_minutes + self.quiz_minutes

    def sandbox_goals(self) -> list[dict]:
        """One engine goal per exercise, in order: what the sandbox's exercise panel checks."""
        return [{"all": exercise.goals} for exercise in self.exercises]


def _fail(path: Path, where: str, message: str) -> LessonError:
    return LessonError(f"{path.name}: {where}: {message}")


def _text(path: Path, where: str, value, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise _fail(path, where, "a non-empty string is required")
    return value.strip()


def _strings(path: Path, where: str, value, at_least: int = 0) -> list[str]:
    if not isinstance(value, list) or len(value) < at_least:
        raise _fail(path, where, f"a list of at least {at_least} strings is required")
    return [_text(path, f"{where}[{i}]", v) for i, v in enumerate(value)]


def parse(path: Path) -> Lesson:
    """Read and validate one lesson file."""
    match = FILENAME.match(path.name)
    if not match:
        raise LessonError(f"{path.name}: the file name must look like 04-first-deployment.md")
    text = path.read_text(encoding="utf-8")
    parts = FRONT_MATTER.match(text)
    if not parts:
        raise _fail(path, "front matter", "the file must start with --- YAML --- and then Markdown")
    try:
        meta = yaml.safe_load(parts.group(1))
    except yaml.YAMLError as exc:
        raise _fail(path, "front matter", f"invalid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise _fail(path, "front matter", "must be a mapping")
    unknown = set(meta) - TOP_KEYS
    if unknown:
        raise _fail(path, ", ".join(sorted(unknown)), "unknown field")
    number = int(match.group(1))
    if meta.get("order", number) != number:
        raise _fail(path, "order", f"must match the file name's number ({number})")
    scenario = meta.get("scenario", "empty-project")
    if scenario not in scenario_names():
        raise _fail(path, "scenario", f"unknown scenario {scenario!r}; known: {', '.join(scenario_names())}")
    exercises = [_exercise(path, i, e) for i, e in enumerate(meta.get("exercises") or [])]
    ids = [e.id for e in exercises]
    if len(set(ids)) != len(ids):
        raise _fail(path, "exercises", "ids must be unique")
    quiz = [_question(path, i, q) for i, q in enumerate(meta.get("quiz") or [])]
    body = parts.group(2)
    html, toc = render(body)
    hangul = len(re.findall(r"[가-힣]", body))
    minutes = meta.get("minutes") or max(1, round(hangul / HANGUL_PER_MINUTE))
    return Lesson(
        slug=match.group(2), number=number, title=_text(path, "title", meta.get("title")),
        summary=_text(path, "summary", meta.get("summary")), scenario=scenario,
        objectives=_strings(path, "objectives", meta.get("objectives", []), at_least=1),
        exercises=exercises, quiz=quiz, body=body, html=html, toc=toc, minutes=int(minutes), path=path,
    )


def _exercise(path: Path, index: int, spec) -> Exercise:
    where = f"exercises[{index}]"
    if not isinstance(spec, dict):
        raise _fail(path, where, "must be a mapping")
    unknown = set(spec) - EXERCISE_KEYS
    if unknown:
        raise _fail(path, f"{where}.{sorted(unknown)[0]}", "unknown field")
    exercise_id = _text(path, f"{where}.id", spec.get("id"))
    if not SLUG.match(exercise_id):
        raise _fail(path, f"{where}.id", "lowercase letters, digits and hyphens only")
    picture = spec.get("picture", False)
    if not isinstance(picture, bool):
        raise _fail(path, f"{where}.picture", "true or false")
    goal_specs = spec.get("goals")
    if not isinstance(goal_specs, list) or not goal_specs:
        raise _fail(path, f"{where}.goals", "a non-empty list of goals is required")
    try:
        goals.load({"all": goal_specs}, where=f"{where}.goals")
    except goals.GoalError as exc:
        raise LessonError(f"{path.name}: {exc}") from None
    return Exercise(id=exercise_id, prompt=_text(path, f"{where}.prompt", spec.get("prompt")), goals=goal_specs,
                    hints=_strings(path, f"{where}.hints", spec.get("hints", []), at_least=1),
                    solution=_strings(path, f"{where}.solution", spec.get("solution", []), at_least=1),
                    picture=picture)


def _question(path: Path, index: int, spec) -> Question:
    where = f"quiz[{index}]"
    if not isinstance(spec, dict):
        raise _fail(path, where, "must be a mapping")
    unknown = set(spec) - QUIZ_KEYS
    if unknown:
        raise _fail(path, f"{where}.{sorted(unknown)[0]}", "unknown field")
    choices = _strings(path, f"{where}.choices", spec.get("choices"), at_least=2)
    answer = spec.get("answer")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
        raise _fail(path, f"{where}.answer", f"the index (from 0) of the right choice, below {len(choices)}")
    question_id = _text(path, f"{where}.id", spec.get("id"))
    if not SLUG.match(question_id):
        raise _fail(path, f"{where}.id", "lowercase letters, digits and hyphens only")
    return Question(id=question_id, question=_text(path, f"{where}.question", spec.get("question")),
                    choices=choices, answer=answer, explanation=_text(path, f"{where}.explanation",
                                                                     spec.get("explanation")))


def _slugify(value: str, separator: str) -> str:
    """Heading anchors that keep Hangul (Python-Markdown's default slugify drops it)."""
    value = re.sub(r"[^\w\s-]", "", value, flags=re.U).strip().lower()
    return re.sub(r"[\s_-]+", separator, value)


def render(body: str) -> tuple[str, list[dict]]:
    """Markdown -> (HTML, table of contents). Code is highlighted with CSS classes (no inline styles)."""
    md = markdown.Markdown(
        extensions=["fenced_code", "codehilite", "tables", "toc", "admonition", "attr_list", "md_in_html"],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": _slugify, "permalink": False, "toc_depth": "2-3"},
        },
        output_format="html",
    )
    html = md.convert(body)
    # Wide code blocks and tables scroll sideways; keyboard users need to be able to focus them to scroll.
    html = html.replace('<div class="highlight">', '<div class="highlight" tabindex="0">')
    html = html.replace("<table>", '<table tabindex="0">')
    return html, md.toc_tokens


_CACHE: dict[Path, tuple[float, Lesson]] = {}


def load(path: Path) -> Lesson:
    """A lesson, parsed and rendered once per file modification."""
    mtime = path.stat().st_mtime
    cached = _CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    lesson = parse(path)
    _CACHE[path] = (mtime, lesson)
    return lesson


def all_lessons() -> list[Lesson]:
    """Every lesson in course order."""
    return [load(p) for p in sorted(CONTENT_DIR.glob("*.md"))]


def by_slug(slug: str) -> Lesson | None:
    for path in CONTENT_DIR.glob(f"*-{slug}.md"):
        match = FILENAME.match(path.name)
        if match and match.group(2) == slug:
            return load(path)
    return None
