from django.contrib.auth.views import LogoutView, PasswordResetCompleteView, PasswordResetDoneView
from django.urls import path

from . import accounts

# Django's names for the reset pages (its views and e-mail template reverse them), not our hyphenated ones.
urlpatterns = [
    path("login/", accounts.CourseLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("signup/", accounts.signup, name="signup"),
    path("password-reset/", accounts.PasswordResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", accounts.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("reset/done/", PasswordResetCompleteView.as_view(
        template_name="registration/password_reset_complete.html"), name="password_reset_complete"),
]
