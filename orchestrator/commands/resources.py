"""kubectl's resource arguments: which kinds and names a user typed (the names themselves are declared in
:mod:`orchestrator.kinds`)."""

from __future__ import annotations

from ..kinds.kind import Kind
from ..kinds.registry import find
from .parse import CommandError


def not_found(kind: Kind, name: str) -> CommandError:
    return CommandError(f'Error from server (NotFound): {kind.qualified} "{name}" not found')


# Real kinds the simulator does not model (yet): a clear Korean answer instead of a wrong one.
UNSIMULATED = {
    "statefulsets", "statefulset", "sts", "daemonsets", "daemonset", "ds", "cronjobs", "cronjob", "cj",
    "persistentvolumeclaims", "persistentvolumeclaim", "pvc", "persistentvolumes", "persistentvolume", "pv",
    "serviceaccounts",
    "serviceaccount", "sa", "storageclasses", "storageclass", "sc", "networkpolicies", "networkpolicy",
    "netpol", "limitranges", "limits",
    "resourcequotas", "quota", "roles", "rolebindings", "clusterroles", "clusterrolebindings",
    "customresourcedefinitions", "crd", "crds", "leases", "endpointslices",
}


def lookup(name: str) -> Kind:
    kind = find(name)
    if kind is not None:
        return kind
    if name.lower() in UNSIMULATED:
        raise CommandError(f'"{name}" 리소스는 이 시뮬레이터에서 아직 지원하지 않습니다. '
                           "지원하는 리소스는 help로 확인할 수 있습니다.")
    raise CommandError(f'error: the server doesn\'t have a resource type "{name}"')


def split_targets(args: list[str]) -> list[tuple[Kind, str | None]]:
    """``pods``, ``pod web``, ``deploy/web``, ``deploy,rs``, ``pod a b`` -> (kind, name) pairs."""
    if not args:
        return []
    if any("/" in arg for arg in args):
        targets = []
        for arg in args:
            if "/" not in arg:
                raise CommandError("error: there is no need to specify a resource type as a separate argument "
                                   "when passing arguments in resource/name form (e.g. 'kubectl get "
                                   "resource/<resource_name>' instead of 'kubectl get resource "
                                   "resource/<resource_name>'")
            kind_name, _, name = arg.partition("/")
            if not name:
                raise CommandError("error: arguments in resource/name form must have a single resource and "
                                   "name")
            targets.append((lookup(kind_name), name))
        return targets
    kinds = [lookup(k) for k in args[0].split(",") if k]
    names = args[1:]
    if not names:
        return [(kind, None) for kind in kinds]
    if len(kinds) > 1:
        raise CommandError("error: you may only specify a single resource type")
    return [(kinds[0], name) for name in names]


NO_RESOURCES = ("error: You must provide one or more resources by argument or filename.\n"
                "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")


def namespace_of(cluster, flags: dict) -> str:
    """The ``-n`` namespace (``default`` when not given), which must exist for verbs that change things."""
    namespace = flags.get("namespace") or "default"
    if namespace not in cluster.namespaces:
        raise CommandError(f'Error from server (NotFound): namespaces "{namespace}" not found')
    return namespace


def one_target(args: list[str]) -> tuple[Kind, str]:
    """The single ``TYPE NAME`` / ``TYPE/NAME`` that verbs like scale, expose and rollout act on."""
    targets = split_targets(args)
    if not targets:
        raise CommandError(NO_RESOURCES)
    kind, name = targets[0]
    if name is None:
        raise CommandError("error: resource(s) were provided, but no name was specified")
    return kind, name


def deployment_target(cluster, args: list[str], namespace: str, verb_ko: str = "이 명령을"):
    """The deployment named by ``args``; other kinds get a Korean "not for this kind yet" answer."""
    kind, name = one_target(args)
    if kind.plural != "deployments":
        raise CommandError(f"{kind.plural}에는 {verb_ko} 아직 쓸 수 없습니다. 디플로이먼트에 써 보세요.")
    d = cluster.deployments.get(f"{namespace}/{name}")
    if d is None:
        raise not_found(kind, name)
    return d
