"""ReplicaSet: keeps a number of pods from one template running (controllers/replicaset.py); a Deployment makes one
per revision of its template. The wide columns of the template here serve Deployments too."""

from __future__ import annotations

from ..api_fields import nonzero, object_meta, template_api
from ..controllers.deployment import surge_and_unavailable
from ..describing import Describer, Lines, format_labels, labels_of
from ..objects import ReplicaSet
from .kind import AGE, NAME, Column, Kind

# kubectl get -o wide for a kind that runs pods from a template (.template, .selector).
TEMPLATE_COLUMNS = (
    Column("CONTAINERS", lambda ctx, o: ",".join(c["name"] for c in o.template["containers"]), wide=True),
    Column("IMAGES", lambda ctx, o: ",".join(c["image"] for c in o.template["containers"]), wide=True),
    Column("SELECTOR", lambda ctx, o: format_labels(o.selector), wide=True),
)


def active_pods(cluster, rs: ReplicaSet) -> int:
    """Its pods that are not terminating: what describe counts as current."""
    return sum(1 for p in cluster.pods_of_rs(rs) if not p.terminating)


def _describe(ctx: Describer, rs: ReplicaSet) -> str:
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
    w.add(f"Replicas:\t{active_pods(ctx.cluster, rs)} current / {rs.replicas} desired",
          f"Pods Status:\t{running} Running / {waiting} Waiting / 0 Succeeded / 0 Failed")
    ctx.pod_template(w, rs.template, labels)
    ctx.events(w, "ReplicaSet", rs.name, rs.namespace)
    return w.text()


def _render(sim, cluster, rs: ReplicaSet) -> dict:
    d = cluster.deployments.get(f"{rs.namespace}/{rs.deployment}")
    labels = {**rs.template["labels"], "pod-template-hash": rs.template_hash}
    annotations = {"deployment.kubernetes.io/revision": str(rs.revision)}
    extra: dict = {"generation": 1}
    if d is not None:
        annotations["deployment.kubernetes.io/desired-replicas"] = str(d.replicas)
        annotations["deployment.kubernetes.io/max-replicas"] = str(d.replicas + surge_and_unavailable(d)[0])
        extra["ownerReferences"] = [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                     "kind": "Deployment", "name": d.name, "uid": d.uid}]
    if rs.change_cause:
        annotations["kubernetes.io/change-cause"] = rs.change_cause
    pods = [p for p in cluster.pods_of_rs(rs) if not p.terminating]
    ready = sum(p.ready for p in pods)
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": object_meta(rs.name, rs.namespace, rs.uid, rs.created, labels, annotations, **extra),
            "spec": {"replicas": rs.replicas, "selector": {"matchLabels": dict(rs.selector)},
                     "template": template_api(rs.template, labels)},
            "status": {"observedGeneration": 1, "replicas": len(pods),
                       **nonzero(fullyLabeledReplicas=len(pods), readyReplicas=ready, availableReplicas=ready)}}


def _current(ctx, rs: ReplicaSet) -> str:
    return str(len([p for p in ctx.cluster.pods_of_rs(rs) if not p.terminating]))


def _ready(ctx, rs: ReplicaSet) -> str:
    return str(sum(p.ready for p in ctx.cluster.pods_of_rs(rs) if not p.terminating))


KIND = Kind(
    kind="ReplicaSet", plural="replicasets", singular="replicaset", short_names=("rs",), group="apps",
    store="replicasets", record=ReplicaSet,
    columns=(NAME, Column("DESIRED", lambda ctx, rs: str(rs.replicas)), Column("CURRENT", _current),
             Column("READY", _ready), AGE, *TEMPLATE_COLUMNS),
    describe=_describe,
    render=_render,
)
