"""Changing a deployment's pod template and following the rollout: ``set``, ``rollout``, ``annotate``."""

from __future__ import annotations

import copy

from ..controllers.deployment import available, new_replicaset
from ..quantity import QuantityError, parse_cpu, parse_memory
from ..tabwriter import tabwrite
from ..timefmt import EPOCH
from .parse import CommandError, Flag, parse_flags
from .resources import deployment_target, namespace_of

ROLLBACK_KEEPS = {"kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
                  "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                  "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to"}
ROLLOUT_STATUS_LIMIT = 900  # simulated seconds `rollout status` will wait, past the 600 s progress deadline


def deployment_arg(sim, cluster, args: list[str], namespace: str):
    return deployment_target(cluster, args, namespace)


def _changed(sim, cluster, d, template: dict, record: str | None) -> bool:
    if template == d.template:
        return False
    d.template = template
    d.generation += 1
    if record:
        d.annotations["kubernetes.io/change-cause"] = record
    cluster.mark_deployment(d.key)
    sim.settle()
    return True


def set_command(sim, cluster, args: list[str], line: str) -> str:
    if not args or args[0] not in ("image", "resources"):
        raise CommandError("kubectl set에는 image와 resources를 쓸 수 있습니다.")
    what, rest = args[0], args[1:]
    spec = [Flag("namespace", "n"), Flag("record", None, "bool"), Flag("containers", "c"), Flag("requests"),
            Flag("limits")]
    positional, flags = parse_flags(rest, spec, f"kubectl set {what}")
    namespace = namespace_of(cluster, flags)
    pairs = [p for p in positional if "=" in p] if what == "image" else []
    resources = [p for p in positional if "=" not in p]
    d = deployment_arg(sim, cluster, resources, namespace)
    template = copy.deepcopy(d.template)
    containers = template["containers"]
    if what == "image":
        if not pairs:
            raise CommandError("error: at least one image update is required")
        for pair in pairs:
            cname, image = pair.split("=", 1)
            targets = containers if cname == "*" else [c for c in containers if c["name"] == cname]
            if not targets:
                raise CommandError(f'error: unable to find container named "{cname}"')
            for c in targets:
                c["image"] = image
        _changed(sim, cluster, d, template, line if flags["record"] else None)
        return f"deployment.apps/{d.name} image updated"
    if not flags["requests"] and not flags["limits"]:
        raise CommandError("error: you must specify an update to requests or limits (in the form of --requests/"
                           "--limits)")
    chosen = [c for c in containers if not flags["containers"] or c["name"] == flags["containers"]]
    if not chosen:
        raise CommandError(f'error: unable to find container named "{flags["containers"]}"')
    for kind in ("requests", "limits"):
        for item in (flags[kind] or "").split(","):
            if not item:
                continue
            resource, _, value = item.partition("=")
            if resource not in ("cpu", "memory"):
                raise CommandError(f"error: {resource} 리소스는 아직 지원하지 않습니다. cpu와 memory를 쓸 수 있습니다.")
            try:
                amount = parse_cpu(value) if resource == "cpu" else parse_memory(value)
            except QuantityError as exc:
                raise CommandError(f"error: {exc}") from None
            for c in chosen:
                c[resource if kind == "requests" else f"limit_{resource}"] = amount
    _changed(sim, cluster, d, template, line if flags["record"] else None)
    return f"deployment.apps/{d.name} resource requirements updated"


def rollout_command(sim, cluster, args: list[str]) -> str:
    if not args:
        raise CommandError("kubectl rollout에는 status, history, undo, restart, pause, resume을 쓸 수 있습니다.")
    sub, rest = args[0], args[1:]
    spec = [Flag("namespace", "n"), Flag("to-revision", None, "int", 0), Flag("revision", None, "int", 0),
            Flag("watch", "w", "bool", True), Flag("timeout")]
    positional, flags = parse_flags(rest, spec, f"kubectl rollout {sub}")
    namespace = namespace_of(cluster, flags)
    d = deployment_arg(sim, cluster, positional, namespace)
    if sub == "status":
        return _status(sim, cluster, d, flags["watch"])
    if sub == "history":
        return _history(cluster, d, flags["revision"])
    if sub == "undo":
        return _undo(sim, cluster, d, flags["to-revision"])
    if sub == "restart":
        if d.paused:
            raise CommandError(f"error: deployments.apps \"{d.name}\" can't restart paused deployment (run "
                               "rollout resume first)")
        template = copy.deepcopy(d.template)
        stamp = _iso(sim.time)
        template.setdefault("annotations", {})["kubectl.kubernetes.io/restartedAt"] = stamp
        _changed(sim, cluster, d, template, None)
        return f"deployment.apps/{d.name} restarted"
    if sub in ("pause", "resume"):
        want = sub == "pause"
        if d.paused == want:
            raise CommandError(f"error: deployments.apps \"{d.name}\" is {'already' if want else 'not'} paused")
        d.paused = want
        d.last_progress = sim.time
        cluster.mark_deployment(d.key)
        sim.settle()
        return f"deployment.apps/{d.name} {'paused' if want else 'resumed'}"
    raise CommandError(f"kubectl rollout {sub}는 지원하지 않습니다. status, history, undo, restart, pause, "
                       "resume을 쓸 수 있습니다.")


def status_line(cluster, d) -> tuple[str, bool]:
    """One check of rollout_status.go: the line kubectl prints now, and whether the rollout is done."""
    if d.progress_reason == "ProgressDeadlineExceeded":
        raise CommandError(f'error: deployment "{d.name}" exceeded its progress deadline')
    new = new_replicaset(cluster, d)
    updated = len([p for p in cluster.pods_of_rs(new) if not p.terminating]) if new else 0
    total = sum(len([p for p in cluster.pods_of_rs(rs) if not p.terminating]) for rs in cluster.replicasets_of(d))
    ready_new = available(cluster, new) if new else 0
    name = d.name
    if updated < d.replicas:
        return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {d.replicas} new replicas '
                "have been updated...", False)
    if total > updated:
        return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending '
                "termination...", False)
    if ready_new < updated:
        return (f'Waiting for deployment "{name}" rollout to finish: {ready_new} of {updated} updated replicas '
                "are available...", False)
    return f'deployment "{name}" successfully rolled out', True


def _status(sim, cluster, d, watch: bool) -> str:
    """kubectl blocks until the rollout ends; here the wait is simulated time, printed line by line."""
    if d.paused:
        return f'Waiting for deployment "{d.name}" rollout to finish: deployment is paused...'
    lines: list[str] = []
    waited = 0
    while True:
        try:
            line, done = status_line(cluster, d)
        except CommandError as exc:
            raise CommandError("\n".join([*lines, exc.text])) from None
        if not lines or lines[-1] != line:
            lines.append(line)
        if done or not watch or waited >= ROLLOUT_STATUS_LIMIT:
            break
        sim.advance(1)
        waited += 1
    if not done and watch:
        lines.append(f"(시뮬레이션 시간으로 {waited}초를 기다렸지만 롤아웃이 끝나지 않았습니다.)")
    return "\n".join(lines)


def _history(cluster, d, revision: int) -> str:
    sets = sorted(cluster.replicasets_of(d), key=lambda rs: rs.revision)
    if revision:
        match = [rs for rs in sets if rs.revision == revision]
        if not match:
            raise CommandError("error: unable to find the specified revision")
        rs = match[0]
        labels = {**rs.template["labels"], "pod-template-hash": rs.template_hash}
        lines = [f"deployment.apps/{d.name} with revision #{revision}", "Pod Template:",
                 "  Labels:\t" + ",".join(f"{k}={v}" for k, v in sorted(labels.items()))]
        if rs.change_cause:
            lines.append(f"  Annotations:\tkubernetes.io/change-cause: {rs.change_cause}")
        lines.append("  Containers:")
        for c in rs.template["containers"]:
            lines += [f"   {c['name']}:", f"    Image:\t{c['image']}",
                      f"    Port:\t{str(c['port']) + '/TCP' if c.get('port') else '<none>'}",
                      f"    Host Port:\t{'0/TCP' if c.get('port') else '<none>'}",
                      "    Environment:\t<none>", "    Mounts:\t<none>"]
        lines.append("  Volumes:\t<none>")
        return tabwrite("\n".join(lines), minwidth=0, padding=2)
    rows = "\n".join(f"{rs.revision}\t{rs.change_cause or '<none>'}" for rs in sets)
    return f"deployment.apps/{d.name} \n" + tabwrite(f"REVISION\tCHANGE-CAUSE\n{rows}", minwidth=0, padding=2)


def _undo(sim, cluster, d, to_revision: int) -> str:
    if d.paused:
        raise CommandError(f'error: you cannot rollback a paused deployment; resume it first with \'kubectl rollout '
                           f'resume deployment/{d.name}\' and try again')
    sets = sorted(cluster.replicasets_of(d), key=lambda rs: rs.revision)
    current = new_replicaset(cluster, d)
    if to_revision:
        target = next((rs for rs in sets if rs.revision == to_revision), None)
        if target is None:
            raise CommandError(f"error: unable to find specified revision {to_revision} in history")
    else:
        older = [rs for rs in sets if current is None or rs.revision < current.revision]
        if not older:
            raise CommandError(f'error: no rollout history found for deployment "{d.name}"')
        target = older[-1]
    if current is not None and target is current:
        return f"deployment.apps/{d.name} skipped rollback (current template already matches revision " \
               f"{target.revision})"
    # kubectl's rollback takes the target revision's annotations, keeping only the controller's own.
    d.annotations = {k: v for k, v in d.annotations.items() if k in ROLLBACK_KEEPS}
    if target.change_cause:
        d.annotations["kubernetes.io/change-cause"] = target.change_cause
    template = copy.deepcopy(target.template)
    _changed(sim, cluster, d, template, None)
    d.rollbacks += 1
    return f"deployment.apps/{d.name} rolled back"


def annotate_command(sim, cluster, args: list[str]) -> str:
    spec = [Flag("namespace", "n"), Flag("overwrite", None, "bool")]
    positional, flags = parse_flags(args, spec, "kubectl annotate")
    namespace = namespace_of(cluster, flags)
    pairs = [p for p in positional if "=" in p or p.endswith("-")]
    d = deployment_arg(sim, cluster, [p for p in positional if p not in pairs], namespace)
    if not pairs:
        raise CommandError("error: at least one annotation update is required")
    for pair in pairs:
        if pair.endswith("-") and "=" not in pair:
            d.annotations.pop(pair[:-1], None)
            continue
        key, value = pair.split("=", 1)
        if key in d.annotations and not flags["overwrite"] and d.annotations[key] != value:
            raise CommandError(f"error: --overwrite is false but found the following declared annotation(s): "
                               f"'{key}' already has a value ({d.annotations[key]})")
        d.annotations[key] = value
    new = new_replicaset(cluster, d)
    if new is not None and "kubernetes.io/change-cause" in d.annotations:
        new.change_cause = d.annotations["kubernetes.io/change-cause"]
    return f"deployment.apps/{d.name} annotated"


def _iso(seconds: float) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH + int(seconds)))
