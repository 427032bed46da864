"""The instructor's views of one class: the overview, one learner (and a hint sent to them), their sandbox
read-only, and the CSV export.

Every view checks here that the signed-in user teaches the class (``taught_class``) and that a learner is a
member of it; anything else is the same 404 as a class or learner that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from lessons.course import all_lessons, by_slug
from lessons.models import Learner
from lessons.progress import course_state, overall
from orchestrator import Simulation
from sandbox import exercises
from sandbox.models import CommandLog, Sandbox
from sandbox.presenters import add_fingerprints, live_context

from . import export, hints
from .dashboard import (
    ORDERS,
    SHOWS,
    STUCK_ORDERS,
    active_learners,
    progress_matrix,
    recent_commands,
    stuck_learners,
    visible_rows,
)
from .drill_views import drill_panel_context
from .models import Classroom
from .views import taught_class

HISTORY_SHOWN = 200  # commands on a learner's page; the sandbox keeps at most 500 anyway


class HtmxHttpRequest(HttpRequest):  # for type hints: django-htmx's middleware sets ``request.htmx``
    htmx: HtmxDetails


def dashboard(request: HtmxHttpRequest, classroom: Classroom) -> HttpResponse:
    """Class overview for its instructors (the caller has checked that ``request.user`` teaches it): the
    progress matrix first, filtered by the query string, then who is stuck and who is active. htmx polls ask
    for the ``pulse`` part only. ``?hint=<learner id>`` opens the hint form for that learner."""
    matrix = progress_matrix(classroom)
    recent = recent_commands(classroom, matrix.now)
    active = active_learners(matrix, recent)
    stuck = stuck_learners(classroom, matrix, recent)
    stuck_sort = request.GET.get("stuck_sort", "")
    if stuck_sort not in STUCK_ORDERS:
        stuck_sort = "urgent"
    stuck.sort(key=STUCK_ORDERS[stuck_sort][1])
    context = {
        "classroom": classroom,
        "matrix": matrix,
        "active": active,
        "stuck": stuck,
        "stuck_sort": stuck_sort,
        "stuck_orders": [(key, label) for key, (label, _) in STUCK_ORDERS.items() if key != "urgent"],
        "here": request.get_full_path(),
    }
    if request.htmx:
        return render(request, "classroom/dashboard.html#pulse", context)
    context.update(_matrix_view(request, matrix, {s.user.pk for s in stuck}, {r.user.pk for r in active}))
    context["hint_to"] = _hint_form(request, matrix, stuck)
    lessons = all_lessons()
    titles = {lesson.slug: f"{lesson.number}. {lesson.title}" for lesson in lessons}
    assignments = list(classroom.assignments.all())
    for assignment in assignments:
        assignment.title = titles.get(assignment.lesson, assignment.lesson)
    context.update(assignments=assignments, lessons=lessons,
                   join_url=request.build_absolute_uri(f"/classes/join/?code={classroom.code}"),
                   **drill_panel_context(classroom))
    return render(request, "classroom/dashboard.html", context)


def _matrix_view(request: HttpRequest, matrix, stuck: set[int], active: set[int]) -> dict:
    """The filters from the query string and the rows and columns they leave. One lesson chosen shows its
    exercises one by one (✓ or –) beside its status: the details for the lesson the class is on."""
    get = request.GET
    show = get.get("show", "") if get.get("show", "") in SHOWS else "all"
    order = get.get("order", "") if get.get("order", "") in ORDERS else "name"
    query = get.get("q", "")[:150].replace("\x00", "")
    focus = next((c for c in matrix.columns if c.lesson.slug == get.get("lesson")), None)
    rows = visible_rows(matrix, show, focus.lesson.slug if focus else "", order, query, stuck, active)
    if focus is not None:
        index = matrix.columns.index(focus)
        exercises = range(len(focus.lesson.exercises))
        for row in rows:
            done = matrix.exercises.get((row.user.pk, focus.lesson.slug), set())
            row.focus = row.cells[index]
            row.marks = [i in done for i in exercises]
    return {
        "rows": rows, "focus": focus, "show": show, "order": order, "query": query,
        "shows": SHOWS.items(), "orders": ORDERS.items(), "stuck_ids": stuck,
        "filtered": show != "all" or bool(query.strip()),
    }


def _hint_form(request: HttpRequest, matrix, stuck: list) -> dict | None:
    """Who the hint form on the dashboard is for (``?hint=<id>``, a learner of this class), with the lesson
    and exercise they are stuck on, if any, and that exercise's first hint from the lesson as a start."""
    wanted = request.GET.get("hint", "")
    row = next((r for r in matrix.rows if str(r.user.pk) == wanted), None)
    if row is None:
        return None
    where = next((s for s in stuck if s.user.pk == row.user.pk), None)
    exercise = where.exercise if where else None
    query = request.GET.copy()
    query.pop("hint")
    back = f"{request.path}?{query.urlencode()}" if query else request.path
    return {"user": row.user, "lesson": where.lesson if where else None, "exercise": exercise,
            "exercise_number": where.exercise_index + 1 if exercise else None,
            "text": exercise.hints[0] if exercise and exercise.hints else "", "back": f"{back}#stuck",
            "cancel": back}


def _send_hint(request: HttpRequest, classroom: Classroom, member) -> HttpResponse:
    lesson = by_slug(request.POST.get("lesson", ""))
    try:
        sandbox = hints.send(member, hints.clean(request.POST.get("hint", "")), lesson.slug if lesson else "")
    except hints.HintRefused as refused:
        messages.error(request, f"{member.username} 님에게 힌트를 보내지 못했습니다. {refused}")
    else:
        where = by_slug(sandbox.lesson)
        place = f"‘{where.title}’ 샌드박스" if where else "샌드박스"
        messages.success(request, f"{member.username} 님의 {place}에 힌트를 보냈습니다. "
                                  "수강생 화면에 알림으로 나타납니다.")
    back = request.POST.get("next", "")
    if back.startswith(f"/classes/{classroom.pk}/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(reverse("class-detail", args=[classroom.pk]) + "#stuck")  # where the hint form is


def _member(classroom: Classroom, user_id: int):
    """A learner of this class, else 404 (an instructor of one class must not read another's learners)."""
    return get_object_or_404(classroom.learners(), pk=user_id)


@login_required
@require_http_methods(["GET", "POST"])
def learner_detail(request, pk: int, user_id: int):
    """A learner's page; a POST sends them a hint (``hint``, for the sandbox of ``lesson``), then goes back to
    ``next`` (the dashboard with the filters it came from) or to the dashboard, which shows how it went."""
    classroom = taught_class(request, pk)
    member = _member(classroom, user_id)
    if request.method == "POST":
        return _send_hint(request, classroom, member)
    lessons = all_lessons()
    lesson = by_slug(request.GET.get("lesson", ""))
    states = course_state(Learner(member, ""), lessons)
    history = CommandLog.objects.filter(sandbox__owner_user=member).values(
        "pk", "text", "output", "ok", "source", "created", "sandbox_id", "sandbox__lesson")
    if lesson is not None:
        history = history.filter(sandbox__lesson=lesson.slug)
    history = list(history.order_by("-pk")[:HISTORY_SHOWN])
    sandboxes = list(Sandbox.objects.filter(owner_user=member).defer("state").order_by("-updated"))
    if lesson is not None:
        sandboxes = [s for s in sandboxes if s.lesson == lesson.slug] or sandboxes
    watching = next((s for s in sandboxes if str(s.pk) == request.GET.get("sandbox")), None) or (
        sandboxes[0] if sandboxes else None)
    titles = {item.slug: item.title for item in lessons}
    sources = dict(CommandLog.SOURCES)
    for entry in history:
        entry["lesson_title"] = titles.get(entry["sandbox__lesson"], entry["sandbox__lesson"])
        entry["source_label"] = sources.get(entry["source"], entry["source"])
    for sandbox in sandboxes:
        sandbox.label = titles.get(sandbox.lesson, sandbox.lesson) or sandbox.scenario
    return render(request, "classroom/learner.html", {
        "classroom": classroom, "member": member, "states": list(states.values()), "overall": overall(states),
        "lessons": lessons, "lesson": lesson, "history": history,
        "errors": sum(1 for entry in history if not entry["ok"]), "sandboxes": sandboxes, "watching": watching,
        "live": _readonly_live(classroom, member, Sandbox.objects.get(pk=watching.pk)) if watching else "",
    })


@login_required
@require_GET
def learner_live(request, pk: int, user_id: int, sandbox_id):
    """The learner's live cluster, read-only, for the instructor's page to poll."""
    classroom = taught_class(request, pk)
    member = _member(classroom, user_id)
    sandbox = get_object_or_404(Sandbox, pk=sandbox_id, owner_user=member)
    return HttpResponse(_readonly_live(classroom, member, sandbox))


def _readonly_live(classroom: Classroom, member, sandbox: Sandbox) -> str:
    """The live region without a single form or button. Watching must not change the learner's sandbox,
    so simulated time is caught up on a copy that is never saved: the instructor sees what the learner
    would see now, and the learner's own next request catches up exactly as before."""
    due = sandbox.due()
    # The fragment polls a URL under this class: a learner in two classes is watched through each one's own.
    key = f"classroom-live:{classroom.pk}:{sandbox.pk}:{sandbox.version}:{sandbox.speed}:{sandbox.paused}"
    if not due:
        html = caches["template_fragments"].get(key)
        if html is not None:
            return html
    try:
        sim = Simulation.from_json(sandbox.state)
    except (ValueError, KeyError, TypeError):  # an old or damaged snapshot must not break the page
        return render_to_string("classroom/learner_live.html#unreadable", {"sandbox": sandbox})
    sandbox.catch_up(sim)
    context = add_fingerprints(live_context(sandbox, sim, exercises.outcomes(sandbox, sim, record=False),
                                            exercises.guide_for(sandbox.lesson)))
    # The learner's own live template, read-only: no forms, polling the instructor's URL every 3 s.
    context.update(sandbox=sandbox, readonly=member.username, csrf_key="readonly", command_url="",
                   poll_trigger="every 3s",
                   poll_url=reverse("class-learner-live", args=[classroom.pk, member.pk, sandbox.pk]))
    html = render_to_string("sandbox/live.html", context)
    if not due:
        caches["template_fragments"].set(key, html)
    return html


@login_required
@require_GET
@vary_on_headers("Cookie")
def class_export(request, pk: int):
    classroom = taught_class(request, pk)
    return export.matrix_response(progress_matrix(classroom), export.filename(classroom))
