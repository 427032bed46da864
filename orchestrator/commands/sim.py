"""``sim …``: what the real world does to a cluster (a VM dies, time passes), which kubectl cannot do."""

from __future__ import annotations

from .. import events
from .parse import CommandError

USAGE = ("사용법: sim node fail NODE | sim node recover NODE | sim traffic SERVICE RPS | sim advance SECONDS | "
         "sim app crash|heal DEPLOYMENT | sim explain pod NAME | sim cost | sim status | sim undo\n"
         "자세한 설명은 sim help를 입력해 보세요.")


def sim_command(sim, args: list[str]) -> str:
    if not args or args[0] in ("help", "-h", "--help"):
        from .help import help_text

        return help_text(["sim"])
    if args[0] == "node" and len(args) == 3 and args[1] in ("fail", "recover"):
        return _node(sim, args[1], args[2])
    if args[0] == "advance" and len(args) == 2:
        return _advance(sim, args[1])
    if args[0] == "status" and len(args) == 1:
        return _status(sim)
    if args[0] == "explain":
        from .explain import explain_command

        return explain_command(sim, args[1:])
    if args[0] == "cost" and len(args) == 1:
        from ..cost import report

        return report(list(sim.clusters.values()))
    if args[0] == "app":
        return app_fault(sim, args[1:])
    if args[0] == "traffic":
        from .expose import traffic

        cluster = sim.current_cluster()
        if cluster is None:
            raise CommandError("kubectl이 가리키는 클러스터가 없습니다. 먼저 클러스터를 만들어 보세요.")
        return traffic(sim, cluster, args[1:])
    raise CommandError(f"알 수 없는 sim 명령입니다: {' '.join(args)}\n{USAGE}")


def resolve_node(cluster, name: str):
    """An exact node name, or a unique part of one (the 4-character suffix is enough)."""
    if name in cluster.nodes:
        return cluster.nodes[name]
    found = [n for n in cluster.nodes.values() if name and name in n.name]
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f'Error from server (NotFound): nodes "{name}" not found')
    raise CommandError(f"'{name}'에 해당하는 노드가 여러 개입니다: " + ", ".join(n.name for n in found))


def _node(sim, action: str, name: str) -> str:
    cluster = sim.current_cluster()
    if cluster is None:
        raise CommandError("kubectl이 가리키는 클러스터가 없습니다. 먼저 클러스터를 만들어 보세요.")
    node = resolve_node(cluster, name)
    if action == "fail":
        if node.down_since is not None:
            return f"{node.name} 노드는 이미 멈춰 있습니다."
        node.down_since = sim.time
        events.record(cluster, sim.time, "Warning", "NodeFailure", "Node", node.name,
                      "simulated VM failure: kubelet stopped posting node status", "sim", "")
        return (f"{node.name} 노드의 VM을 멈췄습니다. 약 50초 뒤 NotReady가 되고, "
                "그로부터 300초 뒤 파드가 축출되어 다른 노드에 다시 만들어집니다.")
    if node.down_since is None:
        return f"{node.name} 노드는 이미 동작 중입니다."
    node.down_since = None
    return f"{node.name} 노드의 VM을 다시 켰습니다. 다음 틱에 kubelet이 상태 보고를 재개합니다."


def _advance(sim, text: str) -> str:
    try:
        seconds = float(text.rstrip("s"))
    except ValueError:
        raise CommandError(f"'{text}'은(는) 초 단위 숫자가 아닙니다. 예: sim advance 30") from None
    if not 0 < seconds <= sim.limits.max_advance_seconds:
        raise CommandError(f"1초에서 {sim.limits.max_advance_seconds:,}초 사이로 입력해 주세요.")
    sim.advance(seconds)
    return f"시뮬레이션 시간이 {seconds:g}초 흘렀습니다 (현재 {sim.time:g}초)."


def _status(sim) -> str:
    lines = [f"시뮬레이션 시각: {sim.time:g}초", f"프로젝트: {sim.project}"]
    for cluster in sim.clusters.values():
        ready = sum(1 for n in cluster.nodes.values() if n.ready == "True")
        running = sum(1 for p in cluster.pods.values() if p.phase == "Running" and p.namespace != "kube-system")
        lines.append(f"클러스터 {cluster.name} ({cluster.location}): 노드 {ready}/{len(cluster.nodes)}개 Ready, "
                     f"실행 중인 파드 {running}개")
    if not sim.clusters:
        lines.append("클러스터가 없습니다.")
    return "\n".join(lines)


def app_fault(sim, args: list[str]) -> str:
    """``sim app crash|heal DEPLOYMENT``: break or mend the application inside the containers."""
    cluster = sim.current_cluster()
    if cluster is None:
        raise CommandError("kubectl이 가리키는 클러스터가 없습니다. 먼저 클러스터를 만들어 보세요.")
    if len(args) != 2 or args[0] not in ("crash", "heal"):
        raise CommandError("사용법: sim app crash DEPLOYMENT | sim app heal DEPLOYMENT")
    action, name = args
    key = f"default/{name.split('/')[-1]}"
    d = cluster.deployments.get(key)
    if d is None:
        raise CommandError(f'Error from server (NotFound): deployments.apps "{name}" not found')
    if action == "crash":
        if key not in cluster.crashing:
            cluster.crashing.append(key)
        message = (f"{d.name}의 애플리케이션이 고장 났습니다. 활성 프로브(liveness probe)가 있으면 검사에 실패하고, "
                   "없으면 프로세스가 곧 종료됩니다. 재시작이 반복되면 CrashLoopBackOff가 됩니다.")
    else:
        if key in cluster.crashing:
            cluster.crashing.remove(key)
        message = f"{d.name}의 애플리케이션을 고쳤습니다. 다음 재시작부터 정상으로 동작합니다."
    for rs in cluster.replicasets_of(d):
        for pod in cluster.pods_of_rs(rs):
            if pod.stage == "running" and not pod.terminating:
                pod.next_at = sim.time + 1
                cluster.queue_kubelet(pod)
    return message
