"""``kubectl describe deployment``, after kubectl's describer, line for line."""

from __future__ import annotations

from ..controllers.deployment import new_replicaset, surge_and_unavailable
from ..controllers.deployment import status as deployment_status
from ..describing import Describer, Lines, format_labels
from ..kinds.replicaset import active_pods
from ..model import Deployment, ReplicaSet
from ..timefmt import rfc1123z

PROGRESSING_TRUE = ("NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated", "NewReplicaSetAvailable")


def describe_deployment(ctx: Describer, d: Deployment) -> str:
    w = Lines()
    s = deployment_status(ctx.cluster, d)
    new = new_replicaset(ctx.cluster, d)
    owned = sorted(ctx.cluster.replicasets_of(d), key=lambda rs: (rs.created, rs.name))
    _, max_unavailable = surge_and_unavailable(d)
    unavailable = max(0, sum(rs.replicas for rs in owned) - s["available"])
    w.add(f"Name:\t{d.name}", f"Namespace:\t{d.namespace}", f"CreationTimestamp:\t{rfc1123z(d.created)}")
    w.labels("Labels", d.labels)
    revision = {"deployment.kubernetes.io/revision": str(new.revision)} if new else {}
    w.annotations("Annotations", {**d.annotations, **revision})
    w.add(f"Selector:\t{format_labels(d.selector)}",
          f"Replicas:\t{d.replicas} desired | {s['updated']} updated | {s['replicas']} total | "
          f"{s['available']} available | {unavailable} unavailable",
          f"StrategyType:\t{d.strategy}", "MinReadySeconds:\t0")
    if d.strategy == "RollingUpdate":
        w.add(f"RollingUpdateStrategy:\t{d.max_unavailable} max unavailable, {d.max_surge} max surge")
    ctx.pod_template(w, d.template, d.template["labels"])
    if s["available"] >= d.replicas - max_unavailable:
        available = ("True", "MinimumReplicasAvailable")
    else:
        available = ("False", "MinimumReplicasUnavailable")
    if d.paused:
        progressing = ("Unknown", "DeploymentPaused")
    else:
        progressing = ("True" if d.progress_reason in PROGRESSING_TRUE else "False", d.progress_reason)
    w.add("Conditions:", "  Type\tStatus\tReason", "  ----\t------\t------",
          f"  Available \t{available[0]}\t{available[1]}", f"  Progressing \t{progressing[0]}\t{progressing[1]}")
    old = [rs for rs in owned if rs is not new and rs.replicas != 0]
    w.add(f"OldReplicaSets:\t{_rs_list(ctx, old)}", f"NewReplicaSet:\t{_rs_list(ctx, [new] if new else [])}")
    ctx.events(w, "Deployment", d.name, d.namespace)
    return w.text()

def _rs_list(ctx: Describer, sets: list[ReplicaSet]) -> str:
    items = [f"{rs.name} ({active_pods(ctx.cluster, rs)}/{rs.replicas} replicas created)" for rs in sets]
    return ", ".join(items) or "<none>"
