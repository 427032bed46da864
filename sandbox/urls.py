from django.urls import path

from . import views

urlpatterns = [
    path("", views.sandbox_home, name="sandbox-home"),
    path("<uuid:pk>/", views.sandbox_detail, name="sandbox-detail"),
    path("<uuid:pk>/poll", views.sandbox_poll, name="sandbox-poll"),
    path("<uuid:pk>/command", views.sandbox_command, name="sandbox-command"),
    path("<uuid:pk>/control", views.sandbox_control, name="sandbox-control"),
    path("<uuid:pk>/delete", views.sandbox_delete, name="sandbox-delete"),
]
