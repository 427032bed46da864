"""The image's HEALTHCHECK: GET /healthz on the local gunicorn and exit 0 only for a 200.

Only the standard library (urllib), so the slim image needs no curl. The Host header is the first entry of
ALLOWED_HOSTS, so Django's host check accepts the request in production too; X-Forwarded-Proto says the
request came over HTTPS (as it does behind the load balancer), so an HTTPS redirect cannot send it elsewhere.
"""

import os
import sys
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to HTTPS, say) is an unhealthy answer here, never a reason to leave the container."""

    def redirect_request(self, *args, **kwargs):
        return None


def main() -> int:
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h for h in hosts if h != "*"), "localhost")
    request = urllib.request.Request("http://127.0.0.1:8000/healthz",
                                     headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
