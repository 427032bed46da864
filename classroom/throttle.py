"""Log-in throttling against password guessing, shared by every web process through the database.

A username that failed FAILURES_PER_USERNAME times in WINDOW is locked for the rest of that window, whoever
tries it; an address that failed FAILURES_PER_ADDRESS times is locked for every username (one guesser trying
many accounts). A successful log-in clears that username's failures from that address.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import LoginFailure

WINDOW = timedelta(minutes=15)
FAILURES_PER_USERNAME = 5
FAILURES_PER_ADDRESS = 30
MESSAGE = "로그인에 너무 여러 번 실패했습니다. 15분쯤 지난 뒤에 다시 시도해 주세요."


def _normal(username: str) -> str:
    return username.strip().lower()[:150]


def locked_out(username: str, address: str) -> bool:
    recent = LoginFailure.objects.filter(created__gte=timezone.now() - WINDOW)
    if recent.filter(username=_normal(username)).count() >= FAILURES_PER_USERNAME:
        return True
    return recent.filter(address=address).count() >= FAILURES_PER_ADDRESS


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=_normal(username), address=address)
    # Old rows prove nothing; drop them now and then rather than in a scheduled job.
    LoginFailure.objects.filter(created__lt=timezone.now() - 2 * WINDOW).delete()


def clear(username: str, address: str) -> None:
    LoginFailure.objects.filter(Q(username=_normal(username)) & Q(address=address)).delete()
