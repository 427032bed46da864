"""``kubectl get``: tables shaped exactly like kubectl's, for every kind we simulate."""

from __future__ import annotations

from ..describing import format_labels
from ..kinds.kind import Kind
from ..kinds.registry import KINDS
from ..model import Cluster
from ..tabwriter import table
from ..timefmt import human_duration
from .parse import CommandError, Flag, parse_flags
from .resources import not_found, split_targets
from .selectors import parse_selector

GET_FLAGS = [
    Flag("output", "o"), Flag("selector", "l"), Flag("namespace", "n"), Flag("all-namespaces", "A", "bool"),
    Flag("show-labels", None, "bool"), Flag("watch", "w", "bool"), Flag("context"), Flag("sort-by"),
]
# --sort-by JSONPath expressions we understand, and how to read them off our objects.
SORT_KEYS = {
    ".metadata.name": lambda o: o.name,
    ".metadata.creationTimestamp": lambda o: getattr(o, "first", None) if hasattr(o, "first") else o.created,
    ".lastTimestamp": lambda o: getattr(o, "last", 0.0),
    ".firstTimestamp": lambda o: getattr(o, "first", 0.0),
    ".status.containerStatuses[0].restartCount": lambda o: getattr(o, "restarts", 0),
    ".spec.nodeName": lambda o: getattr(o, "node", "") or "",
}
ALL_KINDS = ("pods", "services", "deployments", "replicasets", "horizontalpodautoscalers", "jobs")


def get(sim, cluster: Cluster, args: list[str]) -> str:
    positional, flags = parse_flags(args, GET_FLAGS, "kubectl get")
    if flags["watch"]:
        raise CommandError("--watch(-w)는 이 콘솔에서 지원하지 않습니다. 명령을 다시 실행하거나 시간을 흘려 보세요.")
    output = flags["output"] or ""
    if output not in ("", "wide", "name", "yaml", "json"):
        raise CommandError(f"error: unable to match a printer suitable for the output format \"{output}\", "
                           "allowed formats are: json,name,wide,yaml")
    if not positional:
        raise CommandError(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list "
            "of supported resources.\n\nerror: Required resource not specified.\n"
            "Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl "
            "explain pods).\nSee 'kubectl get -h' for help and examples")
    namespace = flags["namespace"] or "default"
    every_ns = bool(flags["all-namespaces"])
    matcher = parse_selector(flags["selector"])
    if positional[0].lower() == "all":
        targets = [(KINDS[k], None) for k in ALL_KINDS]
        names_given = False
        if len(positional) > 1:
            raise CommandError("error: you must specify only one resource")
    else:
        targets = split_targets(positional)
        names_given = any(name is not None for _, name in targets)
        if names_given and every_ns:
            raise CommandError("error: a resource cannot be retrieved by name across all namespaces")
    ctx = _Ctx(sim, cluster, output, every_ns, bool(flags["show-labels"]))
    sections, errors = [], []
    by_kind: dict[str, list] = {}
    for kind, name in targets:
        objects = kind.objects(cluster, namespace, every_ns)
        if name is not None:
            found = [o for o in objects if o.name == name]
            if not found:
                errors.append(not_found(kind, name).text)
                continue
            objects = found
        else:
            objects = [o for o in objects if matcher(_labels(o))]
        by_kind.setdefault(kind.plural, []).extend(objects)
    if flags["sort-by"]:
        path = flags["sort-by"].strip().strip("{}")
        path = path if path.startswith(".") else "." + path
        getter = SORT_KEYS.get(path)
        if getter is None:
            raise CommandError(f'error: couldn\'t find any field with path "{{{path}}}" in the list of objects')
        for plural in by_kind:
            by_kind[plural] = sorted(by_kind[plural], key=getter)
    multi = len(by_kind) > 1 or positional[0].lower() == "all"
    if output in ("yaml", "json") and not errors:
        from .output import render

        items = [(KINDS[plural], o) for plural, objs in by_kind.items() for o in objs]
        single = names_given and len(items) == 1
        if not items:
            return f"No resources found in {namespace} namespace."
        return render(sim, cluster, items, output, single)
    for plural, objects in by_kind.items():
        if not objects:
            continue
        kind = KINDS[plural]
        if output == "name":
            sections.append("\n".join(f"{kind.prefix}/{o.name}" for o in objects))
        else:
            sections.append(ctx.render(kind, objects, prefix=multi))
    if not sections and not errors:
        if every_ns or all(not KINDS[p].namespaced for p in by_kind) and not names_given:
            return "No resources found"
        return f"No resources found in {namespace} namespace."
    joiner = "\n" if output == "name" else "\n\n"
    text = joiner.join(sections)
    if "endpoints" in by_kind:
        text = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n" + text
    if errors:
        text = "\n".join(filter(None, [text, *errors]))
        raise CommandError(text)
    return text


def _labels(obj) -> dict:
    return getattr(obj, "labels", {}) or {}


class _Ctx:
    def __init__(self, sim, cluster: Cluster, output: str, every_ns: bool, show_labels: bool) -> None:
        self.sim, self.cluster, self.now = sim, cluster, sim.time
        self.wide, self.every_ns, self.show_labels = output == "wide", every_ns, show_labels

    def age(self, created: float) -> str:
        return human_duration(self.now - created)

    def render(self, kind: Kind, objects: list, prefix: bool) -> str:
        shown = [c for c in kind.columns if self.wide or not c.wide]
        header, rows = [c.header for c in shown], [[c.cell(self, o) for c in shown] for o in objects]
        if prefix:
            for row, obj in zip(rows, objects, strict=True):
                row[0] = f"{kind.prefix}/{obj.name}"
        if self.show_labels:
            header.append("LABELS")
            for row, obj in zip(rows, objects, strict=True):
                row.append(format_labels(_labels(obj)))
        if self.every_ns and kind.namespaced:
            header.insert(0, "NAMESPACE")
            for row, obj in zip(rows, objects, strict=True):
                row.insert(0, obj.namespace)
        return table(header, rows)
