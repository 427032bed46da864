from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lessons.showcase import run_showcase


# require_safe (GET and HEAD) rather than require_GET: link checkers and uptime monitors send HEAD.
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "lessons/home.html", {"showcase": run_showcase()})
