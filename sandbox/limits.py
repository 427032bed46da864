"""Command rate limits across sandboxes: per learner (their session, or their account when signed in) and per
client address.

Each sandbox has its own bucket on its row (``models.COMMAND_RATE``); these two stop one client from
multiplying that by opening many sandboxes, or many sessions. They are token buckets in Django's default
cache, read and written once per command (two keys, one ``get_many`` and one ``set_many``). With the
project's in-process cache every web process counts on its own, so with N processes a client may get up to N
times the figures below before a 429; a shared cache (Redis, Memcached) makes them site-wide. The address is
``tutorial.client_ip`` (REMOTE_ADDR, or X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies). A classroom
behind one NAT shares one address, which is why its limit is many learners' worth.

Settings (optional): ``SANDBOX_SESSION_COMMAND_RATE`` and ``SANDBOX_ADDRESS_COMMAND_RATE``, each
``(commands, seconds)``.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tutorial.client_ip import client_ip

SESSION_COMMAND_RATE = (30, 10)  # one learner, all of their sandboxes together
ADDRESS_COMMAND_RATE = (300, 10)  # about a hundred learners behind one address, typing as people do
MESSAGE = "이 브라우저나 네트워크에서 명령이 너무 많이 들어오고 있습니다. 몇 초 뒤에 다시 시도해 주세요."


def _rates() -> tuple[tuple[int, int], tuple[int, int]]:
    return (getattr(settings, "SANDBOX_SESSION_COMMAND_RATE", SESSION_COMMAND_RATE),
            getattr(settings, "SANDBOX_ADDRESS_COMMAND_RATE", ADDRESS_COMMAND_RATE))


def _buckets(request) -> dict[str, tuple[int, int]]:
    session_rate, address_rate = _rates()
    buckets = {}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        buckets[f"sandbox-commands:user:{user.pk}"] = session_rate
    elif request.session.session_key:
        buckets[f"sandbox-commands:session:{request.session.session_key}"] = session_rate
    address = client_ip(request)
    if address:
        buckets[f"sandbox-commands:address:{address}"] = address_rate
    return buckets


def take_command(request, now: float | None = None) -> int:
    """Take one command from this learner's and this address's buckets. 0 if both had one (and both are
    charged), else the whole seconds until the emptier one refills enough (nothing is charged)."""
    now = timezone.now().timestamp() if now is None else now
    buckets = _buckets(request)
    stored = cache.get_many(list(buckets))
    levels = {}
    wait = 0.0
    for key, (capacity, window) in buckets.items():
        tokens, at = stored.get(key, (capacity, now))
        tokens = min(float(capacity), tokens + max(0.0, now - at) * capacity / window)
        levels[key] = tokens
        if tokens < 1:
            wait = max(wait, (1 - tokens) * window / capacity)
    if wait:
        return max(1, math.ceil(wait))
    # A bucket left alone for its window is full again, which is what a missing key means.
    for key, (_, window) in buckets.items():
        cache.set(key, (levels[key] - 1, now), timeout=window)
    return 0
