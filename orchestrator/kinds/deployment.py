"""Deployment: a desired number of identical pods, replaced gradually by a rolling update when its template
changes (controllers/deployment.py makes a ReplicaSet per revision)."""

from __future__ import annotations

from ..api_fields import iso, nonzero, object_meta, template_api
from ..applying import merged
from ..controllers.deployment import new_replicaset, surge_and_unavailable
from ..controllers.deployment import status as deployment_status
from ..describing import Describer, Lines, format_labels
from ..manifest_pods import pod_spec
from ..manifests import ANY, META, NO, PERCENT_RE, POD_SPEC, TOP, Manifest, ManifestError, Reader, go_map
from ..naming import uid
from ..objects import Deployment, ReplicaSet
from ..pods import begin_delete
from ..timefmt import rfc1123z
from .kind import AGE, NAME, Column, Kind
from .replicaset import TEMPLATE_COLUMNS, active_pods

PROGRESS_MESSAGES = {"NewReplicaSetAvailable": 'ReplicaSet "{}" has successfully progressed.',
                     "NewReplicaSetCreated": 'Created new replica set "{}"',
                     "ProgressDeadlineExceeded": 'ReplicaSet "{}" has timed out progressing.'}
PROGRESSING_TRUE = ("NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated", "NewReplicaSetAvailable")


def _describe(ctx: Describer, d: Deployment) -> str:
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


def _parse(r: Reader, doc: dict) -> dict:
    spec = r.dict(doc, "spec", "Deployment", "", "v1.DeploymentSpec")
    out: dict = {}
    replicas = r.int(spec, "replicas", "DeploymentSpec", "spec")
    if replicas is not None:
        if replicas < 0:
            raise r.invalid("spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0")
        out["replicas"] = replicas
    if spec.get("selector") is None:
        raise r.invalid("spec.selector", "Required value")
    selector = r.dict(spec, "selector", "DeploymentSpec", "spec", "v1.LabelSelector")
    match = r.strmap(selector, "matchLabels", "LabelSelector", "spec.selector") or {}
    if not match:
        raise r.invalid("spec.selector", "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
                        "deployment")
    template_doc = r.dict(spec, "template", "DeploymentSpec", "spec", "v1.PodTemplateSpec")
    tmeta = r.dict(template_doc, "metadata", "PodTemplateSpec", "spec.template", "v1.ObjectMeta")
    tlabels = r.strmap(tmeta, "labels", "ObjectMeta", "spec.template.metadata") or {}
    if any(tlabels.get(k) != v for k, v in match.items()):
        raise r.invalid("spec.template.metadata.labels", f"Invalid value: {go_map(tlabels)}: `selector` does not "
                        "match template `labels`")
    tspec = r.dict(template_doc, "spec", "PodTemplateSpec", "spec.template", "v1.PodSpec")
    template = {"labels": tlabels, **pod_spec(r, tspec, "spec.template.spec", pod=False)}
    tannotations = r.strmap(tmeta, "annotations", "ObjectMeta", "spec.template.metadata")
    if tannotations:
        template["annotations"] = tannotations
    out["selector"], out["template"] = match, template
    _strategy(r, spec, out)
    for key, target in (("revisionHistoryLimit", "revision_history_limit"),
                        ("progressDeadlineSeconds", "progress_deadline"), ("minReadySeconds", "min_ready")):
        value = r.int(spec, key, "DeploymentSpec", "spec")
        if value is None:
            continue
        if value < 0:
            raise r.invalid(f"spec.{key}", f"Invalid value: {value}: must be greater than or equal to 0")
        if key == "progressDeadlineSeconds" and value == 0:
            raise r.invalid("spec.progressDeadlineSeconds", "Invalid value: 0: must be greater than minReadySeconds")
        if key == "minReadySeconds" and value:
            raise r.unsupported("spec.minReadySeconds")
        out[target] = value
    out.pop("min_ready", None)
    paused = r.bool(spec, "paused", "DeploymentSpec", "spec")
    if paused is not None:
        out["paused"] = paused
    return out




def _strategy(r: Reader, spec: dict, out: dict) -> None:
    if spec.get("strategy") is None:
        return
    strategy = r.dict(spec, "strategy", "DeploymentSpec", "spec", "v1.DeploymentStrategy")
    type_ = r.str(strategy, "type", "DeploymentStrategy", "spec.strategy") or "RollingUpdate"
    if type_ not in ("RollingUpdate", "Recreate"):
        raise r.invalid("spec.strategy.type", f'Unsupported value: "{type_}": supported values: "Recreate", '
                        '"RollingUpdate"')
    rolling = r.dict(strategy, "rollingUpdate", "DeploymentStrategy", "spec.strategy", "v1.RollingUpdateDeployment")
    out["strategy"] = type_
    if type_ == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            raise r.invalid("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is "
                            "'Recreate'")
        return
    values = {}
    for key in ("maxSurge", "maxUnavailable"):
        value = r.int_or_str(rolling, key, "RollingUpdateDeployment", "spec.strategy.rollingUpdate")
        value = "25%" if value is None else value
        at = f"spec.strategy.rollingUpdate.{key}"
        if isinstance(value, str) and not PERCENT_RE.match(value):
            raise r.invalid(at, f'Invalid value: "{value}": a valid percent string must be a numeric string '
                            "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                            "'[0-9]+%')")
        if isinstance(value, int) and value < 0:
            raise r.invalid(at, f"Invalid value: {value}: must be greater than or equal to 0")
        if key == "maxUnavailable" and isinstance(value, str) and int(value[:-1]) > 100:
            raise r.invalid(at, f'Invalid value: "{value}": must not be greater than 100%')
        values[key] = value
    if all(v in (0, "0%") for v in values.values()):
        raise r.invalid("spec.strategy.rollingUpdate.maxUnavailable", "Invalid value: intstr.IntOrString{Type:0, "
                        'IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0')
    out["max_surge"], out["max_unavailable"] = values["maxSurge"], values["maxUnavailable"]


def _render(sim, cluster, d: Deployment) -> dict:
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


def _delete(sim, cluster, kind: Kind, d: Deployment) -> None:
    """The deployment goes now, its ReplicaSets and pods follow (kubectl's default background cascade)."""
    del cluster.deployments[d.key]
    for rs in cluster.replicasets_of(d):
        for pod in cluster.pods_of_rs(rs):
            begin_delete(cluster, pod, sim.time)
        del cluster.replicasets[rs.key]


def _status(key: str):
    return lambda ctx, d: str(deployment_status(ctx.cluster, d)[key])


_DEPLOYMENT_FIELDS = (("strategy", "strategy"), ("max_surge", "max_surge"), ("max_unavailable", "max_unavailable"),
                      ("revision_history_limit", "revision_history_limit"),
                      ("progress_deadline", "progress_deadline"), ("paused", "paused"))


def _apply(ctx, kind: Kind, m: Manifest, namespace: str, d: Deployment | None) -> str:
    sim, cluster, spec = ctx.sim, ctx.cluster, m.spec
    annotations = merged({}, m.annotations)
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
        raise ManifestError(f'The Deployment "{d.name}" is invalid: spec.selector: Invalid value: v1.LabelSelector'
                           f"{{MatchLabels:{go_map(spec['selector'])}, MatchExpressions:[]v1.LabelSelectorRequirement"
                           "(nil)}: field is immutable")
    wanted = {attr: spec[key] for key, attr in (*_DEPLOYMENT_FIELDS, ("replicas", "replicas"), ("template", "template"))
              if key in spec and spec[key] != getattr(d, attr)}
    labels, annotations = merged(d.labels, m.labels), merged(d.annotations, annotations)
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


KIND = Kind(
    kind="Deployment", plural="deployments", singular="deployment", short_names=("deploy",), group="apps",
    api_versions=("apps/v1",), store="deployments", record=Deployment,
    schema={**TOP, "spec": {
        "replicas": ANY, "selector": {"matchLabels": ANY, "matchExpressions": NO},
        "template": {"metadata": META, "spec": POD_SPEC},
        "strategy": {"type": ANY, "rollingUpdate": {"maxSurge": ANY, "maxUnavailable": ANY}},
        "revisionHistoryLimit": ANY, "progressDeadlineSeconds": ANY, "minReadySeconds": ANY, "paused": ANY}},
    parse=_parse,
    columns=(NAME, Column("READY", lambda ctx, d: f"{deployment_status(ctx.cluster, d)['ready']}/{d.replicas}"),
             Column("UP-TO-DATE", _status("updated")), Column("AVAILABLE", _status("available")), AGE,
             *TEMPLATE_COLUMNS),
    describe=_describe,
    render=_render,
    apply=_apply,
    delete=_delete,
)
