"""kubectl's node verbs: ``cordon``, ``uncordon`` and ``drain``, with drain.go's messages."""

from __future__ import annotations

import re

from .. import events
from ..disruption import VIOLATION, blocking
from ..model import Taint
from ..pods import begin_delete
from ..timefmt import go_duration
from .parse import CommandError, Flag, parse_flags


def find_node(cluster, name: str):
    node = cluster.nodes.get(name)
    if node is None:
        raise CommandError(f'Error from server (NotFound): nodes "{name}" not found')
    return node


def cordon(sim, cluster, args, on: bool = True):
    positional, _ = parse_flags(args, [Flag("dry-run")], "kubectl cordon" if on else "kubectl uncordon")
    if not positional:
        raise CommandError("error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples"
                           if on else
                           "error: USAGE: uncordon NODE [flags]\nSee 'kubectl uncordon -h' for help and examples")
    lines = []
    for name in positional:
        node = find_node(cluster, name)
        word = "cordoned" if on else "uncordoned"
        if node.unschedulable == on:
            lines.append(f"node/{node.name} already {word}")
            continue
        node.unschedulable = on
        if on:
            events.record(cluster, sim.time, "Normal", "NodeNotSchedulable", "Node", node.name,
                          f"Node {node.name} status is now: NodeNotSchedulable", "kubelet", "")
        else:
            cluster.sched_retry = True
            events.record(cluster, sim.time, "Normal", "NodeSchedulable", "Node", node.name,
                          f"Node {node.name} status is now: NodeSchedulable", "kubelet", "")
        lines.append(f"node/{node.name} {word}")
    return "\n".join(lines)


def uncordon(sim, cluster, args):
    return cordon(sim, cluster, args, on=False)


def drain(sim, cluster, args):
    spec = [Flag("ignore-daemonsets", None, "bool"), Flag("force", None, "bool"),
            Flag("delete-emptydir-data", None, "bool"), Flag("delete-local-data", None, "bool"),
            Flag("grace-period", None, "int", -1), Flag("timeout"), Flag("dry-run")]
    positional, flags = parse_flags(args, spec, "kubectl drain")
    if len(positional) != 1:
        raise CommandError("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples")
    node = find_node(cluster, positional[0])
    lines = [cordon(sim, cluster, [node.name])]
    pods = [p for p in cluster.pods_on(node) if not p.terminating]
    daemons = [p for p in pods if p.owner_kind == "DaemonSet"]
    bare = [p for p in pods if p.owner_kind is None]
    problems = []
    if daemons and not flags["ignore-daemonsets"]:
        problems.append("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
                        + ", ".join(f"{p.namespace}/{p.name}" for p in daemons))
    if bare and not flags["force"]:
        problems.append("cannot delete Pods that declare no controller (use --force to override): "
                        + ", ".join(f"{p.namespace}/{p.name}" for p in bare))
    if problems:
        detail = "; ".join(problems)
        lines.append(f'error: unable to drain node "{node.name}" due to error: {detail}, continuing command...')
        lines.append("There are pending nodes to be drained:")
        lines.append(f" {node.name}")
        lines.extend(problems)
        raise CommandError("\n".join(lines))
    if daemons:
        lines.append("Warning: ignoring DaemonSet-managed Pods: "
                     + ", ".join(f"{p.namespace}/{p.name}" for p in daemons))
    # Mirror pods (kube-proxy) are skipped silently: the kubelet owns them, not the API server.
    evictable = [p for p in pods if p.owner_kind not in ("DaemonSet", "Node")]
    timeout = _timeout(flags["timeout"])
    waited = repeats = 0
    previous: list[str] = []
    while evictable:
        block = [f"evicting pod {pod.namespace}/{pod.name}" for pod in evictable]
        blocked = []
        for pod in evictable:
            # The Eviction API checks the pod's disruption budgets one eviction at a time.
            if blocking(cluster, pod) is not None:
                block.append(f'error when evicting pods/"{pod.name}" -n "{pod.namespace}" (will retry after 5s): '
                             f"{VIOLATION}")
                blocked.append(pod)
                continue
            begin_delete(cluster, pod, sim.time)
            block.append(f"pod/{pod.name} evicted")
        sim.settle()
        # kubectl prints every retry; the console shows two and counts the rest.
        if block == previous:
            repeats += 1
        else:
            _skipped(lines, previous, repeats)
            repeats = 0
        if repeats < 2:
            lines.extend(block)
        previous = block
        evictable = [p for p in blocked if p.key in cluster.pods and not p.terminating]
        if not evictable:
            break
        limit = timeout if timeout else DRAIN_WAIT_LIMIT
        if waited + DRAIN_RETRY_SECONDS > limit:
            _skipped(lines, previous, repeats)
            if timeout:
                shown = go_duration(timeout)
                errors = ", ".join(f'error when evicting pods/"{p.name}" -n "{p.namespace}": global timeout reached: '
                                   f"{shown}" for p in evictable)
                lines.append(f'error: unable to drain node "{node.name}" due to error: [{errors}], continuing '
                             "command...")
                lines.append("There are pending nodes to be drained:")
                lines.append(f" {node.name}")
                lines.append(errors)
                raise CommandError("\n".join(lines))
            lines.append(f"(시뮬레이션 시간으로 {waited}초 동안 축출을 다시 시도했지만 PodDisruptionBudget이 계속 "
                         "막고 있습니다. 실제 kubectl drain은 --timeout이 없으면 Ctrl+C를 누를 때까지 5초마다 다시 "
                         "시도합니다. 노드는 cordon된 상태로 남습니다.)")
            raise CommandError("\n".join(lines))
        # kubectl waits five seconds between tries; here that wait is simulated time.
        sim.advance(DRAIN_RETRY_SECONDS)
        waited += DRAIN_RETRY_SECONDS
    lines.append(f"node/{node.name} drained")
    return "\n".join(lines)


def _skipped(lines: list[str], block: list[str], repeats: int) -> None:
    """After a run of identical retries: one left out is shown, more are counted."""
    if repeats == 2:
        lines.extend(block)
    elif repeats > 2:
        lines.append(f"(같은 메시지가 {repeats - 1}번 더 나왔습니다.)")


def _timeout(text: str | None) -> float:
    """``--timeout=2m`` -> seconds; 0 (the default) waits forever."""
    if not text:
        return 0
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text.strip())
    if not match or not any(match.groups()):
        if text.strip().isdigit():
            return float(text)
        raise CommandError(f'error: invalid argument "{text}" for "--timeout" flag: time: missing unit in duration '
                           f'"{text}"')
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


DRAIN_RETRY_SECONDS = 5  # kubectl drain's wait between evictions the API server refused
DRAIN_WAIT_LIMIT = 120  # without --timeout kubectl retries forever; the console stops after this much simulated time
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_TAINT = re.compile(r"^([A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?)(?:=([^:]*))?(?::([A-Za-z]+))?(-)?$")


def taint(sim, cluster, args):
    """``kubectl taint nodes NODE key=value:Effect`` to add, ``key:Effect-`` or ``key-`` to remove."""
    positional, flags = parse_flags(args, [Flag("overwrite", None, "bool"), Flag("all", None, "bool")],
                                    "kubectl taint")
    if len(positional) < 3 or positional[0] not in ("node", "nodes", "no"):
        raise CommandError("error: at least one taint update is required\n"
                           "사용법: kubectl taint nodes NODE key=value:NoSchedule (지우려면 끝에 -를 붙입니다)")
    node = find_node(cluster, positional[1])
    added = removed = False
    for spec in positional[2:]:
        match = _TAINT.match(spec)
        if not match:
            raise CommandError(f'error: invalid taint spec: {spec}, unknown taint spec: "{spec}"')
        key, value, effect, minus = match.groups()
        if effect is not None and effect not in EFFECTS:
            raise CommandError(f"error: invalid taint effect: {effect}, unsupported taint effect")
        if minus:
            before = len(node.taints)
            node.taints = [t for t in node.taints if not (t["key"] == key and effect in (None, t["effect"]))]
            if len(node.taints) == before:
                shown = f"{key}:{effect}" if effect else key
                raise CommandError(f'error: taint "{shown}" not found')
            removed = True
            continue
        if effect is None:
            raise CommandError(f"error: invalid taint spec: {spec}, unknown taint spec: \"{spec}\"")
        same = [t for t in node.taints if t["key"] == key and t["effect"] == effect]
        if same and not flags["overwrite"]:
            raise CommandError(f"error: node {node.name} already has {key} taint(s) with same effect(s) and "
                               "--overwrite is false")
        node.taints = [t for t in node.taints if t not in same]
        node.taints.append(Taint(key, effect, value or "", added=sim.time).as_spec())
        added = True
    cluster.sched_retry = True
    return f"node/{node.name} {'tainted' if added or not removed else 'untainted'}"
