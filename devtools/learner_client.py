"""A learner's browser, reduced to what the server sees: cookies, the CSRF token, and the sandbox's requests.

Standard library only (http.client), one keep-alive connection per server, so the load benchmark can run
hundreds of these from threads. Cookies are kept by hand: the production settings mark them Secure, which
a cookie jar would refuse to send over the loopback's plain HTTP.
"""

from __future__ import annotations

import gzip
import html
import http.client
import re
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_IN_PAGE = re.compile(r'"x-csrftoken": "([^"]+)"')
CONSOLE_OUTPUT = re.compile(r'<pre class="console-output[^"]*">(.*?)</pre>', re.DOTALL)
SANDBOX_PATH = re.compile(r"^/sandbox/([0-9a-f-]{36})/$")
POLL_PACE = re.compile(r'id="sandbox-live"[^>]*\bdata-poll-ms="(\d+)"')
DEFAULT_POLL_SECONDS = 2.0  # static/js/sandbox.js's pace when the region names none


@dataclass
class Reply:
    status: int
    body: str
    headers: dict
    seconds: float
    retried: bool = False  # the first connection failed (closed keep-alive, killed worker) and was tried again
    wire_bytes: int = 0  # the body as it came over the wire (compressed, when it was)


class LearnerClient:
    def __init__(self, base_urls: list[str] | str, timeout: float = 30.0):
        self.bases = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.sandbox = ""
        # As the page's script does: poll at the pace the latest live region asks for, revalidating with its ETag.
        self.poll_seconds = DEFAULT_POLL_SECONDS
        self.poll_etag = ""
        self._connections: dict[str, http.client.HTTPConnection] = {}
        self._turn = 0

    # --- HTTP --------------------------------------------------------------------------------------------
    def _next_base(self) -> str:
        """Servers in turn: a learner whose requests a load balancer spreads over several web processes."""
        base = self.bases[self._turn % len(self.bases)]
        self._turn += 1
        return base

    def _connection(self, base: str) -> http.client.HTTPConnection:
        if base not in self._connections:
            parts = urlsplit(base)
            self._connections[base] = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        return self._connections[base]

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False,
                extra: dict | None = None) -> Reply:
        base = self._next_base()
        headers = {"Host": urlsplit(base).netloc, "Accept-Encoding": "gzip", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        started = time.perf_counter()
        retried = False
        for attempt in (1, 2):
            conn = self._connection(base)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError, OSError):
                # A keep-alive connection the server closed (worker recycled, restart): reconnect once, as
                # browsers do. The request may have reached a worker that died, so callers count retries.
                conn.close()
                self._connections.pop(base, None)
                retried = True
                if attempt == 2:
                    raise
        seconds = time.perf_counter() - started
        content = gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw
        text = content.decode("utf-8", "replace")
        pace = POLL_PACE.search(text)
        if pace:
            self.poll_seconds = int(pace.group(1)) / 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        found = CSRF_IN_PAGE.search(text)
        if found:
            self.csrf = found.group(1)
        return Reply(response.status, text, dict(response.headers.items()), seconds, retried, len(raw))

    def close(self) -> None:
        for conn in self._connections.values():
            conn.close()
        self._connections.clear()

    # --- The sandbox ---------------------------------------------------------------------------------------
    def start_sandbox(self, scenario: str = "three-nodes") -> Reply:
        """Open the free-play page (cookies, CSRF token), then start a sandbox from ``scenario``."""
        self.request("GET", "/sandbox/")
        reply = self.request("POST", "/sandbox/", {"scenario": scenario})
        location = urlsplit(reply.headers.get("Location", "")).path
        found = SANDBOX_PATH.match(location)
        if reply.status != 302 or not found:
            raise RuntimeError(f"starting a sandbox answered {reply.status} {location!r}: {reply.body[:200]}")
        self.sandbox = found.group(1)
        self.request("GET", location)  # the page itself, as the browser follows the redirect
        return reply

    def command(self, text: str) -> Reply:
        # One id per submission, as the page sends: a retry after a broken connection is not applied twice.
        form = {"command": text, "request_id": uuid.uuid4().hex}
        return self.request("POST", f"/sandbox/{self.sandbox}/command", form, htmx=True)

    @staticmethod
    def output(reply: Reply) -> str:
        """The engine's text in a console entry, as the learner reads it."""
        found = CONSOLE_OUTPUT.search(reply.body)
        return html.unescape(found.group(1)) if found else ""

    def poll(self) -> Reply:
        """The live region, revalidated as a browser does: a 304 when the ETag still names what it has."""
        extra = {"If-None-Match": self.poll_etag} if self.poll_etag else None
        reply = self.request("GET", f"/sandbox/{self.sandbox}/poll", htmx=True, extra=extra)
        if reply.status == 200:
            self.poll_etag = reply.headers.get("ETag", "")
        return reply
