"""Classes for learners and instructors: create, join, leave, archive, co-instructors, assignments.

Permission checks live here, in the views (never only in templates): a class's pages are for its
instructors and members; anyone else gets 404, so class ids do not leak.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lessons.course import all_lessons, by_slug
from tutorial.client_ip import client_ip

from . import throttle, usernames
from .forms import AssignmentForm, ClassForm, first_error
from .models import Assignment, Classroom, Membership, is_instructor


def taught_class(request, pk) -> Classroom:
    """A class the signed-in user teaches (owner or co-instructor), else 404."""
    return get_object_or_404(Classroom.objects.taught_by(request.user), pk=pk)


@login_required
@require_GET
def class_list(request):
    return render(request, "classroom/list.html", {
        "teaching": Classroom.objects.taught_by(request.user).prefetch_related("memberships"),
        "joined": Classroom.objects.joined_by(request.user).active().prefetch_related("assignments"),
        "is_instructor": is_instructor(request.user),
        "lessons": {lesson.slug: lesson for lesson in all_lessons()},
    })


@login_required
@require_POST
def class_create(request):
    if not is_instructor(request.user):
        raise PermissionDenied("강사만 수업을 만들 수 있습니다.")
    form = ClassForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("class-list")
    classroom = Classroom.objects.create(**form.cleaned_data, owner=request.user)
    messages.success(request, f"수업을 만들었습니다. 참여 코드는 {classroom.code}입니다.")
    return redirect("class-detail", pk=classroom.pk)


def join_with_code(request, code: str) -> HttpResponse:
    """Join the signed-in user to the class with ``code``: a redirect to the class, or the join page saying
    why not (400 for what cannot be a code, 404 for no such class, 429 after too many wrong codes)."""
    code = code.strip().upper().replace(" ", "")

    def refuse(error: str, status: int) -> HttpResponse:
        return render(request, "classroom/join.html", {"code": code if code.isprintable() else "", "error": error},
                      status=status)

    if not code:
        return refuse("참여 코드를 입력해 주세요.", 400)
    if not (code.isascii() and code.isalnum()) or len(code) > Classroom._meta.get_field("code").max_length:
        return refuse("참여 코드는 영문자와 숫자 여섯 글자입니다. 강사에게 받은 코드를 다시 확인해 주세요.", 400)
    attempt = throttle.reserve(throttle.JOIN, str(request.user.pk), client_ip(request))
    if attempt is None:
        return refuse(throttle.JOIN.message, 429)
    classroom = Classroom.objects.active().filter(code=code).first()
    if classroom is None:
        return refuse("그 코드의 수업이 없습니다. 강사에게 받은 코드를 다시 확인해 주세요.", 404)
    throttle.succeeded(attempt)
    if not classroom.admit(request.user):
        messages.info(request, "이 수업의 강사는 수강생으로 참여하지 않습니다.")
    else:
        messages.success(request, f"‘{classroom.name}’ 수업에 참여했습니다.")
    return redirect("class-detail", pk=classroom.pk)


@login_required
@require_http_methods(["GET", "POST"])
def class_join(request):
    if request.method == "POST":
        return join_with_code(request, request.POST.get("code", ""))
    code = request.GET.get("code", "").strip().upper().replace(" ", "")
    return render(request, "classroom/join.html", {"code": code if code.isprintable() else ""})


@login_required
@require_GET
def class_detail(request, pk):
    classroom = get_object_or_404(Classroom, pk=pk)
    if classroom.taught_by(request.user):
        from .dashboard_views import dashboard

        return dashboard(request, classroom)
    if not classroom.memberships.filter(user=request.user).exists():
        raise Http404
    lessons = {lesson.slug: lesson for lesson in all_lessons()}
    return render(request, "classroom/learner_class.html", {
        "classroom": classroom, "assignments": classroom.assignments.all(), "lessons": lessons})


@login_required
@require_POST
def class_leave(request, pk):
    membership = get_object_or_404(Membership, classroom_id=pk, user=request.user)
    name = membership.classroom.name
    membership.delete()
    messages.success(request, f"‘{name}’ 수업에서 나왔습니다.")
    return redirect("class-list")


@login_required
@require_POST
def class_archive(request, pk):
    classroom = taught_class(request, pk)
    if classroom.owner_id != request.user.pk:
        raise PermissionDenied("수업을 만든 강사만 보관할 수 있습니다.")
    classroom.archived = request.POST.get("archived", "1") == "1"
    classroom.save(update_fields=["archived"])
    messages.success(request, "수업을 보관했습니다." if classroom.archived else "수업을 다시 열었습니다.")
    return redirect("class-detail", pk=pk)


@login_required
@require_POST
def class_add_instructor(request, pk):
    classroom = taught_class(request, pk)
    if classroom.owner_id != request.user.pk:
        raise PermissionDenied("수업을 만든 강사만 공동 강사를 추가할 수 있습니다.")
    name = request.POST.get("username", "")
    user = usernames.find(name) if "\x00" not in name else None
    if user is None or not is_instructor(user):
        messages.error(request, "그 이름의 강사 계정이 없습니다.")
    else:
        classroom.co_instructors.add(user)
        messages.success(request, f"{user.username} 님을 공동 강사로 추가했습니다.")
    return redirect("class-detail", pk=pk)


@login_required
@require_POST
def class_assign(request, pk):
    classroom = taught_class(request, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("class-detail", pk=pk)
    lesson, due = by_slug(form.cleaned_data["lesson"]), form.cleaned_data["due"]
    try:
        Assignment.objects.update_or_create(classroom=classroom, lesson=lesson.slug, defaults={"due": due})
    except IntegrityError:
        messages.error(request, "과제를 저장하지 못했습니다.")
    else:
        messages.success(request, f"‘{lesson.title}’ 레슨을 과제로 냈습니다.")
    return redirect("class-detail", pk=pk)
