"""``kubectl apply|create|delete -f -``: declarative manifests pasted after the command line.

The console has no file system, so the manifest is always standard input (``-f -``, often as a
here-document). Like kubectl, every document is read and typed before anything changes; then each object
is applied in document order, and one object's error does not undo the objects before it.
"""

from __future__ import annotations

import copy

from .. import events
from ..controllers.job import labels_for
from ..kinds.registry import BY_KIND
from ..manifest_kinds import check_types, parse
from ..manifests import Manifest, ManifestError, identify, load
from ..model import (
    SYSTEM_NAMESPACES,
    ConfigMap,
    Deployment,
    HorizontalPodAutoscaler,
    Ingress,
    Job,
    ManagedCertificate,
    PodDisruptionBudget,
    Secret,
)
from ..naming import uid
from ..pods import apply_template_spec, new_pod
from ..services import LB_PROVISION_SECONDS, NODE_PORT_RANGE, new_service
from .deletion import delete_namespace
from .parse import CommandError, Flag, parse_flags
from .pod_cap import check_room

FLAGS = [Flag("filename", "f"), Flag("namespace", "n"), Flag("dry-run"), Flag("validate"),
         Flag("record", None, "bool"), Flag("recursive", "R", "bool"), Flag("wait", None, "bool"),
         Flag("force", None, "bool"), Flag("grace-period", None, "int", -1), Flag("now", None, "bool")]
NO_FILES = ("이 콘솔에는 파일 시스템이 없어서 -f {name} 파일을 읽을 수 없습니다. 매니페스트를 kubectl {verb} -f - "
            "다음 줄에 붙여 넣거나, kubectl {verb} -f - <<EOF … EOF 형태로 입력해 주세요.")
INTERNAL_ANNOTATIONS = ("deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration")


def apply(sim, cluster, args: list[str]) -> str:
    """``kubectl apply -f -``: create what is new, update what changed, report the rest unchanged."""
    return _run(sim, cluster, args, "apply")


def create_from_manifest(sim, cluster, args: list[str]) -> str:
    """``kubectl create -f -``: create every object; one that exists already is an error."""
    return _run(sim, cluster, args, "create")


def delete_from_manifest(sim, cluster, args: list[str]) -> str:
    """``kubectl delete -f -``: delete the objects the manifest names."""
    return _run(sim, cluster, args, "delete")


class _Ctx:
    def __init__(self, sim, cluster, verb: str, flags: dict) -> None:
        self.sim, self.cluster, self.verb, self.flags = sim, cluster, verb, flags
        dry = flags["dry-run"] or "none"
        if dry not in ("none", "client", "server"):
            raise CommandError(f'error: Invalid dry-run value ({dry}). Must be "none", "server", or "client".')
        self.commit = dry == "none"
        self.suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}[dry]

    def namespace(self, kind: str, given: str | None, action: str) -> str | None:
        if kind == "Namespace":
            return None
        flag = self.flags["namespace"]
        if flag and given and flag != given:
            raise CommandError(f'error: the namespace from the provided object "{given}" does not match the '
                               f"namespace \"{flag}\". You must pass '--namespace={given}' to perform this operation.")
        namespace = given or flag or "default"
        if namespace not in self.cluster.namespaces:
            raise CommandError(f'Error from server (NotFound): error when {action} "STDIN": namespaces "{namespace}" '
                               "not found")
        return namespace

    def room(self, wanted_more: int) -> None:
        check_room(self.sim, self.cluster, wanted_more)


def _run(sim, cluster, args: list[str], verb: str) -> str:
    positional, flags = parse_flags(args, FLAGS, f"kubectl {verb}")
    if positional:
        raise CommandError(f"error: Unexpected args: {positional}\nSee 'kubectl {verb} -h' for help and examples")
    name = flags["filename"]
    if name is None:
        raise CommandError("error: must specify one of -f and -k")
    if name != "-":
        raise CommandError(NO_FILES.format(name=name, verb=verb))
    ctx = _Ctx(sim, cluster, verb, flags)
    try:
        docs = load(sim.stdin)
        typed = [(doc, *check_types(doc)) for doc in docs]
    except ManifestError as exc:
        raise CommandError(exc.text) from None
    if not typed:
        raise CommandError(f"error: no objects passed to {verb}")
    lines, errors = [], []
    for doc, kind, version in typed:
        try:
            lines.append(_delete(ctx, doc, kind) if verb == "delete" else _apply(ctx, doc, kind, version))
        except (ManifestError, CommandError) as exc:
            errors.append(exc.text)
    if verb == "delete" and ctx.commit:
        sim.settle()
    if errors:
        raise CommandError("\n".join(lines + errors))
    return "\n".join(lines)


def _apply(ctx: _Ctx, doc: dict, kind: str, version: str) -> str:
    name, given_ns = identify(doc)
    kind_info = BY_KIND[kind]
    namespace = ctx.namespace(kind, given_ns, "creating")
    existing = _existing(ctx.cluster, kind, namespace, name) if name else None
    if existing is not None and ctx.verb == "create":
        raise CommandError(f'Error from server (AlreadyExists): error when creating "STDIN": {kind_info.qualified} '
                           f'"{name}" already exists')
    m = parse(doc, kind, version, "creating" if existing is None else "patching")
    word = _HANDLERS[kind](ctx, m, namespace, existing)
    return f"{kind_info.prefix}/{name} {word}{ctx.suffix}"


def _existing(cluster, kind: str, namespace: str | None, name: str):
    if kind == "Namespace":
        return name if name in cluster.namespaces else None
    return getattr(cluster, BY_KIND[kind].store).get(f"{namespace}/{name}")


def _merged(current: dict, given: dict | None) -> dict:
    """Apply keeps what it did not set (there is no last-applied record here), so maps are merged."""
    return {**current, **{k: v for k, v in (given or {}).items() if k not in INTERNAL_ANNOTATIONS}}


# --- kinds ----------------------------------------------------------------------------------------------

_DEPLOYMENT_FIELDS = (("strategy", "strategy"), ("max_surge", "max_surge"), ("max_unavailable", "max_unavailable"),
                      ("revision_history_limit", "revision_history_limit"),
                      ("progress_deadline", "progress_deadline"), ("paused", "paused"))


def _deployment(ctx: _Ctx, m: Manifest, namespace: str, d: Deployment | None) -> str:
    sim, cluster, spec = ctx.sim, ctx.cluster, m.spec
    annotations = _merged({}, m.annotations)
    if ctx.flags["record"]:
        annotations["kubernetes.io/change-cause"] = f"kubectl {ctx.verb} --filename=- --record=true"
    if d is None:
        replicas = spec.get("replicas", 1)
        ctx.room(replicas)
        if ctx.commit:
            d = Deployment(name=m.name, namespace=namespace, uid=uid(sim.rng), labels=dict(m.labels or {}),
                           selector=spec["selector"], template=spec["template"], replicas=replicas,
                           created=sim.time, last_progress=sim.time, annotations=annotations)
            for key, attr in _DEPLOYMENT_FIELDS:
                if key in spec:
                    setattr(d, attr, spec[key])
            cluster.deployments[d.key] = d
            cluster.mark_deployment(d.key)
            sim.settle()
        return "created"
    if spec["selector"] != d.selector:
        raise CommandError(f'The Deployment "{d.name}" is invalid: spec.selector: Invalid value: v1.LabelSelector'
                           f"{{MatchLabels:{_go_map(spec['selector'])}, MatchExpressions:[]v1.LabelSelectorRequirement"
                           "(nil)}: field is immutable")
    wanted = {attr: spec[key] for key, attr in (*_DEPLOYMENT_FIELDS, ("replicas", "replicas"), ("template", "template"))
              if key in spec and spec[key] != getattr(d, attr)}
    labels, annotations = _merged(d.labels, m.labels), _merged(d.annotations, annotations)
    if not wanted and labels == d.labels and annotations == d.annotations:
        return "unchanged"
    if "replicas" in wanted:
        ctx.room(max(0, wanted["replicas"] - d.replicas))
    if ctx.commit:
        for attr, value in wanted.items():
            setattr(d, attr, value)
        if wanted:
            d.generation += 1
        if "paused" in wanted:
            d.last_progress = sim.time
        d.labels, d.annotations = labels, annotations
        cluster.mark_deployment(d.key)
        sim.settle()
    return "configured"


def _go_map(labels: dict) -> str:
    from ..manifests import go_map

    return go_map(labels)


def _service(ctx: _Ctx, m: Manifest, namespace: str, svc) -> str:
    sim, cluster, spec = ctx.sim, ctx.cluster, m.spec
    others = [s for s in cluster.services.values() if s is not svc]
    used_ports = {p["node_port"] for s in others for p in s.ports if p.get("node_port")}
    for i, port in enumerate(spec["ports"]):
        if port.get("node_port") and port["node_port"] in used_ports:
            raise CommandError(f'The Service "{m.name}" is invalid: spec.ports[{i}].nodePort: Invalid value: '
                               f"{port['node_port']}: provided port is already allocated")
    ip = spec.get("cluster_ip")
    if svc is None:
        if ip and ip in {s.cluster_ip for s in others}:
            raise CommandError(f'The Service "{m.name}" is invalid: spec.clusterIPs[0]: Invalid value: "{ip}": '
                               f"failed to allocate IP {ip}: provided IP is already allocated")
        if ctx.commit:
            created = new_service(cluster, m.name, namespace, spec["type"], copy.deepcopy(spec["ports"]),
                                  spec["selector"], m.labels or {}, sim.time, sim.rng)
            if ip:
                created.cluster_ip = ip
        return "created"
    if ip and ip != svc.cluster_ip:
        raise CommandError(f'The Service "{m.name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{{"{ip}"}}'
                           ": may not change once set")
    ports = copy.deepcopy(spec["ports"])
    wants_node_ports = spec["type"] in ("NodePort", "LoadBalancer")
    for port in ports:
        if wants_node_ports and not port.get("node_port"):
            # Like the API server, an update keeps the node port a port already had.
            same = next((p for p in svc.ports if p["port"] == port["port"] and p.get("node_port")), None)
            if same is not None:
                port["node_port"] = same["node_port"]
    labels = _merged(svc.labels, m.labels)
    if (spec["type"], ports, spec["selector"], labels) == (svc.type, svc.ports, svc.selector, svc.labels):
        return "unchanged"
    if ctx.commit:
        for port in ports:
            if wants_node_ports and not port.get("node_port"):
                port["node_port"] = _free_node_port(sim, used_ports | {p.get("node_port") for p in ports})
        if spec["type"] == "LoadBalancer" and svc.type != "LoadBalancer":
            svc.lb_ready_at = sim.time + LB_PROVISION_SECONDS
            events.record(cluster, sim.time, "Normal", "EnsuringLoadBalancer", "Service", svc.name,
                          "Ensuring load balancer", "service-controller", namespace)
        elif spec["type"] != "LoadBalancer":
            svc.lb_ready_at = svc.external_ip = None
        svc.type, svc.ports, svc.selector, svc.labels = spec["type"], ports, dict(spec["selector"]), labels
        cluster.sched_retry = True
    return "configured"


def _free_node_port(sim, used: set) -> int:
    low, high = NODE_PORT_RANGE
    while True:
        candidate = low + sim.rng.below(high - low)
        if candidate not in used:
            return candidate


def _hpa(ctx: _Ctx, m: Manifest, namespace: str, hpa: HorizontalPodAutoscaler | None) -> str:
    sim, spec = ctx.sim, m.spec
    if spec["max_replicas"] > sim.limits.max_pods:
        raise CommandError(f"이 샌드박스에서는 maxReplicas를 {sim.limits.max_pods:,} 이하로 정해 주세요.")
    if hpa is None:
        if ctx.commit:
            created = HorizontalPodAutoscaler(name=m.name, namespace=namespace, created=sim.time, uid=uid(sim.rng),
                                              labels=dict(m.labels or {}), target=spec["target"],
                                              min_replicas=spec["min_replicas"], max_replicas=spec["max_replicas"],
                                              cpu_target=spec["cpu_target"])
            ctx.cluster.hpas[created.key] = created
        return "created"
    labels = _merged(hpa.labels, m.labels)
    if all(getattr(hpa, k) == v for k, v in spec.items()) and labels == hpa.labels:
        return "unchanged"
    if ctx.commit:
        for key, value in spec.items():
            setattr(hpa, key, value)
        hpa.labels = labels
    return "configured"


POD_FORBIDDEN = ("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                 "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                 "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                 "previously negative)")


def _pod(ctx: _Ctx, m: Manifest, namespace: str, pod) -> str:
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
        raise CommandError(f'The Pod "{pod.name}" is invalid: {POD_FORBIDDEN}')
    labels = _merged(pod.labels, m.labels)
    if labels == pod.labels:
        return "unchanged"
    if ctx.commit:
        pod.labels = labels
    return "configured"


def _namespace_object(ctx: _Ctx, m: Manifest, namespace: None, existing) -> str:
    if existing is not None:
        return "unchanged"
    if ctx.commit:
        ctx.cluster.namespaces[m.name] = ctx.sim.time
    return "created"


# --- kinds whose whole spec apply may change -------------------------------------------------------------


def _labels(current: dict, given: dict | None) -> dict:
    return {**current, **(given or {})}


def _simple(ctx, m: Manifest, namespace: str, existing, cls, fields: dict) -> str:
    """Objects whose whole spec may change on apply: update the fields given, keep the labels it had."""
    store = getattr(ctx.cluster, BY_KIND[m.kind].store)
    if existing is None:
        if ctx.commit:
            obj = cls(name=m.name, namespace=namespace, created=ctx.sim.time, uid=uid(ctx.sim.rng),
                      labels=dict(m.labels or {}), **fields)
            if hasattr(obj, "annotations"):
                obj.annotations = _merged({}, m.annotations)
            store[obj.key] = obj
        return "created"
    labels = _labels(existing.labels, m.labels)
    annotations = _merged(getattr(existing, "annotations", {}), m.annotations)
    changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if not changed and labels == existing.labels and annotations == getattr(existing, "annotations", {}):
        return "unchanged"
    if ctx.commit:
        for key, value in changed.items():
            setattr(existing, key, value)
        existing.labels = labels
        if hasattr(existing, "annotations"):
            existing.annotations = annotations
    return "configured"


def _configmap(ctx, m: Manifest, namespace: str, existing) -> str:
    return _simple(ctx, m, namespace, existing, ConfigMap, {"data": m.spec["data"]})


def _secret(ctx, m: Manifest, namespace: str, existing) -> str:
    if existing is not None and existing.type != m.spec["type"]:
        raise CommandError(f'The Secret "{m.name}" is invalid: type: Invalid value: "{m.spec["type"]}": field is '
                           "immutable")
    return _simple(ctx, m, namespace, existing, Secret, {"data": m.spec["data"], "type": m.spec["type"]})


def _pdb(ctx, m: Manifest, namespace: str, existing) -> str:
    fields = {"selector": m.spec["selector"], "min_available": m.spec.get("min_available"),
              "max_unavailable": m.spec.get("max_unavailable")}
    return _simple(ctx, m, namespace, existing, PodDisruptionBudget, fields)


def _job(ctx, m: Manifest, namespace: str, existing) -> str:
    spec = m.spec
    if existing is not None:
        added = labels_for(existing)  # -o yaml prints them; applying that output back is no change
        spec["template"]["labels"] = {k: v for k, v in spec["template"]["labels"].items() if k not in added}
        if spec["template"] != existing.template or spec["completions"] != existing.completions:
            field = "spec.template" if spec["template"] != existing.template else "spec.completions"
            shown = "core.PodTemplateSpec{...}" if field == "spec.template" else str(spec["completions"])
            raise CommandError(f'The Job "{m.name}" is invalid: {field}: Invalid value: {shown}: field is immutable')
        fields = {k: spec.get(k) for k in ("parallelism", "backoff_limit", "ttl_after_finished")}
        return _simple(ctx, m, namespace, existing, Job, fields)
    ctx.room(min(spec["parallelism"], spec["completions"]))
    word = _simple(ctx, m, namespace, None, Job, {k: spec.get(k) for k in (
        "template", "completions", "parallelism", "backoff_limit", "ttl_after_finished")})
    if ctx.commit:
        ctx.sim.settle()  # the job controller creates the first pod at once, as a Deployment's ReplicaSet does
    return word


def _ingress(ctx, m: Manifest, namespace: str, existing) -> str:
    fields = {k: m.spec[k] for k in ("class_name", "rules", "tls", "default_backend")}
    return _simple(ctx, m, namespace, existing, Ingress, fields)


def _certificate(ctx, m: Manifest, namespace: str, existing) -> str:
    word = _simple(ctx, m, namespace, existing, ManagedCertificate, {"domains": m.spec["domains"]})
    if word == "configured" and ctx.commit and existing.domains == m.spec["domains"]:
        return word
    if word == "configured" and ctx.commit:  # new domains: Google issues a new certificate
        existing.status, existing.active_at = "Provisioning", None
    return word


_HANDLERS = {"Deployment": _deployment, "Service": _service, "HorizontalPodAutoscaler": _hpa, "Pod": _pod,
             "Namespace": _namespace_object, "ConfigMap": _configmap, "Secret": _secret, "PodDisruptionBudget": _pdb,
             "Job": _job, "Ingress": _ingress, "ManagedCertificate": _certificate}


# --- delete ---------------------------------------------------------------------------------------------


def _delete(ctx: _Ctx, doc: dict, kind: str) -> str:
    sim, cluster = ctx.sim, ctx.cluster
    name, given_ns = identify(doc)
    kind_info = BY_KIND[kind]
    if not name:
        raise CommandError('error: resource name may not be empty')
    namespace = ctx.namespace(kind, given_ns, "deleting")
    obj = _existing(cluster, kind, namespace, name)
    if obj is None:
        raise CommandError(f'Error from server (NotFound): error when deleting "STDIN": {kind_info.qualified} '
                           f'"{name}" not found')
    if kind == "Namespace" and name in SYSTEM_NAMESPACES:
        raise CommandError(f'Error from server (Forbidden): error when deleting "STDIN": namespaces "{name}" is '
                           "forbidden: this namespace may not be deleted")
    if ctx.commit:
        if kind == "Namespace":
            delete_namespace(sim, cluster, name)
        else:
            kind_info.delete(sim, cluster, kind_info, obj)
    return f'{kind_info.prefix} "{name}" deleted{ctx.suffix}'
