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

from . import dashboard_views  # noqa: E402  (the instructor's dashboard pages)

urlpatterns += [
    path("<int:pk>/learners/<int:user_id>/", dashboard_views.learner_detail, name="class-learner"),
    path("<int:pk>/learners/<int:user_id>/sandboxes/<uuid:sandbox_id>/live", dashboard_views.learner_live,
         name="class-learner-live"),
    path("<int:pk>/export.csv", dashboard_views.class_export, name="class-export"),
]

from . import drill_views  # noqa: E402  (fault drills)

urlpatterns += [
    path("<int:pk>/drills", drill_views.drill_start, name="class-drill"),
    path("<int:pk>/drills/<int:drill_id>/", drill_views.drill_results, name="class-drill-results"),
    path("<int:pk>/drills/<int:drill_id>/export.csv", drill_views.drill_export, name="class-drill-export"),
]

from . import invites, reset_links  # noqa: E402  (instructor invitations; reset links for a class's learners)

urlpatterns += [
    path("<int:pk>/learners/<int:user_id>/password-reset", reset_links.learner_reset_link,
         name="class-learner-reset-link"),
    path("invites/", invites.instructor_invites, name="instructor-invites"),
    path("invites/<str:token>/", invites.instructor_invite, name="instructor-invite"),
]
