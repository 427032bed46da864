"""``kubectl describe`` for Deployments and ReplicaSets, after kubectl's describers, line for line."""

from __future__ import annotations

from ..controllers.deployment import new_replicaset, surge_and_unavailable
from ..controllers.deployment import status as deployment_status
from ..describing import Describer, Lines, format_labels
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
    items = [f"{rs.name} ({_active(ctx, rs)}/{rs.replicas} replicas created)" for rs in sets]
    return ", ".join(items) or "<none>"

def _active(ctx: Describer, rs: ReplicaSet) -> int:
    return sum(1 for p in ctx.cluster.pods_of_rs(rs) if not p.terminating)

def describe_replicaset(ctx: Describer, rs: ReplicaSet) -> str:
    w = Lines()
    d = ctx.cluster.deployments.get(f"{rs.namespace}/{rs.deployment}")
    labels = labels_of(rs)
    w.add(f"Name:\t{rs.name}", f"Namespace:\t{rs.namespace}", f"Selector:\t{format_labels(rs.selector)}")
    w.labels("Labels", labels)
    annotations = {"deployment.kubernetes.io/revision": str(rs.revision)}
    if d is not None:
        annotations["deployment.kubernetes.io/desired-replicas"] = str(d.replicas)
        annotations["deployment.kubernetes.io/max-replicas"] = str(d.replicas + surge_and_unavailable(d)[0])
    if rs.change_cause:
        annotations["kubernetes.io/change-cause"] = rs.change_cause
    w.annotations("Annotations", annotations)
    if d is not None:
        w.add(f"Controlled By:\tDeployment/{rs.deployment}")
    pods = ctx.cluster.pods_of_rs(rs)
    running = sum(1 for p in pods if p.phase == "Running")
    waiting = sum(1 for p in pods if p.phase == "Pending")
    w.add(f"Replicas:\t{_active(ctx, rs)} current / {rs.replicas} desired",
          f"Pods Status:\t{running} Running / {waiting} Waiting / 0 Succeeded / 0 Failed")
    ctx.pod_template(w, rs.template, labels)
    ctx.events(w, "ReplicaSet", rs.name, rs.namespace)
    return w.text()


def labels_of(obj) -> dict[str, str]:
    if isinstance(obj, ReplicaSet):  # a ReplicaSet carries its pod template's labels plus the hash
        return {**obj.template["labels"], "pod-template-hash": obj.template_hash}
    return obj.labels
