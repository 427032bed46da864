"""The instructor's view of one class."""

from __future__ import annotations

from django.shortcuts import render

from lessons.course import all_lessons

from .models import Classroom


def dashboard(request, classroom: Classroom):
    """Class overview for its instructors (the caller has checked that ``request.user`` teaches it)."""
    return render(request, "classroom/dashboard.html", {
        "classroom": classroom,
        "learners": classroom.learners(),
        "assignments": classroom.assignments.all(),
        "lessons": all_lessons(),
        "join_url": request.build_absolute_uri(f"/classes/join/?code={classroom.code}"),
    })
