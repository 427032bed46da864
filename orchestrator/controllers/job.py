"""The Job controller: run a pod template to completion ``completions`` times, ``parallelism`` at a time.

A Job's containers are batch commands (``python manage.py migrate``); in the simulator each one exits with
status 0 a few seconds after it starts (:data:`orchestrator.probes.BATCH_RUN_SECONDS`), so a Job always
succeeds once its pods can start. Finished Jobs are cleaned up after ``ttlSecondsAfterFinished``.
"""

from __future__ import annotations

from .. import events
from ..model import Cluster, Job, Pod
from ..naming import pod_suffix
from ..pods import apply_template_spec, begin_delete, new_pod
from ..rng import Rng


def job_pods(cluster: Cluster, job: Job) -> list[Pod]:
    return [p for p in cluster.pods.values()
            if p.owner_kind == "Job" and p.owner == job.name and p.namespace == job.namespace]


def reconcile(cluster: Cluster, now: float, rng: Rng, pod_room: int) -> int:
    """Sync every Job; returns how many pods were created."""
    created = 0
    for job in list(cluster.jobs.values()):
        if job.complete:
            if job.ttl_after_finished is not None and now >= job.completion_time + job.ttl_after_finished:
                _expire(cluster, job, now)
            continue
        pods = job_pods(cluster, job)
        job.succeeded = max(job.succeeded, sum(p.phase == "Succeeded" for p in pods))
        if job.succeeded >= job.completions:
            job.completion_time = now
            events.record(cluster, now, "Normal", "Completed", "Job", job.name, "Job completed", "job-controller",
                          job.namespace)
            continue
        active = [p for p in pods if not p.finished and not p.terminating]
        want = min(job.parallelism, job.completions - job.succeeded) - len(active)
        for _ in range(max(0, min(want, pod_room - created))):
            pod = _pod(cluster, job, now, rng)
            cluster.add_pod(pod)
            created += 1
            if job.start_time is None:
                job.start_time = now
            events.record(cluster, now, "Normal", "SuccessfulCreate", "Job", job.name, f"Created pod: {pod.name}",
                          "job-controller", job.namespace)
    return created


def labels_for(job: Job) -> dict[str, str]:
    """The labels the API server adds to a Job's selector and pod template."""
    return {"batch.kubernetes.io/controller-uid": job.uid, "batch.kubernetes.io/job-name": job.name,
            "controller-uid": job.uid, "job-name": job.name}


def _pod(cluster: Cluster, job: Job, now: float, rng: Rng) -> Pod:
    while True:
        name = f"{job.name}-{pod_suffix(rng)}"
        if f"{job.namespace}/{name}" not in cluster.pods:
            break
    labels = {**job.template["labels"], **labels_for(job)}
    pod = new_pod(cluster, name, job.namespace, labels, job.template["containers"], now, rng,
                  owner_kind="Job", owner=job.name)
    apply_template_spec(pod, job.template)
    return pod


def _expire(cluster: Cluster, job: Job, now: float) -> None:
    """The TTL-after-finished controller deletes the Job, and its pods go with it."""
    for pod in job_pods(cluster, job):
        if pod.finished:
            cluster.remove_pod(pod)
        else:
            begin_delete(cluster, pod, now)
    del cluster.jobs[job.key]
