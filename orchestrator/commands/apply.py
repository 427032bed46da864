"""``kubectl apply|create|delete -f -``: declarative manifests pasted after the command line.

The console has no file system, so the manifest is always standard input (``-f -``, often as a
here-document). Like kubectl, every document is read and typed before anything changes; then each object
is applied in document order, and one object's error does not undo the objects before it.
"""

from __future__ import annotations

from ..kinds.registry import BY_KIND
from ..manifest_kinds import check_types, parse
from ..manifests import ManifestError, identify, load
from ..model import SYSTEM_NAMESPACES
from .deletion import delete_namespace
from .parse import CommandError, Flag, parse_flags
from .pod_cap import check_room

FLAGS = [Flag("filename", "f"), Flag("namespace", "n"), Flag("dry-run"), Flag("validate"),
         Flag("record", None, "bool"), Flag("recursive", "R", "bool"), Flag("wait", None, "bool"),
         Flag("force", None, "bool"), Flag("grace-period", None, "int", -1), Flag("now", None, "bool")]
NO_FILES = ("이 콘솔에는 파일 시스템이 없어서 -f {name} 파일을 읽을 수 없습니다. 매니페스트를 kubectl {verb} -f - "
            "다음 줄에 붙여 넣거나, kubectl {verb} -f - <<EOF … EOF 형태로 입력해 주세요.")


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
    word = kind_info.apply(ctx, kind_info, m, namespace, existing)
    return f"{kind_info.prefix}/{name} {word}{ctx.suffix}"


def _existing(cluster, kind: str, namespace: str | None, name: str):
    if kind == "Namespace":
        return name if name in cluster.namespaces else None
    return getattr(cluster, BY_KIND[kind].store).get(f"{namespace}/{name}")


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
