from django.contrib import admin
from django.urls import include, path

from tutorial import health

urlpatterns = [
    path("", include("lessons.urls")),
    path("sandbox/", include("sandbox.urls")),
    path("classes/", include("classroom.urls")),
    path("accounts/", include("classroom.account_urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# Korean pages; a lost database answers 503 with Retry-After instead of a 500 (tutorial/errors.py).
handler400 = "tutorial.errors.bad_request"
handler500 = "tutorial.errors.server_error"
