"""kubectl's node verbs: ``cordon``, ``uncordon`` and ``drain``, with drain.go's messages."""

from __future__ import annotations

from .. import events
from ..pods import begin_delete
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
    for pod in evictable:
        lines.append(f"evicting pod {pod.namespace}/{pod.name}")
    for pod in evictable:
        begin_delete(cluster, pod, sim.time)
        lines.append(f"pod/{pod.name} evicted")
    lines.append(f"node/{node.name} drained")
    sim.settle()
    return "\n".join(lines)
