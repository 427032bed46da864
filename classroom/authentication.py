"""Log-in through Django's own machinery, throttled wherever it happens.

``ThrottledBackend`` is the only authentication backend (settings.AUTHENTICATION_BACKENDS), so every path
that calls ``django.contrib.auth.authenticate`` — our log-in page, /admin/login/, and any log-in added later —
is counted by classroom/throttle.py before a password is checked. A refused attempt marks the request;
``LoginForm`` turns that into the Korean message and ``login_throttle_status`` into a 429.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError

from tutorial.client_ip import client_ip

from . import throttle, usernames


class ThrottledBackend(ModelBackend):
    """Django's ModelBackend with normalised usernames and the log-in throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None or "\x00" in username:
            return None
        name = usernames.normalise(username)
        address = client_ip(request) if request is not None else ""
        attempt = throttle.reserve(throttle.LOGIN, name, address)
        if attempt is None:
            if request is not None:
                request.login_throttled = True
            raise PermissionDenied  # authenticate() stops here and sends user_login_failed
        user = usernames.find(username)
        if user is None:
            get_user_model()().set_password(password)  # as slow as a real check: no hint that the name is free
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            throttle.succeeded(attempt, forget_account_failures=True)
            return user
        return None


class _ThrottleMessage:
    """Say why a throttled log-in was refused instead of Django's "wrong username or password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "login_throttled", False):
                raise ValidationError(throttle.LOGIN.message, code="throttled") from None
            raise


class LoginForm(_ThrottleMessage, AuthenticationForm):
    pass


class AdminLoginForm(_ThrottleMessage, AdminAuthenticationForm):
    pass


def login_throttle_status(get_response):
    """Middleware: a page that answers a throttled log-in says so in its status too (429, Retry-After)."""

    def middleware(request):
        response = get_response(request)
        if getattr(request, "login_throttled", False) and response.status_code == 200:
            response.status_code = 429
            response["Retry-After"] = str(int(throttle.LOGIN.window.total_seconds()))
        return response

    return middleware
