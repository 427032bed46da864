"""Sign-up, log-in and log-out; an anonymous learner's sandboxes and progress follow them into the account."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import Sandbox
from tutorial.client_ip import client_ip

from . import throttle


def adopt_anonymous_work(session_key: str | None, user) -> None:
    """Move what an anonymous session made (sandboxes, lesson progress, quiz answers) to ``user``."""
    if not session_key:
        return
    for model in (Sandbox, LessonProgress, QuizAnswer):
        model.objects.filter(owner_user__isnull=True, owner_session=session_key).update(owner_user=user,
                                                                                      owner_session="")


class CourseLoginView(LoginView):
    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        # Checked before the password is even hashed: a locked-out guesser costs us one query, not a hash.
        if throttle.locked_out(request.POST.get("username", ""), client_ip(request)):
            context = self.get_context_data(form=self.get_form(), throttled=throttle.MESSAGE)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        session_key = self.request.session.session_key  # login() replaces the key; keep the old one
        response = super().form_valid(form)
        throttle.clear(form.get_user().get_username(), client_ip(self.request))
        adopt_anonymous_work(session_key, form.get_user())
        return response

    def form_invalid(self, form):
        throttle.record_failure(self.request.POST.get("username", ""), client_ip(self.request))
        return super().form_invalid(form)


class SignupForm(UserCreationForm):
    email = forms.EmailField(label="이메일", required=False)

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session_key = request.session.session_key
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        adopt_anonymous_work(session_key, user)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = "lesson-list"
        return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")},
                  status=status)
