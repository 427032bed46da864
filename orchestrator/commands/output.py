"""``-o yaml`` and ``-o json`` renderings of our objects (being built; see issue 3)."""

from __future__ import annotations

from .parse import CommandError


def render(sim, cluster, items: list, fmt: str, single: bool) -> str:
    """``items`` is a list of (Kind, object) pairs in output order."""
    raise CommandError(f"-o {fmt} 출력 형식은 아직 지원하지 않습니다. -o wide 또는 -o name을 쓸 수 있습니다.")
