"""The sandbox's cap on pods, refused before a command creates any."""

from __future__ import annotations

from .parse import CommandError


def check_room(sim, cluster, wanted_more: int) -> None:
    if wanted_more > sim.pod_room():
        raise CommandError(f"이 샌드박스에서는 파드를 최대 {sim.limits.max_pods:,}개까지 만들 수 있습니다 "
                           f"(지금 {sim.limits.max_pods - sim.pod_room():,}개). 레플리카 수를 줄여 주세요.")
