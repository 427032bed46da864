"""``kubectl apply|create|delete -f``: declarative manifests (being built; see issue 3)."""

from __future__ import annotations

from .parse import CommandError

NOT_YET = "YAML 매니페스트(kubectl apply -f)는 아직 지원하지 않습니다. 곧 추가됩니다."


def apply(sim, cluster, args: list[str]) -> str:
    raise CommandError(NOT_YET)


def create_from_manifest(sim, cluster, args: list[str]) -> str:
    raise CommandError(NOT_YET)


def delete_from_manifest(sim, cluster, args: list[str]) -> str:
    raise CommandError(NOT_YET)
