"""``kubectl label``: add, change and remove labels, with kubectl's validation and messages."""

from __future__ import annotations

import json
import re

from ..model import matches
from .parse import CommandError, Flag, parse_flags
from .resources import lookup, not_found
from .selectors import parse_selector

_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_PREFIX = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_VALUE_RULE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
               "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
_KEY_RULE = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
_LABELED = {"pods": ("Pod", "pod"), "deployments": ("Deployment", "deployment.apps"),
            "nodes": ("Node", "node"), "services": ("Service", "service")}


def _key_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _PREFIX.match(prefix)):
        return ("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
    if not name:
        return "name part must be non-empty"
    if len(name) > 63:
        return "name part must be no more than 63 characters"
    return None if _NAME.match(name) else _KEY_RULE


def _parse_label_args(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """kubectl's parseLabels: ``k=v`` sets, ``k-`` removes; values are checked here, keys by the server."""
    updates, removals = {}, []
    for spec in pairs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise CommandError(f"error: invalid label spec: {spec}")
            key, value = parts
            if len(value) > 63:
                raise CommandError(f'error: invalid label value: "{spec}": must be no more than 63 characters')
            if value and not _NAME.match(value):
                raise CommandError(f'error: invalid label value: "{spec}": {_VALUE_RULE}')
            updates[key] = value
        elif spec.endswith("-"):
            removals.append(spec[:-1])
        else:
            raise CommandError(f"error: unknown label spec: {spec}")
    if any(key in updates for key in removals):
        raise CommandError("error: can not both modify and remove a label in the same command")
    return updates, removals


def label(sim, cluster, args: list[str]) -> str:
    spec = [Flag("overwrite", None, "bool"), Flag("namespace", "n"), Flag("all", None, "bool"),
            Flag("selector", "l"), Flag("list", None, "bool"), Flag("dry-run")]
    positional, flags = parse_flags(args, spec, "kubectl label")
    pairs = [a for a in positional if "=" in a or a.endswith("-")]
    resources = [a for a in positional if a not in pairs]
    if not resources:
        raise CommandError("error: one or more resources must be specified as <resource> <name> or "
                           "<resource>/<name>")
    if not pairs and not flags["list"]:
        raise CommandError("error: at least one label update is required")
    updates, removals = _parse_label_args(pairs)
    namespace = flags["namespace"] or "default"
    targets = _label_targets(cluster, resources, namespace, flags)
    out = []
    for plural, obj in targets:
        if flags["list"]:
            out += [f"{k}={v}" for k, v in sorted(obj.labels.items())]
            continue
        kind, prefix = _LABELED[plural]
        for key in updates:
            problem = _key_problem(key)
            if problem:
                raise CommandError(f'The {kind} "{obj.name}" is invalid: metadata.labels: Invalid value: "{key}": '
                                   f"{problem}")
        if not flags["overwrite"]:
            clashes = [f"'{k}' already has a value ({obj.labels[k]}), and --overwrite is false"
                       for k, v in updates.items() if k in obj.labels and obj.labels[k] != v]
            if clashes:
                raise CommandError("error: " + "\n".join(clashes) if len(clashes) == 1
                                   else "error: [" + ", ".join(clashes) + "]")
        old = dict(obj.labels)
        new = {**old, **updates}
        for key in removals:
            if key not in new:
                out.append(f'label "{key}" not found.')
            new.pop(key, None)
        if new == old:
            word = "not labeled"
        elif not flags["overwrite"] and len(json.dumps(new)) < len(json.dumps(old)):
            word = "unlabeled"  # kubectl's updateDataChangeMsg: the object got smaller without --overwrite
        else:
            word = "labeled"
        if new != old and not flags["dry-run"]:
            obj.labels = new
            _labels_changed(sim, cluster, plural, obj)
        out.append(f"{prefix}/{obj.name} {word}" + (" (dry run)" if flags["dry-run"] and new != old else ""))
    return "\n".join(out)


def _label_targets(cluster, resources: list[str], namespace: str, flags) -> list[tuple[str, object]]:
    if "/" in resources[0]:
        typed = [r.split("/", 1) for r in resources]
    else:
        kinds = resources[0]
        typed = [[kinds, name] for name in resources[1:]] or [[kinds, None]]
    found = []
    for kind_name, name in typed:
        kind = lookup(kind_name)
        if kind.plural not in _LABELED:
            raise CommandError(f"kubectl label {kind.plural}는 이 시뮬레이터에서 아직 지원하지 않습니다. 파드, "
                               "디플로이먼트, 노드, 서비스에 레이블을 붙일 수 있습니다.")
        source = {"pods": cluster.pods, "deployments": cluster.deployments, "nodes": cluster.nodes,
                  "services": cluster.services}[kind.plural]
        if name is None:
            if not flags["all"] and not flags["selector"]:
                raise CommandError("error: resource(s) were provided, but no name was specified")
            matcher = parse_selector(flags["selector"])
            objects = sorted((o for o in source.values()
                              if (kind.plural == "nodes" or o.namespace == namespace) and matcher(o.labels)),
                             key=lambda o: o.name)
            if not objects:
                raise CommandError(f"No resources found in {namespace} namespace.")
            found += [(kind.plural, o) for o in objects]
            continue
        obj = source.get(name if kind.plural == "nodes" else f"{namespace}/{name}")
        if obj is None:
            raise not_found(kind, name)
        found.append((kind.plural, obj))
    return found


def _labels_changed(sim, cluster, plural: str, obj) -> None:
    """What reacts to new labels: ReplicaSets let go of (or adopt) pods, the scheduler re-checks nodeSelectors.
    Services need nothing: their endpoints are read from the labels as they are now."""
    if plural == "nodes":
        cluster.sched_retry = True
        return
    if plural != "pods" or obj.terminating:
        return
    pod = obj
    if pod.owner_kind == "ReplicaSet":
        rs_key = f"{pod.namespace}/{pod.owner}"
        rs = cluster.replicasets.get(rs_key)
        if rs is not None and not matches(rs.selector, pod.labels):
            # Orphaned: the ReplicaSet no longer counts it and makes a replacement; the pod keeps running.
            cluster._rs_pods.get(rs_key, {}).pop(pod.key, None)
            pod.owner_kind = pod.owner = None
            cluster.mark_rs(rs_key)
    elif pod.owner_kind is None:
        for rs_key, rs in sorted(cluster.replicasets.items()):
            if rs.namespace == pod.namespace and rs.selector and matches(rs.selector, pod.labels):
                # Adopted: the ReplicaSet now has one pod too many and deletes one.
                pod.owner_kind, pod.owner = "ReplicaSet", rs.name
                cluster._rs_pods.setdefault(rs_key, {})[pod.key] = None
                cluster.mark_rs(rs_key)
                break
    cluster.sched_retry = True  # spreading counts siblings by label
    sim.settle()
