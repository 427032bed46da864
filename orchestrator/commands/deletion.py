"""What deleting an object takes with it: kubectl's default background cascade, carried out at once."""

from __future__ import annotations

from ..kinds.kind import Kind
from ..kinds.registry import KINDS
from ..model import Deployment, Job
from ..pods import begin_delete

# The order a namespace's objects go in, so that its events and pod deletions come out the same every time.
NAMESPACE_CONTENTS = ("configmaps", "secrets", "poddisruptionbudgets", "jobs", "ingresses", "managedcertificates")


def delete_object(sim, cluster, kind: Kind, obj) -> None:
    """Delete one stored object; what it owns follows (a Deployment's ReplicaSets and pods, a Job's pods)."""
    if kind.plural == "deployments":
        delete_deployment(sim, cluster, obj)
    elif kind.plural == "pods":
        begin_delete(cluster, obj, sim.time)
    else:
        if kind.plural == "jobs":
            _delete_job_pods(sim, cluster, obj)
        del getattr(cluster, kind.store)[obj.key]


def delete_deployment(sim, cluster, d: Deployment) -> None:
    """The deployment goes now, its ReplicaSets and pods follow."""
    del cluster.deployments[d.key]
    for rs in cluster.replicasets_of(d):
        for pod in cluster.pods_of_rs(rs):
            begin_delete(cluster, pod, sim.time)
        del cluster.replicasets[rs.key]


def _delete_job_pods(sim, cluster, job: Job) -> None:
    for pod in [p for p in cluster.pods.values() if p.owner_kind == "Job" and p.owner == job.name
                and p.namespace == job.namespace]:
        if pod.finished:
            cluster.remove_pod(pod)
        else:
            begin_delete(cluster, pod, sim.time)


def delete_namespace(sim, cluster, name: str) -> None:
    """Everything in the namespace goes with it (at once here; a real namespace shows Terminating a while)."""
    for d in [d for d in cluster.deployments.values() if d.namespace == name]:
        delete_deployment(sim, cluster, d)
    for source in (cluster.services, cluster.hpas):
        for key in [k for k, o in source.items() if o.namespace == name]:
            del source[key]
    for plural in NAMESPACE_CONTENTS:
        kind = KINDS[plural]
        for obj in [o for o in getattr(cluster, kind.store).values() if o.namespace == name]:
            delete_object(sim, cluster, kind, obj)
    for pod in [p for p in cluster.pods.values() if p.namespace == name]:
        begin_delete(cluster, pod, sim.time)
    del cluster.namespaces[name]
