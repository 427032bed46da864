"""Liveness/readiness endpoint for load balancers, Kubernetes probes and uptime checks."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import database_file

logger = logging.getLogger(__name__)

FILE_LOST = ("데이터베이스 파일이 사라져 지금은 아무것도 읽거나 저장할 수 없습니다. 방금 보낸 내용이 있다면 "
             "저장되지 않았습니다. 사이트 관리자에게 알려 주세요.")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    # Every page needs the database, so a process that cannot reach it should be taken out of
    # rotation. Any failure counts (a refused connection, a missing driver, a bad URL), not only
    # DatabaseError: the probe must answer 503, never 500.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: database unavailable", exc_info=True)
        return JsonResponse({"status": "unavailable"}, status=503)
    if database_file.lost():
        logger.error("Health check: the SQLite file this process has open is no longer at its path")
        return JsonResponse({"status": "unavailable", "reason": "database file missing"}, status=503)
    return JsonResponse({"status": "ok"})


def _refuse() -> HttpResponse:
    """What a request gets once the SQLite file is gone: anything it wrote would be lost unseen, and what it
    read would be a copy nobody else sees."""
    logger.error("Refused a request: the SQLite database file is no longer at its path")
    return HttpResponse(render_to_string("503.html", {"message": FILE_LOST, "saved": False}), status=503)


class HealthCheckMiddleware:
    """Answer /healthz before anything checks the Host header or redirects to HTTPS, and refuse every request
    while the SQLite file is lost (``database_file``): nothing must be acknowledged into a deleted file.

    kubelet's probes and the load balancer's health checks connect to the pod's IP over plain HTTP and send
    that IP as the Host, which ALLOWED_HOSTS rightly refuses for every other page. First in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        if database_file.lost():
            return _refuse()
        return self.get_response(request)
