"""A one-time password reset link an instructor makes for a learner of their own class (learners without an
e-mail address, or a site that sends none). The link is Django's reset token: it stops working once the password
is changed or the learner logs in, and after PASSWORD_RESET_TIMEOUT."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import is_instructor
from .views import taught_class


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def learner_reset_link(request, pk: int, user_id: int):
    classroom = taught_class(request, pk)
    member = get_object_or_404(classroom.learners(), pk=user_id)
    # A link for an instructor or an admin would hand their classes (or the site) to whoever asked for it.
    if member.is_superuser or is_instructor(member):
        raise PermissionDenied("강사나 관리자 계정의 비밀번호 재설정 링크는 만들 수 없습니다.")
    link = None
    if request.method == "POST":
        link = request.build_absolute_uri(reverse("password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member)}))
    return render(request, "classroom/reset_link.html", {"classroom": classroom, "member": member, "link": link,
                                                          "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
