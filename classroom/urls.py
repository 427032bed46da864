from django.urls import path

from . import views

urlpatterns = [
    path("", views.class_list, name="class-list"),
    path("new", views.class_create, name="class-create"),
    path("join/", views.class_join, name="class-join"),
    path("<int:pk>/", views.class_detail, name="class-detail"),
    path("<int:pk>/leave", views.class_leave, name="class-leave"),
    path("<int:pk>/archive", views.class_archive, name="class-archive"),
    path("<int:pk>/instructors", views.class_add_instructor, name="class-add-instructor"),
    path("<int:pk>/assignments", views.class_assign, name="class-assign"),
]
