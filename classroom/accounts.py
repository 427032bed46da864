"""Sign-up, log-in and log-out; an anonymous learner's sandboxes and progress follow them into the account.

A join link (``/classes/join/?code=…``) kept as ``next`` through log-in or sign-up joins the class on arrival:
the learner who opened it is in the class, not on a page asking for the code again.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import Sandbox
from tutorial.client_ip import client_ip

from . import throttle, usernames
from .authentication import LoginForm
from .views import join_with_code


def adopt_anonymous_work(session_key: str | None, user) -> None:
    """Move what an anonymous session made (sandboxes, lesson progress, quiz answers) to ``user``."""
    if not session_key:
        return
    for model in (Sandbox, LessonProgress, QuizAnswer):
        model.objects.filter(owner_user__isnull=True, owner_session=session_key).update(owner_user=user,
                                                                                      owner_session="")


def _join_code(target: str) -> str | None:
    """The code in a join link (``/classes/join/?code=ABC123``), else None."""
    parts = urlsplit(target)
    try:
        if parts.netloc or resolve(parts.path).url_name != "class-join":
            return None
    except Resolver404:
        return None
    return (parse_qs(parts.query).get("code") or [None])[0]


def _arrive(request, target: str, default: str) -> HttpResponse:
    """After log-in or sign-up: join the class a join link named, else go to ``target`` when it is ours."""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return redirect(default)
    code = _join_code(target)
    return join_with_code(request, code) if code else redirect(target)


class CourseLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        session_key = self.request.session.session_key  # login() replaces the key; keep the old one
        response = super().form_valid(form)
        adopt_anonymous_work(session_key, form.get_user())
        if _join_code(self.get_redirect_url()):
            return _arrive(self.request, self.get_redirect_url(), "lesson-list")
        return response


class SignupForm(UserCreationForm):
    email = forms.EmailField(label="이메일", required=False,
                             help_text="비밀번호를 잊었을 때 재설정 링크를 받을 주소입니다. "
                                       "없으면 강사에게 링크를 받을 수 있습니다.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_username(self):
        return usernames.clean_new(self.cleaned_data["username"])


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.reserve(throttle.SIGNUP, "", client_ip(request)) is None:
            form.add_error(None, throttle.SIGNUP.message)
            return render(request, "registration/signup.html",
                          {"form": form, "next": request.POST.get("next", "")}, status=429)
        session_key = request.session.session_key
        user = form.save()
        login(request, user, backend="classroom.authentication.ThrottledBackend")
        adopt_anonymous_work(session_key, user)
        return _arrive(request, request.POST.get("next", ""), "lesson-list")
    status = 400 if request.method == "POST" else 200
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "registration/signup.html", {"form": form, "next": next_url}, status=status)


class PasswordResetRequestView(PasswordResetView):
    """Django's reset-by-e-mail, throttled per e-mail address and per client address. Without a mail server
    (EMAIL_HOST unset in production) the page says to ask an instructor, who can issue a link instead."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(by_email=settings.PASSWORD_RESET_BY_EMAIL, **kwargs)

    def form_valid(self, form):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            return self.render_to_response(self.get_context_data(form=form), status=403)
        if throttle.reserve(throttle.RESET, form.cleaned_data["email"].casefold(), client_ip(self.request)) is None:
            form.add_error(None, throttle.RESET.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetConfirm(PasswordResetConfirmView):
    """Set a new password from a reset link (e-mailed, or issued by an instructor); the link then stops working.
    The account's log-in lock is lifted: the new password is the way out of it."""

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.forget(throttle.LOGIN, usernames.normalise(form.user.get_username()))
        return response
