"""Looking at a running cluster: ``kubectl top``, ``logs`` and ``label`` (being built; see issue 3)."""

from __future__ import annotations

from .parse import CommandError


def top(sim, cluster, args: list[str]) -> str:
    raise CommandError("kubectl top은 아직 지원하지 않습니다. 곧 추가됩니다.")


def logs(sim, cluster, args: list[str]) -> str:
    raise CommandError("kubectl logs는 아직 지원하지 않습니다. 곧 추가됩니다.")


def label(sim, cluster, args: list[str]) -> str:
    raise CommandError("kubectl label은 아직 지원하지 않습니다. 곧 추가됩니다.")
