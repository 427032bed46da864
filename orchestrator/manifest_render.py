"""The engine's objects as Kubernetes API objects: what ``kubectl get -o yaml|json`` prints.

Every spec field a manifest can set is printed so that the output, applied again, changes nothing.
Values the engine does not keep (uids of nodes and services, resourceVersion) are derived from stable
inputs, so the same simulation always prints the same text.
"""

from __future__ import annotations

import hashlib
import json

from .api_fields import derived_uid, iso, object_meta, pod_spec_api, template_api
from .controllers.deployment import new_replicaset, surge_and_unavailable
from .controllers.deployment import status as deployment_status
from .kinds.registry import KINDS
from .naming import fnv32a

PROGRESS_MESSAGES = {"NewReplicaSetAvailable": 'ReplicaSet "{}" has successfully progressed.',
                     "NewReplicaSetCreated": 'Created new replica set "{}"',
                     "ProgressDeadlineExceeded": 'ReplicaSet "{}" has timed out progressing.'}


def to_api(sim, cluster, plural: str, obj) -> dict:
    """One object of kind ``plural`` (a kinds.registry.KINDS key) as the API server would return it."""
    out = (KINDS[plural].render or _RENDERERS[plural])(sim, cluster, obj)
    # A stand-in for etcd's revision: it changes whenever anything in the object does.
    out["metadata"]["resourceVersion"] = str(fnv32a(json.dumps(out, sort_keys=True).encode()) % 10**8 + 10**6)
    return out


def _nonzero(**values) -> dict:
    """Status counters the API server leaves out when they are zero."""
    return {k: v for k, v in values.items() if v}


# --- kinds ------------------------------------------------------------------------------------------------


def _deployment(sim, cluster, d) -> dict:
    s = deployment_status(cluster, d)
    new = new_replicaset(cluster, d)
    annotations = dict(d.annotations)
    if new is not None:
        annotations["deployment.kubernetes.io/revision"] = str(new.revision)
    strategy: dict = {"type": d.strategy}
    if d.strategy == "RollingUpdate":
        strategy["rollingUpdate"] = {"maxSurge": d.max_surge, "maxUnavailable": d.max_unavailable}
    spec = {"progressDeadlineSeconds": d.progress_deadline, "replicas": d.replicas,
            "revisionHistoryLimit": d.revision_history_limit, "selector": {"matchLabels": dict(d.selector)},
            "strategy": strategy, "template": template_api(d.template)}
    if d.paused:
        spec["paused"] = True
    _, max_unavailable = surge_and_unavailable(d)
    stamp = iso(d.last_progress)
    if s["available"] >= d.replicas - max_unavailable:
        available = ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    else:
        available = ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
    rs_name = new.name if new else d.name
    if d.paused:
        progressing = ("Unknown", "DeploymentPaused", "Deployment is paused")
    else:
        message = PROGRESS_MESSAGES.get(d.progress_reason, 'ReplicaSet "{}" is progressing.').format(rs_name)
        status = "False" if d.progress_reason == "ProgressDeadlineExceeded" else "True"
        progressing = (status, d.progress_reason, message)
    conditions = [{"type": kind, "status": st, "reason": reason, "message": message, "lastTransitionTime": stamp,
                   "lastUpdateTime": stamp}
                  for kind, (st, reason, message) in (("Available", available), ("Progressing", progressing))]
    status = {"observedGeneration": d.generation, "conditions": conditions,
              **_nonzero(replicas=s["replicas"], updatedReplicas=s["updated"], readyReplicas=s["ready"],
                         availableReplicas=s["available"],
                         unavailableReplicas=max(0, d.replicas - s["available"]))}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": object_meta(d.name, d.namespace, d.uid, d.created, d.labels, annotations,
                                    generation=d.generation),
            "spec": spec, "status": status}


def _replicaset(sim, cluster, rs) -> dict:
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
                       **_nonzero(fullyLabeledReplicas=len(pods), readyReplicas=ready, availableReplicas=ready)}}


def _pod(sim, cluster, pod) -> dict:
    extra: dict = {}
    if pod.owner_kind == "ReplicaSet":
        rs = cluster.replicasets.get(f"{pod.namespace}/{pod.owner}")
        extra["generateName"] = f"{pod.owner}-"
        extra["ownerReferences"] = [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                     "kind": "ReplicaSet", "name": pod.owner,
                                     "uid": rs.uid if rs else derived_uid(f"rs:{pod.owner}")}]
    elif pod.owner_kind:
        job = cluster.jobs.get(f"{pod.namespace}/{pod.owner}") if pod.owner_kind == "Job" else None
        api = {"DaemonSet": "apps/v1", "Job": "batch/v1"}.get(pod.owner_kind, "v1")
        extra["ownerReferences"] = [{"apiVersion": api,
                                     "controller": True, "kind": pod.owner_kind, "name": pod.owner or "",
                                     "uid": job.uid if job else derived_uid(f"{pod.owner_kind}:{pod.owner}")}]
    if pod.terminating:
        extra["deletionGracePeriodSeconds"] = pod.grace
        extra["deletionTimestamp"] = iso(pod.deleting_at + pod.grace)
    template = {"node_selector": pod.node_selector, "tolerations": pod.tolerations,
                "node_name": pod.node or pod.node_name, "restart_policy": pod.restart_policy}
    spec = pod_spec_api(template, pod.containers, pod.grace)
    spec.update({"enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority", "priority": 0,
                 "serviceAccount": "default", "serviceAccountName": "default"})
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": object_meta(pod.name, pod.namespace, pod.uid, pod.created, pod.labels, **extra),
            "spec": spec, "status": _pod_status(cluster, pod)}


def _pod_status(cluster, pod) -> dict:
    scheduled = pod.node is not None
    since = iso(pod.scheduled_at if pod.scheduled_at is not None else pod.created)
    names = ",".join(c["name"] for c in pod.containers)

    def condition(kind: str, ok: bool, reason: str = "", message: str = "") -> dict:
        out = {"type": kind, "status": "True" if ok else "False", "lastProbeTime": None, "lastTransitionTime": since}
        if not ok and reason:
            out["reason"] = reason
        if not ok and message:
            out["message"] = message
        return out

    if not scheduled:
        conditions = [condition("PodScheduled", False, "Unschedulable", pod.unschedulable)]
    else:
        conditions = [condition("PodReadyToStartContainers", pod.started_at is not None),
                      condition("Initialized", True),
                      condition("Ready", pod.ready, "ContainersNotReady", f"containers with unready status: [{names}]"),
                      condition("ContainersReady", pod.ready, "ContainersNotReady",
                                f"containers with unready status: [{names}]"),
                      condition("PodScheduled", True)]
    status: dict = {"phase": pod.phase, "conditions": conditions, "qosClass": _qos(pod.containers)}
    if scheduled:
        node = cluster.nodes.get(pod.node)
        if node is not None:
            status["hostIP"] = node.internal_ip
            status["hostIPs"] = [{"ip": node.internal_ip}]
        status["startTime"] = since
        statuses = []
        for c in pod.containers:
            entry = {"name": c["name"], "image": c["image"], "imageID": "", "ready": pod.ready,
                     "restartCount": pod.restarts, "started": pod.phase == "Running" and not pod.reason,
                     "lastState": {}}
            if pod.phase == "Succeeded":
                entry["state"] = {"terminated": {"exitCode": 0, "reason": "Completed",
                                                 "startedAt": iso(pod.started_at or pod.created),
                                                 "finishedAt": iso(pod.finished_at or pod.created)}}
            elif pod.phase == "Running" and not pod.reason:
                entry["state"] = {"running": {"startedAt": iso(pod.started_at or pod.created)}}
                entry["containerID"] = "containerd://" + hashlib.sha256(f"{pod.uid}/{c['name']}".encode()).hexdigest()
            else:
                entry["state"] = {"waiting": {"reason": pod.reason or "ContainerCreating"}}
            statuses.append(entry)
        status["containerStatuses"] = statuses
    if pod.ip:
        status["podIP"] = pod.ip
        status["podIPs"] = [{"ip": pod.ip}]
    return status


def _qos(containers: list[dict]) -> str:
    if all(c.get("cpu") is not None and c.get("cpu") == c.get("limit_cpu") and c.get("memory") is not None
           and c.get("memory") == c.get("limit_memory") for c in containers):
        return "Guaranteed"
    if any(c.get(k) for c in containers for k in ("cpu", "memory", "limit_cpu", "limit_memory")):
        return "Burstable"
    return "BestEffort"


_RENDERERS = {"deployments": _deployment, "replicasets": _replicaset, "pods": _pod}
