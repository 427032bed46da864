from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST, require_safe

from lessons.showcase import showcase
from sandbox.models import Sandbox
from sandbox.views import widget_context

from . import course
from . import glossary as glossary_terms
from .course import all_lessons, by_slug
from .models import Learner, LessonProgress, QuizAnswer
from .progress import LessonState, continue_with, course_state, lesson_state, mark_finished_if_complete, overall

SEARCH_MAX_QUERY = 100
SEEN_RESOLUTION = timedelta(minutes=1)
COURSE_RECHECK_SECONDS = 1.0  # how stale the lesson page's view of the content folder may be
PAGE_STATES_KEPT = 64  # rendered states per lesson, per process


# require_safe (GET and HEAD) rather than require_GET: link checkers and uptime monitors send HEAD.
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    lessons = all_lessons()
    states = course_state(Learner.of(request), lessons)
    return render(request, "lessons/home.html", {
        "showcase": showcase(), "states": list(states.values()), "overall": overall(states),
        "next": continue_with(states), "started": any(s.opened for s in states.values()),
        "stages": _stages(states), "assignments": _assignments(request, states),
        "exercise_count": sum(len(lesson.exercises) for lesson in lessons),
        "course_time": _duration(sum(lesson.total_minutes for lesson in lessons)),
    })


def _assignments(request, states) -> list[dict]:
    """The signed-in learner's assigned lessons from the classes they joined, soonest due first."""
    if not request.user.is_authenticated:
        return []
    from classroom.models import Assignment

    rows = Assignment.objects.filter(classroom__memberships__user=request.user, classroom__archived=False)
    out = []
    for assignment in rows.select_related("classroom").order_by("due", "lesson"):
        state = states.get(assignment.lesson)
        if state is not None:
            out.append({"assignment": assignment, "state": state,
                        "overdue": bool(assignment.due and assignment.due < timezone.now() and not state.finished)})
    return out


# The course's arc, shown as groups of lesson cards on the home and course pages: (title, the number of its
# first lesson, what it covers). A stage runs up to the next stage's first lesson.
STAGES = (
    ("컨테이너와 쿠버네티스 기초", 1,
     "컨테이너가 무엇을 바꿨는지 보고, 노드(Node)와 파드, 디플로이먼트(Deployment)로 첫 애플리케이션을 띄웁니다."),
    ("워크로드 운영", 5,
     "스케줄링과 리소스 요청, 스케일링, 자가 치유, 서비스, 오토스케일링, 롤링 업데이트, YAML 매니페스트를 다룹니다."),
    ("GKE에서 운영하기", 12,
     "클러스터와 노드 풀, Autopilot을 익히고 마지막으로 이 코스 사이트를 GKE에 올립니다."),
)


def _stages(states: dict[str, LessonState]) -> list[dict]:
    """The lessons' states grouped by stage, with each stage's time and finished count; empty stages left out."""
    stages = [{"number": i, "title": title, "summary": summary, "first": first, "states": []}
              for i, (title, first, summary) in enumerate(STAGES, start=1)]
    for state in states.values():
        stage = next((s for s in reversed(stages) if state.lesson.number >= s["first"]), stages[0])
        stage["states"].append(state)
    for stage in stages:
        stage["finished"] = sum(1 for s in stage["states"] if s.finished)
        stage["time"] = _duration(sum(s.lesson.total_minutes for s in stage["states"]))
    return [stage for stage in stages if stage["states"]]


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}분"
    return f"{hours}시간 {rest}분" if rest else f"{hours}시간"


@require_safe
def lesson_list(request: HttpRequest) -> HttpResponse:
    lessons = all_lessons()
    states = course_state(Learner.of(request), lessons)
    return render(request, "lessons/list.html", {
        "stages": _stages(states), "overall": overall(states), "next": continue_with(states),
    })


def _lesson_sandbox(request, learner: Learner, lesson) -> Sandbox:
    """The learner's sandbox for this lesson, started from the lesson's scenario on the first visit."""
    sandbox = Sandbox.objects.filter(**learner.filter(), lesson=lesson.slug).order_by("-created").first()
    goals = lesson.sandbox_goals()
    if sandbox is None:
        sandbox = Sandbox.start(lesson.scenario, user=learner.user, session_key=learner.session,
                                lesson=lesson.slug, goals=goals)
    elif sandbox.goals != goals:  # the lesson's exercises were edited since
        Sandbox.objects.filter(pk=sandbox.pk).update(goals=goals)
        sandbox.goals = goals
    return sandbox


@require_GET
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = _lesson_and_neighbours(slug)
    if found is None:
        raise Http404("레슨을 찾을 수 없습니다.")
    lesson, previous, following = found
    learner = Learner.of(request, create=True)
    state = lesson_state(learner, lesson)
    now = timezone.now()
    if state.progress_id is None:
        LessonProgress.objects.get_or_create(**learner.owner(), lesson=slug)
        state.opened, state.last_seen = True, now
    elif now - state.last_seen > SEEN_RESOLUTION:  # "continue where you left off" needs minutes, not seconds
        LessonProgress.objects.filter(pk=state.progress_id).update(last_seen=now)
    mark_finished_if_complete(learner, state)
    return HttpResponse(_lesson_page(request, lesson, previous, following, state))


# The course as the lesson page sees it: each lesson with its neighbours, read again from the content folder
# (course.py re-parses only files whose modification time changed) at most once a second per process.
_course_seen = SimpleNamespace(at=float("-inf"), folder=None, lessons={})
_course_lock = threading.Lock()


def _lesson_and_neighbours(slug: str):
    now = time.monotonic()
    with _course_lock:
        if _course_seen.folder != course.CONTENT_DIR or now - _course_seen.at > COURSE_RECHECK_SECONDS:
            lessons = all_lessons()
            _course_seen.lessons = {
                item.slug: (item, lessons[i - 1] if i > 0 else None, lessons[i + 1] if i + 1 < len(lessons) else None)
                for i, item in enumerate(lessons)}
            _course_seen.at, _course_seen.folder = now, course.CONTENT_DIR
        return _course_seen.lessons.get(slug)


# A lesson page is drawn once per lesson and per state that it shows (signed in or not, progress, exercises
# done, quiz answers) in each process, and then served by filling in what belongs to the request: the CSRF
# token, the CSP nonce and the signed-in user's name. Those are drawn as random markers that no lesson text
# contains, so a kept page holds nothing of any learner: the state it shows is the key it is kept under,
# shared by every learner in that state. The page is drawn without the request (no context processors), from
# exactly the context below; tests/lessons/test_views.py checks it against Django's own rendering.
_MARK = secrets.token_hex(8)
CSRF_MARK, NONCE_MARK, USERNAME_MARK = f"csrf{_MARK}", f"nonce{_MARK}", f"user{_MARK}"
_MARKS = re.compile(f"({CSRF_MARK}|{NONCE_MARK}|{USERNAME_MARK})")
_pages: dict[str, tuple] = {}  # slug -> (lesson, previous, next, OrderedDict of state key -> html)
_pages_lock = threading.Lock()


def _lesson_page(request, lesson, previous, following, state: LessonState) -> bytes:
    signed_in = request.user.is_authenticated
    key = (signed_in, state.percent, tuple(sorted(state.exercises_done)),
           tuple(sorted((q, a["choice"], a["correct"]) for q, a in state.answers.items())))
    with _pages_lock:
        kept = _pages.get(lesson.slug)
        if kept is None or kept[:3] != (lesson, previous, following) or settings.DEBUG:
            kept = _pages[lesson.slug] = (lesson, previous, following, OrderedDict())
        parts = kept[3].get(key)
    if parts is None:
        html = render_to_string("lessons/detail.html", {
            "lesson": lesson, "state": state, "previous": previous, "next": following,
            "request": SimpleNamespace(resolver_match=SimpleNamespace(url_name="lesson-detail")),
            "user": SimpleNamespace(is_authenticated=signed_in, username=USERNAME_MARK),
            "csrf_token": CSRF_MARK, "csp_nonce": NONCE_MARK,
        })
        # Kept as encoded text between the markers (odd places name the marker), joined once per request.
        parts = [part if i % 2 else part.encode() for i, part in enumerate(_MARKS.split(html))]
        with _pages_lock:
            kept[3][key] = parts
            while len(kept[3]) > PAGE_STATES_KEPT:
                kept[3].popitem(last=False)
    nonce = get_nonce(request)
    fill = {CSRF_MARK: get_token(request).encode(), NONCE_MARK: str(nonce).encode() if nonce is not None else b""}
    if signed_in:
        fill[USERNAME_MARK] = escape(request.user.username).encode()
    return b"".join(fill[part] if i % 2 else part for i, part in enumerate(parts))


@require_GET
def lesson_sandbox(request: HttpRequest, slug: str) -> HttpResponse:
    """The lesson's sandbox: fetched by the lesson page after its text (htmx), or opened as its own page."""
    lesson = by_slug(slug)
    if lesson is None:
        raise Http404("레슨을 찾을 수 없습니다.")
    sandbox = _lesson_sandbox(request, Learner.of(request, create=True), lesson)
    if not request.htmx:
        return redirect("sandbox-detail", pk=sandbox.pk)
    return render(request, "sandbox/widget.html#widget", {**widget_context(request, sandbox), "docked": True})


@require_POST
def quiz_answer(request: HttpRequest, slug: str, question: str) -> HttpResponse:
    lesson = by_slug(slug)
    item = next((q for q in lesson.quiz if q.id == question), None) if lesson else None
    if item is None:
        raise Http404("문제를 찾을 수 없습니다.")
    try:
        choice = int(request.POST.get("choice", ""))
    except ValueError:
        choice = -1
    learner = Learner.of(request, create=True)
    if not 0 <= choice < len(item.choices):
        return render(request, "lessons/detail.html#question",
                      {"lesson": lesson, "question": item, "error": "보기 중 하나를 골라 주세요."}, status=400)
    QuizAnswer.objects.update_or_create(**learner.owner(), lesson=slug, question=question,
                                        defaults={"choice": choice, "correct": choice == item.answer})
    state = course_state(learner, [lesson])[slug]
    mark_finished_if_complete(learner, state)
    if not request.htmx:
        return redirect(f"{lesson_url(slug)}#quiz-{question}")
    return render(request, "lessons/detail.html#question",
                  {"lesson": lesson, "question": item, "answer": state.answers.get(question)})


def lesson_url(slug: str) -> str:
    return reverse("lesson-detail", args=[slug])


@require_safe
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "lessons/glossary.html", {"terms": glossary_terms.used_in(all_lessons())})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY]
    results = []
    if query:
        words = [w for w in query.split() if w]
        for lesson in all_lessons():
            text = f"{lesson.title}\n{lesson.summary}\n{_plain(lesson.body)}"
            hits = sum(text.count(w) for w in words)
            if hits and all(w in text for w in words):
                results.append({"lesson": lesson, "hits": hits + 10 * sum(w in lesson.title for w in words),
                                "snippet": _snippet(text, words[0])})
        results.sort(key=lambda r: (-r["hits"], r["lesson"].number))
    return render(request, "lessons/search.html", {"query": query, "results": results})


def _plain(markdown_text: str) -> str:
    text = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", markdown_text, flags=re.S)
    return re.sub(r"[#*`>!\[\]()_|-]+", " ", text)


def _snippet(text: str, word: str, width: int = 60) -> str:
    at = text.find(word)
    start = max(0, at - width)
    return ("…" if start else "") + " ".join(text[start:at + len(word) + width].split()) + "…"
