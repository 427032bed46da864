"""The project's URLs plus `/bench/hello`, the baseline that bench/web.py compares every page with."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    """As bare as a Django view gets; it still passes through all of the project's middleware."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello", hello),
    path("", include("tutorial.urls")),
]
