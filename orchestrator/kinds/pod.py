"""Pod: one or more containers that share a node and an IP address. The scheduler binds it to a node and the
kubelet (controllers/kubelet.py) runs it; ``describe`` and ``-o yaml`` show what both have done so far."""

from __future__ import annotations

import hashlib

from ..api_fields import derived_uid, iso, object_meta, pod_spec_api
from ..applying import merged
from ..describing import Describer, Lines, qos_class
from ..manifest_pods import pod_spec
from ..manifests import POD_SPEC, TOP, Manifest, ManifestError, Reader
from ..naming import SUFFIX_ALPHABET
from ..objects import Pod
from ..pods import apply_template_spec, begin_delete, new_pod
from ..timefmt import human_duration, rfc1123z
from .kind import AGE, NAME, Column, Kind

PROJECTED = "Projected (a volume that contains injected data from multiple sources)"


def _parse(r: Reader, doc: dict) -> dict:
    return pod_spec(r, r.dict(doc, "spec", "Pod", "", "v1.PodSpec"), "spec", pod=True)


def _describe(ctx: Describer, pod: Pod) -> str:
    w = Lines()
    node = ctx.cluster.nodes.get(pod.node) if pod.node else None
    system = pod.namespace == "kube-system" and pod.owner_kind in ("DaemonSet", "Node")
    static = pod.owner_kind == "Node"
    w.add(f"Name:\t{pod.name}", f"Namespace:\t{pod.namespace}")
    if system:
        w.add("Priority:\t2000001000", "Priority Class Name:\tsystem-node-critical")
    else:
        w.add("Priority:\t0")
    if not static:
        w.add(f"Service Account:\t{pod.owner if system else 'default'}")
    w.add(f"Node:\t{pod.node}/{node.internal_ip if node else ''}" if pod.node else "Node:\t<none>")
    if pod.node and pod.scheduled_at is not None:
        w.add(f"Start Time:\t{rfc1123z(pod.scheduled_at)}")
    w.labels("Labels", pod.labels)
    rs = ctx.cluster.replicasets.get(f"{pod.namespace}/{pod.owner}") if pod.owner_kind == "ReplicaSet" else None
    w.annotations("Annotations", dict(rs.template.get("annotations") or {}) if rs else {})
    if pod.terminating and pod.phase not in ("Succeeded", "Failed"):
        # The deletionTimestamp is the request time plus the grace period, so kubectl shows
        # "<invalid>" while the grace period runs and a growing age once it has passed.
        w.add(f"Status:\tTerminating (lasts {ctx.age(pod.deleting_at + pod.grace)})",
              f"Termination Grace Period:\t{pod.grace}s")
    else:
        w.add(f"Status:\t{pod.phase}")
    w.add(f"IP:\t{pod.ip or ''}")
    w.add(*(["IPs:", f"  IP:\t{pod.ip}"] if pod.ip else ["IPs:\t<none>"]))
    if pod.owner_kind:
        w.add(f"Controlled By:\t{pod.owner_kind}/{pod.owner}")
    volume = None if static else "kube-api-access-" + "".join(
        SUFFIX_ALPHABET[b % len(SUFFIX_ALPHABET)] for b in hashlib.sha256(pod.uid.encode()).digest()[:5])
    ctx.containers(w, pod.containers, pod=pod, node=node, volume=volume)
    w.add("Conditions:", "  Type\tStatus")
    if pod.node is None:
        w.add("  PodScheduled \tFalse ")
    else:
        sandbox = pod.ip is not None or pod.stage not in ("",)
        ready = ctx.containers_ready(pod, node)
        for cond, value in (("PodReadyToStartContainers", sandbox), ("Initialized", True),
                            ("Ready", pod.ready), ("ContainersReady", ready), ("PodScheduled", True)):
            w.add(f"  {cond} \t{value} ")
    if volume:
        w.add("Volumes:", f"  {volume}:", f"    Type:\t{PROJECTED}", "    TokenExpirationSeconds:\t3607",
              "    ConfigMapName:\tkube-root-ca.crt", "    ConfigMapOptional:\t<nil>", "    DownwardAPI:\ttrue")
    else:
        w.add("Volumes:\t<none>")
    w.add(f"QoS Class:\t{qos_class(pod.containers)}")
    w.labels("Node-Selectors", pod.node_selector)
    w.tolerations("Tolerations", pod.tolerations)
    ctx.events(w, "Pod", pod.name, pod.namespace)
    return w.text()


def _render(sim, cluster, pod: Pod) -> dict:
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


def _restarts(ctx, pod: Pod) -> str:
    if pod.restarts and pod.last_restart is not None:
        return f"{pod.restarts} ({human_duration(ctx.now - pod.last_restart)} ago)"
    return str(pod.restarts)


def _ready(ctx, pod: Pod) -> str:
    total = len(pod.containers)
    return f"{total if pod.ready else 0}/{total}"


POD_FORBIDDEN = ("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                 "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                 "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                 "previously negative)")


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, pod) -> str:
    sim, cluster, spec = ctx.sim, ctx.cluster, m.spec
    if pod is None:
        ctx.room(1)
        if ctx.commit:
            created = new_pod(cluster, m.name, namespace, m.labels or {}, spec["containers"], sim.time, sim.rng)
            extra = [t for t in spec.get("tolerations", []) if t not in created.tolerations]
            apply_template_spec(created, {**spec, "tolerations": extra})
            cluster.add_pod(created)
        return "created"
    containers = [{**c, "cpu": 100 if c.get("cpu") is None else c["cpu"]} for c in spec["containers"]]
    same = (containers == pod.containers and spec.get("node_selector", {}) == pod.node_selector
            and spec.get("node_name") in (None, pod.node_name, pod.node)
            and all(t in pod.tolerations for t in spec.get("tolerations", [])))
    if not same:
        raise ManifestError(f'The Pod "{pod.name}" is invalid: {POD_FORBIDDEN}')
    labels = merged(pod.labels, m.labels)
    if labels == pod.labels:
        return "unchanged"
    if ctx.commit:
        pod.labels = labels
    return "configured"


KIND = Kind(
    kind="Pod", plural="pods", singular="pod", short_names=("po",), group="", api_versions=("v1",), store="pods",
    record=Pod,
    schema={**TOP, "spec": POD_SPEC},
    parse=_parse,
    columns=(NAME, Column("READY", _ready), Column("STATUS", lambda ctx, p: p.status_text),
             Column("RESTARTS", _restarts), AGE, Column("IP", lambda ctx, p: p.ip or "<none>", wide=True),
             Column("NODE", lambda ctx, p: p.node or "<none>", wide=True),
             Column("NOMINATED NODE", lambda ctx, p: "<none>", wide=True),
             Column("READINESS GATES", lambda ctx, p: "<none>", wide=True)),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=lambda sim, cluster, kind, pod: begin_delete(cluster, pod, sim.time),  # Terminating, then gone
)
