"""``sim explain pod NAME``: why the scheduler put a pod where it is (or why it cannot place it).

Every node's filter verdict and every score plugin's 0-100 score with its weight, from
:func:`orchestrator.scheduler.explain`. Reading never changes the simulation.
"""

from __future__ import annotations

from ..catalog import ImageSizes
from ..model import Cluster, Pod
from ..scheduler import WEIGHTS, explain
from ..tabwriter import tabwrite
from .parse import CommandError, Flag, parse_flags

USAGE = "사용법: sim explain pod NAME [-n NAMESPACE]"
SHORT = {"TaintToleration": "TAINT", "NodeResourcesFit": "FIT", "PodTopologySpread": "SPREAD",
         "NodeResourcesBalancedAllocation": "BALANCE", "ImageLocality": "IMAGE"}


def explain_command(sim, args: list[str]) -> str:
    """``sim explain pod NAME [-n NS]``: the scheduler's view of one pod, as a table plus a short guide."""
    positional, flags = parse_flags(args, [Flag("namespace", "n")], "sim explain")
    if len(positional) != 2 or positional[0] not in ("pod", "pods", "po"):
        raise CommandError(USAGE)
    cluster = sim.current_cluster()
    if cluster is None:
        raise CommandError("kubectl이 가리키는 클러스터가 없습니다. 먼저 클러스터를 만들어 보세요.")
    pod = _find_pod(cluster, positional[1], flags["namespace"] or "default")
    rows, fit_error = explain(cluster, pod, ImageSizes())
    return _render(cluster, pod, rows, fit_error)


def _find_pod(cluster: Cluster, name: str, namespace: str) -> Pod:
    """An exact name, or a unique part of one (the random suffix is enough)."""
    exact = cluster.pods.get(f"{namespace}/{name}")
    if exact is not None:
        return exact
    found = sorted((p for p in cluster.pods.values() if p.namespace == namespace and name and name in p.name),
                   key=lambda p: p.name)
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f'Error from server (NotFound): pods "{name}" not found')
    raise CommandError(f"'{name}'에 해당하는 파드가 여러 개입니다: " + ", ".join(p.name for p in found))


def _render(cluster: Cluster, pod: Pod, rows: list[dict], fit_error: str | None) -> str:
    feasible = [r for r in rows if not r["reasons"]]
    best = max((r["total"] for r in feasible), default=None)
    if pod.node is not None:
        chosen = {pod.node}
    else:
        chosen = {r["node"] for r in feasible if r["total"] == best}
    header = ["", "NODE", *(f"{SHORT[p]}(x{w})" for p, w in WEIGHTS.items()), "TOTAL", "FILTER"]
    lines = ["\t".join(header)]
    for r in rows:
        mark = "*" if r["node"] in chosen else ""
        if r["reasons"]:
            cells = ["-"] * (len(WEIGHTS) + 1) + [", ".join(r["reasons"])]
        else:
            cells = [str(r["scores"].get(p, 0)) for p in WEIGHTS] + [str(r["total"]), "통과"]
        lines.append("\t".join([mark, r["node"], *cells]))
    table = tabwrite("\n".join(lines), minwidth=0, padding=2)

    out = [f"파드 {pod.namespace}/{pod.name}의 스케줄링을 kube-scheduler 기본 프로파일로 계산했습니다.",
           _status(pod), "", table, "", "읽는 법:",
           "- FILTER: 필터 단계의 결과입니다. 통과하지 못한 노드에는 kube-scheduler가 남기는 이유가 적히고, "
           "점수를 매기지 않습니다.",
           "- 점수 열은 플러그인마다 0~100점이고, 괄호 안은 가중치입니다. TOTAL은 (점수 × 가중치)의 합입니다.",
           "  " + ", ".join(f"{s}={p}" for p, s in SHORT.items()),
           "- TOTAL이 가장 높은 노드가 선택되고, 동점인 노드가 여럿이면 그중 하나를 무작위로 고릅니다."]
    if pod.node is not None:
        out.append("- *: 파드가 지금 있는 노드입니다. 점수는 이 파드를 뺀 지금 클러스터 상태로 다시 계산한 값이라, "
                   "배치될 때의 점수와 다를 수 있습니다.")
        if pod.node_name is not None or pod.owner_kind == "Node":
            out.append("- 이 파드는 spec.nodeName으로 노드가 정해져 스케줄러를 거치지 않았습니다.")
    elif chosen:
        out.append("- *: 지금 스케줄링한다면 고를 후보입니다" + (" (동점이라 이 중 하나를 무작위로 고릅니다)."
                                                       if len(chosen) > 1 else "."))
    if pod.node is None:
        message = fit_error or pod.unschedulable
        if message:
            out += ["", f"FailedScheduling: {message}"]
            if feasible:
                out.append("(위 메시지는 마지막 시도의 결과입니다. 그 뒤 클러스터가 바뀌어 이제 들어갈 노드가 있으니, "
                           "스케줄러가 곧 다시 시도합니다.)")
    return "\n".join(out)


def _status(pod: Pod) -> str:
    if pod.terminating:
        return f"상태: Terminating, 노드 {pod.node}"
    if pod.node is not None:
        return f"상태: {pod.status_text}, 노드 {pod.node}에 배치되어 있습니다."
    if pod.unschedulable:
        return "상태: Pending, 들어갈 수 있는 노드가 없어 기다리고 있습니다."
    return "상태: Pending, 스케줄러의 차례를 기다리고 있습니다."
