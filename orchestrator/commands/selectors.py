"""Label selectors as typed after ``-l``: ``app=web``, ``app!=web``, ``tier``, ``!tier``, comma-joined."""

from __future__ import annotations

import re

from .parse import CommandError

_KEY = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$")


def parse_selector(text: str | None):
    """Returns a predicate over a labels dict."""
    if not text:
        return lambda labels: True
    requirements = []
    for part in text.split(","):
        part = part.strip()
        if "!=" in part:
            key, value = part.split("!=", 1)
            requirements.append((key.strip(), "!=", value.strip()))
        elif "==" in part or "=" in part:
            key, value = part.split("==", 1) if "==" in part else part.split("=", 1)
            requirements.append((key.strip(), "=", value.strip()))
        elif part.startswith("!"):
            requirements.append((part[1:].strip(), "!", ""))
        else:
            requirements.append((part, "exists", ""))
    for key, _, _ in requirements:
        if not _KEY.match(key):
            raise CommandError(f'error: unable to parse requirement: <nil>: Invalid value: "{key}": name part '
                               "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                               "end with an alphanumeric character")

    def predicate(labels: dict[str, str]) -> bool:
        for key, op, value in requirements:
            if op == "=" and labels.get(key) != value:
                return False
            if op == "!=" and labels.get(key) == value:
                return False
            if op == "!" and key in labels:
                return False
            if op == "exists" and key not in labels:
                return False
        return True

    return predicate
