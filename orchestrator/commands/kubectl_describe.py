"""``kubectl describe``: finds the objects, then hands each to its kind's describer (declared in its module under
:mod:`orchestrator.kinds`; the blocks they share are in :mod:`orchestrator.describing`)."""

from __future__ import annotations

from ..describing import Describer, labels_of
from ..model import Cluster
from .parse import CommandError, Flag, parse_flags
from .resources import not_found, split_targets
from .selectors import parse_selector

FLAGS = [
    Flag("namespace", "n"), Flag("all-namespaces", "A", "bool"), Flag("selector", "l"),
    Flag("show-events", None, "bool", True), Flag("chunk-size", None, "int", 500), Flag("context"),
]
MISSING_TYPE = ('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a '
                "complete list of supported resources.")


def describe(sim, cluster: Cluster, args: list[str]) -> str:
    positional, flags = parse_flags(args, FLAGS, "kubectl describe")
    if not positional:
        raise CommandError(MISSING_TYPE)
    targets = split_targets(positional)
    for kind, _ in targets:
        if kind.describe is None:
            raise CommandError(f"kubectl describe {kind.plural}는 이 시뮬레이터에서 아직 지원하지 않습니다. "
                               "node, pod, deployment, replicaset, service, hpa, configmap, secret, pdb, job, "
                               "ingress를 describe할 수 있습니다.")
    namespace = flags["namespace"] or "default"
    every_ns = bool(flags["all-namespaces"])
    if any(name is not None for _, name in targets):
        if flags["selector"]:
            raise CommandError("error: name cannot be provided when a selector is specified")
        if every_ns:
            raise CommandError("error: a resource cannot be retrieved by name across all namespaces")
    matcher = parse_selector(flags["selector"])
    ctx = Describer(sim, cluster, bool(flags["show-events"]))
    texts, errors = [], []
    for kind, name in targets:
        objects = kind.objects(cluster, namespace, every_ns)
        if name is None:
            texts += [kind.describe(ctx, o) for o in objects if matcher(labels_of(o))]
            continue
        found = [o for o in objects if o.name == name]
        if not found:
            errors.append(not_found(kind, name).text)
        texts += [kind.describe(ctx, o) for o in found]
    if errors and len(positional) == 2:
        # kubectl's describeMatchingResources: `describe pod web` shows every pod whose name starts with
        # "web" (one blank line between them); with no match, only the original NotFound error.
        matched = []
        if "/" not in positional[0]:
            kind, prefix = targets[0]
            matched = [o for o in kind.objects(cluster, namespace, False) if o.name.startswith(prefix)]
        if not matched:
            raise CommandError(errors[0])
        return "\n\n".join(kind.describe(ctx, o) for o in matched)
    text = "\n\n\n".join(texts)  # kubectl prints "\n\n" between descriptions that each end in "\n"
    if errors:
        raise CommandError("\n".join(filter(None, [text, *errors])))
    if not texts:
        return "No resources found" if every_ns else f"No resources found in {namespace} namespace."
    return text
