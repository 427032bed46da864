"""Instructor invitations: an instructor (or an admin) makes a link; whoever accepts it, signed in, becomes an
instructor. The Django admin offers the same (classroom/admin.py), and ``manage.py make_instructor`` stays."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import InstructorInvite, is_instructor


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def instructor_invites(request):
    if not is_instructor(request.user):
        raise PermissionDenied("강사만 강사를 초대할 수 있습니다.")
    if request.method == "POST":
        InstructorInvite.objects.create(created_by=request.user, note=request.POST.get("note", "").strip()[:100])
        messages.success(request, "초대 링크를 만들었습니다. 아래 링크를 초대할 사람에게 보내 주세요.")
        return redirect("instructor-invites")
    invites = list(InstructorInvite.objects.filter(created_by=request.user).select_related("accepted_by")[:50])
    for invite in invites:
        invite.link = request.build_absolute_uri(invite.get_absolute_url())
    return render(request, "classroom/invites.html", {"invites": invites, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def instructor_invite(request, token: str):
    invite = get_object_or_404(InstructorInvite.objects.open(), token=token)
    if request.method == "POST":
        if is_instructor(request.user):
            messages.info(request, "이미 강사입니다. 초대 링크는 다른 사람을 위해 남겨 두었습니다.")
        elif invite.accept(request.user):
            messages.success(request, "이제 강사입니다. 수업을 만들고 참여 코드를 나눠 줄 수 있습니다.")
        else:
            messages.error(request, "이미 쓰였거나 기한이 지난 초대 링크입니다.")
        return redirect("class-list")
    return render(request, "classroom/invite_accept.html", {"invite": invite,
                                                             "already": is_instructor(request.user)})
