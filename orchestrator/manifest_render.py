"""The engine's objects as Kubernetes API objects: what ``kubectl get -o yaml|json`` prints.

Every spec field a manifest can set is printed so that the output, applied again, changes nothing.
Values the engine does not keep (uids of nodes and services, resourceVersion) are derived from stable
inputs, so the same simulation always prints the same text.
"""

from __future__ import annotations

import json

from .api_fields import iso, nonzero, object_meta, template_api
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
              **nonzero(replicas=s["replicas"], updatedReplicas=s["updated"], readyReplicas=s["ready"],
                         availableReplicas=s["available"],
                         unavailableReplicas=max(0, d.replicas - s["available"]))}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": object_meta(d.name, d.namespace, d.uid, d.created, d.labels, annotations,
                                    generation=d.generation),
            "spec": spec, "status": status}


_RENDERERS = {"deployments": _deployment}
