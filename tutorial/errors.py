"""Error pages in Korean. A lost database is told apart from a bug: it is an outage, answered with 503.

Django calls ``server_error`` for any exception a view or middleware did not handle, while that exception
is still being handled, so ``sys.exc_info()`` says what went wrong. The page must not need the database
(no session, no user), so it is rendered without a request context.
"""

import logging
import sys

from django import db
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

UNAVAILABLE = "지금은 데이터베이스에 연결할 수 없습니다. 잠시 뒤에 다시 시도해 주세요."
RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException | None) -> bool:
    # OperationalError: refused or dropped connections, server shutting down; InterfaceError: a
    # connection object that was already closed under us.
    return isinstance(exc, (db.OperationalError, db.InterfaceError))


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@requires_csrf_token
def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        logger.warning("Database unavailable: %s", exc)
        if _is_htmx(request):
            # The console and the live region show a short plain-text answer as it is (static/js/sandbox.js).
            response = HttpResponse(UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE, "saved": True}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _is_htmx(request):
        return HttpResponseServerError("서버에서 오류가 났습니다. 잠시 뒤에 다시 시도해 주세요.",
                                       content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(render_to_string(template_name))


@requires_csrf_token
def bad_request(request, exception, template_name="400.html"):
    """A body Django refuses to read (over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, broken multipart).
    The console shows a short plain-text answer as it is; Django's page would only make it say "try again"."""
    too_big = isinstance(exception, RequestDataTooBig)
    if _is_htmx(request):
        if too_big:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            text = f"보낸 내용이 너무 큽니다 (최대 {limit:,} KiB). 매니페스트를 나눠서 적용해 주세요."
        else:
            text = "보낸 내용의 형식을 읽을 수 없습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요."
        return HttpResponse(text, status=413 if too_big else 400, content_type="text/plain; charset=utf-8")
    response = defaults.bad_request(request, exception, template_name)
    if too_big:
        response.status_code = 413  # Content Too Large: the same Korean page, the status a client can act on
    return response
