"""The address a request came from, for rate limits and log-in throttling.

Behind a load balancer REMOTE_ADDR is the balancer. Each trusted proxy appends the address it received the
request from to X-Forwarded-For, so with N trusted proxies in front of us (TRUSTED_PROXY_COUNT; GKE's external
Application Load Balancer appends two entries: the client and the balancer's own address) the client is the
N-th entry from the right. Entries further left were written by the client and cannot be trusted.
"""

from django.conf import settings


def client_ip(request) -> str:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
