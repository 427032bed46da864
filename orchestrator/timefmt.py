"""kubectl's AGE column: apimachinery's ``duration.HumanDuration``."""

from __future__ import annotations

import time

# Simulated second 0 is this wall-clock moment (UTC), so timestamps in describe output are stable.
EPOCH = 1_772_409_600  # Mon, 02 Mar 2026 00:00:00 +0000


def rfc1123z(seconds: float) -> str:
    """Go's time.RFC1123Z, as ``kubectl describe`` prints times: ``Mon, 02 Mar 2026 00:00:05 +0000``."""
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(EPOCH + int(seconds)))


def human_duration(seconds: float) -> str:
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60 * 2:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = (s // 60) % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y{days}d" if days else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"


def go_duration(seconds: float) -> str:
    """Go's time.Duration.String(), as the kubelet and kubectl print durations: ``5s``, ``2m5s``, ``1.5s``."""
    ms = round(seconds * 1000)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = f"{rest / 1000:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{hours}h{minutes}m{secs}"
    return f"{minutes}m{secs}" if minutes else secs
