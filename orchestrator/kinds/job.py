"""Job: pods that run to completion, retried until enough of them succeed; the job controller (controllers/job.py)
creates them. Deleting a Job takes its pods with it."""

from __future__ import annotations

from ..api_fields import iso, object_meta, template_api, uid_of
from ..applying import apply_fields
from ..controllers.job import job_pods, labels_for
from ..describing import Describer, Lines
from ..manifest_pods import pod_spec
from ..manifests import ANY, META, NO, POD_SPEC, TOP, Manifest, ManifestError, Reader
from ..objects import Job
from ..pods import begin_delete
from ..timefmt import go_duration, human_duration, rfc1123z
from .kind import AGE, NAME, Column, Kind, remove_stored


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "Job", "", "v1.JobSpec")
    template_doc = r.dict(spec, "template", "JobSpec", "spec", "v1.PodTemplateSpec")
    tmeta = r.dict(template_doc, "metadata", "PodTemplateSpec", "spec.template", "v1.ObjectMeta")
    tspec = r.dict(template_doc, "spec", "PodTemplateSpec", "spec.template", "v1.PodSpec")
    template = {"labels": r.strmap(tmeta, "labels", "ObjectMeta", "spec.template.metadata") or {},
                **pod_spec(r, tspec, "spec.template.spec", pod=False, restart=("OnFailure", "Never"))}
    out: dict = {"template": template}
    for key, target, default in (("completions", "completions", 1), ("parallelism", "parallelism", 1),
                                 ("backoffLimit", "backoff_limit", 6)):
        value = r.int(spec, key, "JobSpec", "spec")
        value = default if value is None else value
        if value < 0:
            raise r.invalid(f"spec.{key}", f"Invalid value: {value}: must be greater than or equal to 0")
        out[target] = value
    # Printed back by -o yaml at their defaults; anything else is a Job we do not simulate.
    for key, default in (("suspend", False), ("manualSelector", False), ("completionMode", "NonIndexed")):
        value = spec.get(key)
        if value is not None and value != default:
            raise r.unsupported(f"spec.{key}: {value}")
    ttl = r.int(spec, "ttlSecondsAfterFinished", "JobSpec", "spec")
    if ttl is not None:
        if ttl < 0:
            raise r.invalid("spec.ttlSecondsAfterFinished", f"Invalid value: {ttl}: must be greater than or equal to 0")
        out["ttl_after_finished"] = ttl
    return out


def _describe(ctx: Describer, j: Job) -> str:
    w = Lines()
    w.add(f"Name:\t{j.name}", f"Namespace:\t{j.namespace}", f"Selector:\tbatch.kubernetes.io/controller-uid={j.uid}")
    w.labels("Labels", j.labels)
    w.annotations("Annotations", {})
    w.add(f"Parallelism:\t{j.parallelism}", f"Completions:\t{j.completions}", "Completion Mode:\tNonIndexed",
          "Suspend:\tfalse", f"Backoff Limit:\t{j.backoff_limit}")
    if j.ttl_after_finished is not None:
        w.add(f"TTL Seconds After Finished:\t{j.ttl_after_finished}")
    if j.start_time is not None:
        w.add(f"Start Time:\t{rfc1123z(j.start_time)}")
    if j.complete:
        w.add(f"Completed At:\t{rfc1123z(j.completion_time)}",
              f"Duration:\t{go_duration(j.completion_time - j.start_time)}")
    pods = job_pods(ctx.cluster, j)
    active = sum(1 for p in pods if not p.finished and not p.terminating)
    w.add(f"Pods Statuses:\t{active} Active ({sum(p.ready for p in pods)} Ready) / {j.succeeded} Succeeded / "
          "0 Failed")
    ctx.pod_template(w, j.template, {**j.template["labels"], **labels_for(j)})
    ctx.events(w, "Job", j.name, j.namespace)
    return w.text()


def _render(sim, cluster, j: Job) -> dict:
    extra = labels_for(j)
    template = template_api(j.template, {**j.template["labels"], **extra})
    spec: dict = {"backoffLimit": j.backoff_limit, "completionMode": "NonIndexed", "completions": j.completions,
                  "manualSelector": False, "parallelism": j.parallelism, "podReplacementPolicy": "TerminatingOrFailed",
                  "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": j.uid}}, "suspend": False,
                  "template": template}
    if j.ttl_after_finished is not None:
        spec["ttlSecondsAfterFinished"] = j.ttl_after_finished
    active = sum(1 for p in job_pods(cluster, j) if not p.finished and not p.terminating)
    status: dict = {}
    if j.start_time is not None:
        status["startTime"] = iso(j.start_time)
    if j.complete:
        stamp = iso(j.completion_time)
        status["completionTime"] = stamp
        status["conditions"] = [
            {"type": kind, "status": "True", "reason": reason, "message": message, "lastProbeTime": stamp,
             "lastTransitionTime": stamp}
            for kind, reason, message in (("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of "
                                           "succeeded pods"),
                                          ("Complete", "CompletionsReached", "Reached expected number of succeeded "
                                           "pods"))]
    elif active:
        status["active"] = active
    if j.succeeded:
        status["succeeded"] = j.succeeded
    status["ready"] = sum(1 for p in job_pods(cluster, j) if p.ready)
    status["terminating"] = 0
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": object_meta(j.name, j.namespace, uid_of(j, "job"), j.created, {**j.labels}, generation=1),
            "spec": spec, "status": status}


def _delete(sim, cluster, kind: Kind, job: Job) -> None:
    """The Job and its pods: finished ones are removed, running ones terminate."""
    for pod in [p for p in cluster.pods.values() if p.owner_kind == "Job" and p.owner == job.name
                and p.namespace == job.namespace]:
        if pod.finished:
            cluster.remove_pod(pod)
        else:
            begin_delete(cluster, pod, sim.time)
    remove_stored(sim, cluster, kind, job)


def _duration(ctx, j: Job) -> str:
    if j.start_time is None:
        return ""
    return human_duration((j.completion_time if j.complete else ctx.now) - j.start_time)


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, existing) -> str:
    spec = m.spec
    if existing is not None:
        added = labels_for(existing)  # -o yaml prints them; applying that output back is no change
        spec["template"]["labels"] = {k: v for k, v in spec["template"]["labels"].items() if k not in added}
        if spec["template"] != existing.template or spec["completions"] != existing.completions:
            field = "spec.template" if spec["template"] != existing.template else "spec.completions"
            shown = "core.PodTemplateSpec{...}" if field == "spec.template" else str(spec["completions"])
            raise ManifestError(f'The Job "{m.name}" is invalid: {field}: Invalid value: {shown}: field is immutable')
        fields = {k: spec.get(k) for k in ("parallelism", "backoff_limit", "ttl_after_finished")}
        return apply_fields(ctx, kind, m, namespace, existing, Job, fields)
    ctx.room(min(spec["parallelism"], spec["completions"]))
    word = apply_fields(ctx, kind, m, namespace, None, Job, {k: spec.get(k) for k in (
        "template", "completions", "parallelism", "backoff_limit", "ttl_after_finished")})
    if ctx.commit:
        ctx.sim.settle()  # the job controller creates the first pod at once, as a Deployment's ReplicaSet does
    return word


KIND = Kind(
    kind="Job", plural="jobs", singular="job", short_names=(), group="batch", api_versions=("batch/v1",), store="jobs",
    record=Job,
    schema={**TOP, "spec": {
        "template": {"metadata": META, "spec": POD_SPEC}, "completions": ANY, "parallelism": ANY,
        "backoffLimit": ANY, "ttlSecondsAfterFinished": ANY, "selector": ANY, "manualSelector": ANY, "suspend": ANY,
        "completionMode": ANY, "podReplacementPolicy": ANY,
        **dict.fromkeys(("activeDeadlineSeconds", "podFailurePolicy", "backoffLimitPerIndex", "maxFailedIndexes",
                         "successPolicy", "managedBy"), NO)}},
    parse=_parse,
    columns=(NAME, Column("STATUS", lambda ctx, j: "Complete" if j.complete else "Running"),
             Column("COMPLETIONS", lambda ctx, j: f"{j.succeeded}/{j.completions}"), Column("DURATION", _duration), AGE,
             Column("CONTAINERS", lambda ctx, j: ",".join(c["name"] for c in j.template["containers"]), wide=True),
             Column("IMAGES", lambda ctx, j: ",".join(c["image"] for c in j.template["containers"]), wide=True),
             Column("SELECTOR", lambda ctx, j: f"batch.kubernetes.io/controller-uid={j.uid}", wide=True)),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=_delete,
)
