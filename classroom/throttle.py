"""Throttling of guesses (passwords, join codes, reset e-mails), shared by every web process through the database.

An attempt is written down *before* it is checked (``reserve``) and then counted together with the attempts
already written, so parallel guesses cannot all slip under a limit at once: the n-th row to be written sees at
least n rows. Attempts on one account also take turns (SQLite's write lock, PostgreSQL's advisory lock), so that
count is exact: 16 parallel guesses get exactly the limit checked. A guess that succeeds takes its row back
(``succeeded``); a failed one leaves it standing for the window. A refused attempt leaves nothing behind and
costs a short transaction, never a password hash.

Log-in (``LOGIN``) counts by account and address, by account alone, and by address alone. A class behind one
NAT address shares that address, so the address limit is an abuse ceiling a whole class cannot reach by
mistyping; guessing one account is stopped by the account limits whatever the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .models import FailedAttempt


@dataclass(frozen=True)
class Limit:
    by: tuple[str, ...]  # the FailedAttempt fields that must match: ("account", "address"), ("address",) ...
    attempts: int  # this many in the window, and the next one is refused


@dataclass(frozen=True)
class Policy:
    action: str
    window: timedelta
    limits: tuple[Limit, ...]
    message: str

    def limit(self, *by: str) -> int:
        return next(limit.attempts for limit in self.limits if limit.by == by)


LOGIN = Policy("login", timedelta(minutes=15), (
    Limit(("account", "address"), 5),  # one person mistyping, or one guesser on one account
    Limit(("account",), 30),  # one account guessed from many addresses
    Limit(("address",), 300),  # abuse only: a class of 200 behind one NAT, each mistyping once or twice
), "로그인에 너무 여러 번 실패했습니다. 15분쯤 지난 뒤에 다시 시도하거나 비밀번호를 재설정해 주세요.")

JOIN = Policy("join", timedelta(minutes=15), (
    Limit(("account",), 10),
    Limit(("address",), 200),  # a class joining at once from one address, some of them mistyping
), "참여 코드를 너무 여러 번 틀렸습니다. 15분쯤 지난 뒤에 강사에게 받은 코드로 다시 시도해 주세요.")

RESET = Policy("reset", timedelta(hours=1), (
    Limit(("account",), 3),  # e-mails to one address: enough for a lost message, not a mailbox flood
    Limit(("address",), 30),
), "비밀번호 재설정 요청이 너무 많습니다. 한 시간쯤 지난 뒤에 다시 시도해 주세요.")

# Not a guess but the same count: every account made is a row for the window, so one address cannot make
# accounts without end (each would bring its own sandboxes and progress), while a school signing up at once
# behind one address stays well under it.
SIGNUP = Policy("signup", timedelta(hours=1), (
    Limit(("address",), 300),
), "이 네트워크에서 한 시간 동안 만들 수 있는 계정 수를 넘었습니다. 한 시간쯤 지난 뒤에 다시 시도해 주세요.")

# Older names, kept for the README and tests that speak of log-in only.
WINDOW = LOGIN.window
MESSAGE = LOGIN.message


def _clean(value: str, length: int) -> str:
    # PostgreSQL refuses NUL in text; a header or a field may carry one.
    return value.replace("\x00", "")[:length]


def reserve(policy: Policy, account: str, address: str) -> FailedAttempt | None:
    """Count one attempt; None (and nothing written) when a limit of ``policy`` is already reached.

    An empty ``address`` (no request, e.g. a management command) skips the limits that need one."""
    account, address = _clean(account, 150), _clean(address, 64)
    values = {"account": account, "address": address}
    with transaction.atomic():
        _one_at_a_time(f"{policy.action}:{account}")
        attempt = FailedAttempt.objects.create(action=policy.action, account=account, address=address)
        recent = FailedAttempt.objects.filter(action=policy.action, created__gte=timezone.now() - policy.window)
        for limit in policy.limits:
            if "address" in limit.by and not address:
                continue
            # Our own row is counted: exactly ``attempts`` rows may stand, the next one is refused.
            if recent.filter(**{field: values[field] for field in limit.by}).count() > limit.attempts:
                attempt.delete()
                return None
    # Old rows prove nothing; drop them now and then rather than in a scheduled job.
    if attempt.pk % 20 == 0:
        FailedAttempt.objects.filter(created__lt=timezone.now() - 2 * max(p.window for p in POLICIES)).delete()
    return attempt


def _one_at_a_time(key: str) -> None:
    """Attempts on one account wait for each other until the transaction ends. On SQLite every transaction here
    takes the database's write lock as it begins (settings: transaction_mode IMMEDIATE), which already does it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def succeeded(attempt: FailedAttempt, forget_account_failures: bool = False) -> None:
    """The guess was right: its row goes; with ``forget_account_failures`` also that account's earlier failures
    from that address (a learner who finally typed their password right starts afresh there)."""
    attempt.delete()
    if forget_account_failures:
        FailedAttempt.objects.filter(action=attempt.action, account=attempt.account, address=attempt.address).delete()


def forget(policy: Policy, account: str) -> None:
    """Drop an account's attempts everywhere (its owner proved who they are another way)."""
    FailedAttempt.objects.filter(action=policy.action, account=_clean(account, 150)).delete()


POLICIES = (LOGIN, JOIN, RESET, SIGNUP)
