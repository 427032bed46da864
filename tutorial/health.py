"""Liveness/readiness endpoint for load balancers, Kubernetes probes and uptime checks."""

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


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
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    """Answer /healthz before anything checks the Host header or redirects to HTTPS.

    kubelet's probes and the load balancer's health checks connect to the pod's IP over plain HTTP and send
    that IP as the Host, which ALLOWED_HOSTS rightly refuses for every other page. First in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
