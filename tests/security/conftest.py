"""Hostile input for the engine and the console: shared pieces of the fuzz tests.

Hypothesis runs here without its example database (``database=None``), so nothing is written to
``.hypothesis/``; every run explores afresh, and the bugs it found are pinned as plain example tests.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from orchestrator import Simulation

# A fuzz example is cheap (~10-100 ms); the counts in the tests keep the whole folder around half a minute of
# CPU. FUZZ_SCALE=20 in the environment runs twenty times as many, for a longer hunt.
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def examples(count: int) -> int:
    return max(1, round(count * SCALE))

# What one command may cost. The costliest thing a learner can legally ask for (-o yaml of a sandbox filled
# to its 1,000-pod cap, `sim advance 3600` of a busy cluster) measures 0.1-0.5 s here; a second leaves room
# for a slow CI machine and a cold cache while still catching anything quadratic or unbounded.
CPU_SECONDS = 1.0

HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Pieces that break naive parsers: controls, NUL, bidi overrides, zero-width, emoji, quotes, shell syntax,
# digits that str.isdigit() accepts but int() or Go's strconv do not, and numbers out of every range.
NASTY = [
    "\x00", "\x01", "\x07", "\x08", "\x1b[31m", "\x7f", "\t", "\r", "\x0b", "\x0c", "\u0085", "\u2028",
    "\u202e", "\u200f", "\u200b", "\ufeff", "\ufffd", "🙂", "👩‍👩‍👧", "한글", "ﬀ", "İ", "³", "٣", "½", "Ⅻ",
    "'", '"', "\\", "`", "$(", "${HOME}", "|", ";", "&&", ">", "<<EOF", "#", "*", "?", "~", "{}", "[]", "%s",
    "{{", "-", "--", "=", ",", ":", "/", "..", "../../etc/passwd",
]
NUMBERS = [
    "99999999999999999999", "-99999999999999999999", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "2147483648", "-2147483649", "1e309", "-1e309", "1e3", "1e-400", "nan", "NaN",
    "inf", "-inf", "Infinity", "0x10", "0o7", "0b1", "1_000", "1,000", "+3", "-0", "-1", "0", "00", "1.5",
    ".5", "5.", "0.000000000000000000001", "9" * 400, "0." + "0" * 300 + "1", "1" + "0" * 1000, "³", "٣",
    "１２", "1/2", "", " ", "3 ", "1000000m", "99999999Ei", "1e100", "1.5e3m", "-5m",
]


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Short strings mixing printable text, control characters and the pieces above."""
    chars = st.characters(codec="utf-8", exclude_categories=("Cs",))  # the console never sees lone surrogates
    return st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(NUMBERS), st.text(chars, max_size=8)),
                    max_size=max_size // 6).map("".join)


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NUMBERS), st.integers().map(str),
                     st.floats(allow_nan=True, allow_infinity=True).map(repr),
                     st.integers(min_value=10**18, max_value=10**60).map(str))


def storable(sim: Simulation) -> str:
    """The snapshot as the database gets it: JSON without NaN or Infinity and without NUL or lone surrogates
    (PostgreSQL's jsonb refuses all four; SQLite would take them and a later page load would fail).
    Returns the JSON text; it must load back into an identical simulation."""
    data = sim.to_dict()
    text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    assert "\\u0000" not in text, "NUL in the snapshot"
    text.encode("utf-8")  # raises on a lone surrogate
    again = Simulation.from_dict(json.loads(text))
    assert json.loads(json.dumps(again.to_dict())) == json.loads(text), "the snapshot does not round-trip"
    return text


def printable(text: str) -> None:
    """What a command printed can be stored in a text column and sent as UTF-8."""
    assert isinstance(text, str)
    assert "\x00" not in text, "NUL in the output"
    text.encode("utf-8")
