from django.contrib.auth.views import LogoutView
from django.urls import path

from . import accounts

urlpatterns = [
    path("login/", accounts.CourseLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("signup/", accounts.signup, name="signup"),
]
