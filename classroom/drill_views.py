"""Fault drills for a class's instructors: start one, watch who has recovered, export the results.

Every view starts with ``taught_class``: anyone but the class's instructors gets 404 (see views.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from lessons.course import all_lessons, by_slug

from . import drills, export
from .forms import DrillForm, first_error
from .models import Classroom, Drill
from .views import taught_class

RECENT_DRILLS = 10
RESULTS_HEADER = ["사용자", "상태", "명령", "적용 시각", "복구 시각", "복구까지 걸린 시간(초)", "메모"]


class HtmxHttpRequest(HttpRequest):  # for type hints: django-htmx's middleware sets ``request.htmx``
    htmx: HtmxDetails


def drill_panel_context(classroom: Classroom) -> dict:
    """What ``classroom/drill_panel.html`` needs besides ``classroom`` and ``lessons`` (one query, lazily)."""
    recent = classroom.drills.annotate(
        applied=Count("targets"),
        recovered=Count("targets", filter=Q(targets__recovered_at__isnull=False)),
    )[:RECENT_DRILLS]
    return {"drill_faults": Drill.FAULTS, "recent_drills": recent}


@login_required
@require_http_methods(["GET", "POST"])
def drill_start(request, pk):
    classroom = taught_class(request, pk)
    if request.method == "POST":
        form = DrillForm(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect("class-drill", pk=pk)
        lesson, fault = by_slug(form.cleaned_data["lesson"]), form.cleaned_data["fault"]
        drill, report = drills.start(classroom, lesson.slug, fault, request.user)
        if report is None:
            messages.info(request, "방금 같은 훈련을 시작했습니다. 다시 적용하지 않고 그 결과를 보여 드립니다.")
        else:
            skipped = f" {len(report.skipped)}명은 건너뛰었습니다." if report.skipped else ""
            messages.success(request, f"‘{lesson.title}’ 레슨에 {drill.get_fault_display()} 훈련을 시작했습니다. "
                                      f"{len(report.applied)}명의 샌드박스에 적용했습니다.{skipped}")
        return redirect("class-drill-results", pk=pk, drill_id=drill.pk)
    return render(request, "classroom/drills.html", {
        "classroom": classroom, "lessons": all_lessons(), **drill_panel_context(classroom)})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def drill_results(request: HtmxHttpRequest, pk, drill_id):
    classroom = taught_class(request, pk)
    drill = get_object_or_404(classroom.drills, pk=drill_id)
    rows = drills.results(drill)
    template = "classroom/drills_results.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {
        "classroom": classroom, "drill": drill, "lesson": by_slug(drill.lesson), "rows": rows,
        "groups": _groups(rows), "table": request.GET.get("view") == "table",
        "counts": drills.summary(rows), "criterion": drills.CRITERIA[drill.fault], "checked_at": timezone.now()})


def _groups(rows: list[drills.Row]) -> list[dict]:
    """The whole class at a glance: who is still recovering (by name: whom to help), who recovered (fastest
    first), who was skipped. Each a grid of small named chips, so 200 learners fit one screen."""

    def chip(row: drills.Row) -> dict:
        # Minutes:seconds, short enough to sit beside the name.
        seconds = max(0, int(row.duration.total_seconds())) if row.duration is not None else None
        return {"row": row, "clock": f"{seconds // 60}:{seconds % 60:02d}" if seconds is not None else "",
                "iso": f"PT{seconds}S" if seconds is not None else ""}

    def of(status: str, key) -> list[dict]:
        return [chip(row) for row in sorted((row for row in rows if row.status == status), key=key)]

    return [
        {"status": "pending", "label": "복구 중", "chips": of("pending", lambda r: r.user.username)},
        {"status": "recovered", "label": "복구함", "chips": of("recovered", lambda r: (r.duration, r.user.username))},
        {"status": "skipped", "label": "건너뜀", "chips": of("skipped", lambda r: r.user.username)},
    ]


@login_required
@require_GET
def drill_export(request, pk, drill_id):
    classroom = taught_class(request, pk)
    drill = get_object_or_404(classroom.drills, pk=drill_id)
    rows = (_result_line(row) for row in drills.results(drill))
    return export.csv_response(RESULTS_HEADER, rows, f"drill-{drill.pk}-{drill.fault}.csv")


def _result_line(row: drills.Row) -> list:
    target, local = row.target, timezone.localtime
    if target is None:
        return [row.user.username, row.status_label, "", "", "", "", row.note]
    recovered = local(target.recovered_at).isoformat(timespec="seconds") if target.recovered_at else ""
    seconds = int(row.duration.total_seconds()) if row.duration is not None else ""
    return [row.user.username, row.status_label, target.command, local(target.applied_at).isoformat(timespec="seconds"),
            recovered, seconds, row.note]
