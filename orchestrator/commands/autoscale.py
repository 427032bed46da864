"""``kubectl autoscale``: a HorizontalPodAutoscaler for a deployment."""

from __future__ import annotations

from ..model import HorizontalPodAutoscaler
from ..naming import uid
from .parse import CommandError, Flag, is_digits, parse_flags
from .rollout import deployment_arg

DEFAULT_CPU_TARGET = 80  # what the HPA uses when no target is given


def autoscale(sim, cluster, args: list[str]) -> str:
    spec = [Flag("min", None, "int", -1), Flag("max", None, "int", -1), Flag("cpu-percent", None, "int", -1),
            Flag("cpu"), Flag("name"), Flag("namespace", "n")]
    positional, flags = parse_flags(args, spec, "kubectl autoscale")
    namespace = flags["namespace"] or "default"
    d = deployment_arg(sim, cluster, positional, namespace)
    low, high = flags["min"], flags["max"]
    if high < 1:
        raise CommandError(f"error: --max=MAXPODS is required and must be at least 1, max: {max(high, 0)}")
    if low == -1:
        low = 1
    if low < 1:
        raise CommandError(f"error: --min=MINPODS must be at least 1, min: {low}")
    if high < low:
        raise CommandError(f"error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {high}, min: {low}")
    target = flags["cpu-percent"]
    if flags["cpu"]:
        text = flags["cpu"].strip()
        if not text.endswith("%") or not is_digits(text[:-1]):
            raise CommandError(f'error: --cpu는 "50%"처럼 백분율로 입력해 주세요 (받은 값: "{text}"). '
                               "밀리코어 단위의 평균 사용량 목표는 아직 지원하지 않습니다.")
        target = int(text[:-1])
    if target == -1:
        target = DEFAULT_CPU_TARGET
    if not 1 <= target <= 10_000:
        raise CommandError(f"error: CPU 목표 사용률은 1에서 10000 사이여야 합니다 (받은 값: {target}).")
    name = flags["name"] or d.name
    key = f"{namespace}/{name}"
    if key in cluster.hpas:
        raise CommandError(f'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "{name}" '
                           "already exists")
    if high > sim.limits.max_pods:
        raise CommandError(f"이 샌드박스에서는 --max를 {sim.limits.max_pods:,} 이하로 정해 주세요.")
    cluster.hpas[key] = HorizontalPodAutoscaler(name=name, namespace=namespace, target=d.name, min_replicas=low,
                                                max_replicas=high, cpu_target=target, created=sim.time,
                                                uid=uid(sim.rng))
    return f"horizontalpodautoscaler.autoscaling/{name} autoscaled"
