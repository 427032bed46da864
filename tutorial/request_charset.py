"""Requests that declare a character set other than UTF-8 are answered 400 in Korean before anything reads them.

Django decodes a body with the charset its Content-Type names. For a form post in anything but UTF-8 it raises
BadRequest, and raises it again inside the 400 handler (the CSRF check there reads the body once more), so the
client got gunicorn's bare English "Internal Server Error"; a charset that is no text encoding at all (``hex``,
``rot13``) broke reading even the query string (500). Browsers and htmx only ever send UTF-8, so the site
accepts UTF-8 (and its subset ASCII) and nothing else: checked in front of Django's WSGI handler (gunicorn)
and again as the first middleware that could read a body (everything else that runs Django: the test client).
"""

from __future__ import annotations

import codecs

from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.http import parse_header_parameters

MESSAGE = "이 사이트는 UTF-8로 보낸 내용만 읽습니다. 페이지를 새로 고친 뒤 다시 보내 주세요."
ACCEPTED = {"utf-8", "ascii"}  # codecs' own names: "UTF8", "us-ascii" and other aliases map to these


def declared_charset_ok(content_type: str) -> bool:
    """True when ``content_type`` names no charset, or one that decodes as UTF-8 does."""
    try:
        _, params = parse_header_parameters(content_type)
    except ValueError:
        return True  # Django answers a broken header with its own 400 (BadRequest)
    if "charset" not in params:
        return True
    try:
        return codecs.lookup(params["charset"].strip()).name in ACCEPTED
    except LookupError:
        return False


def refusal(htmx: bool) -> HttpResponse:
    if htmx:
        # The console shows a short plain-text answer as it is (see tutorial/errors.py).
        return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
    # No request context: the page must not touch the session (or the body) of a request we refuse.
    return HttpResponseBadRequest(render_to_string("400.html", {"message": MESSAGE}))


class RequestCharsetMiddleware:
    """The rule inside Django (the test client, ``runserver``, ASGI)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_charset_ok(request.META.get("CONTENT_TYPE", "")):
            return self.get_response(request)
        return refusal(request.headers.get("HX-Request") == "true")


def refuse_other_charsets(application):
    """The rule in front of Django's WSGI handler (tutorial/wsgi.py, what gunicorn serves). A charset that is
    no text encoding, with a query string, breaks Django while it builds the request, before any middleware."""

    def guarded(environ, start_response):
        if declared_charset_ok(environ.get("CONTENT_TYPE", "")):
            return application(environ, start_response)
        response = refusal(environ.get("HTTP_HX_REQUEST") == "true")
        headers = [*response.items(), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    return guarded
