"""Kubernetes resource quantities: parse what users type, print what kubectl prints.

CPU is kept in millicores and memory in bytes, as plain ints, so that sums are exact.
"""

from __future__ import annotations

import re

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}
_QUANTITY = re.compile(r"^([+]?[0-9]*\.?[0-9]+)(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
# Large enough for any real node, small enough that nobody can overflow our sums.
MAX_CPU_MILLI = 10**9
MAX_MEMORY_BYTES = 2**60


class QuantityError(ValueError):
    pass


def _split(text: str) -> tuple[float, str]:
    match = _QUANTITY.match(text.strip())
    if not match:
        raise QuantityError('quantities must match the regular expression '
                            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    return float(match.group(1)), match.group(2) or ""


def parse_cpu(text: str | int | float) -> int:
    """``"250m"`` -> 250, ``"0.5"`` -> 500, ``"2"`` -> 2000 (millicores, rounded up like Kubernetes)."""
    number, suffix = _split(str(text))
    if suffix == "m":
        milli = number
    elif suffix in _DECIMAL:
        milli = number * _DECIMAL[suffix] * 1000
    else:
        milli = number * _BINARY[suffix] * 1000
    # Compare before int(): a few hundred digits make the float infinite, and int(inf) raises.
    if milli > MAX_CPU_MILLI:
        raise QuantityError("cpu quantity is too large")
    return int(-(-milli // 1))


def parse_memory(text: str | int | float) -> int:
    """``"128Mi"`` -> 134217728, ``"1G"`` -> 10**9 (bytes)."""
    number, suffix = _split(str(text))
    scale = 1 / 1000 if suffix == "m" else _BINARY.get(suffix) or _DECIMAL[suffix]
    if number * scale > MAX_MEMORY_BYTES:  # before int(), which raises on an infinite float
        raise QuantityError("memory quantity is too large")
    if suffix == "m":
        return int(-(-number // 1000))
    return int(number * scale)


def format_cpu(milli: int) -> str:
    """How kubectl prints a cpu quantity: ``"100m"``, ``"1"``, ``"1500m"``."""
    if milli % 1000 == 0:
        return str(milli // 1000)
    return f"{milli}m"


def format_memory(size: int) -> str:
    """How kubectl prints a memory quantity: the largest binary suffix that divides it exactly."""
    if size == 0:
        return "0"
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        unit = _BINARY[suffix]
        if size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)
