"""Estimated hourly cost of the project from the example prices in ``catalog`` (not a bill)."""

from __future__ import annotations

from .catalog import (
    AUTOPILOT_GIB_PER_HOUR,
    AUTOPILOT_VCPU_PER_HOUR,
    CLUSTER_FEE_PER_HOUR,
    NODE_PRICE_PER_HOUR,
)
from .model import Cluster

GIB = 2**30


def cluster_cost(cluster: Cluster) -> list[tuple[str, float]]:
    """(Korean line label, dollars per hour) items for one cluster: Standard pays for nodes, Autopilot
    for the CPU and memory its pods request."""
    items = [("클러스터 관리 수수료", CLUSTER_FEE_PER_HOUR)]
    if cluster.mode == "autopilot":
        pods = [p for p in cluster.pods.values() if p.namespace != "kube-system" and not p.terminating
                and p.node is not None]
        vcpu = sum(p.cpu for p in pods) / 1000
        gib = sum(p.memory for p in pods) / GIB
        items.append((f"파드 요청 vCPU {vcpu:g}개 × ${AUTOPILOT_VCPU_PER_HOUR:.4f}", vcpu * AUTOPILOT_VCPU_PER_HOUR))
        items.append((f"파드 요청 메모리 {gib:g}GiB × ${AUTOPILOT_GIB_PER_HOUR:.4f}", gib * AUTOPILOT_GIB_PER_HOUR))
        return items
    counts: dict[str, int] = {}
    for node in cluster.nodes.values():
        counts[node.machine_type] = counts.get(node.machine_type, 0) + 1
    for machine, count in sorted(counts.items()):
        price = NODE_PRICE_PER_HOUR.get(machine, 0.0)
        items.append((f"노드 {count}개 × {machine} (${price:.4f})", count * price))
    return items


def hourly(cluster: Cluster) -> float:
    return sum(amount for _, amount in cluster_cost(cluster))


def report(clusters: list[Cluster]) -> str:
    """The text of ``sim cost``."""
    from .tabwriter import tabwrite

    lines = ["예상 비용 (예시 가격, 미국 달러/시간). 실제 청구 금액은 리전, 약정 할인, 무료 등급에 따라 다릅니다.", ""]
    if not clusters:
        return "\n".join(lines + ["클러스터가 없어 비용이 들지 않습니다."])
    total = 0.0
    rows = []
    for cluster in clusters:
        mode = "Autopilot" if cluster.mode == "autopilot" else "Standard"
        rows.append(f"클러스터 {cluster.name} ({mode}, {cluster.location})")
        for label, amount in cluster_cost(cluster):
            rows.append(f"  {label}\t${amount:.4f}")
        subtotal = hourly(cluster)
        rows.append(f"  소계\t${subtotal:.4f}")
        total += subtotal
    lines.append(tabwrite("\n".join(rows), minwidth=0, padding=3, wide=True))
    lines += ["", f"합계: 시간당 ${total:.4f} (30일이면 약 ${total * 24 * 30:,.2f})"]
    return "\n".join(lines)
