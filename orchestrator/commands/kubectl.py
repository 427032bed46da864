"""Our ``kubectl``: the verbs that change things, and the dispatcher for the rest."""

from __future__ import annotations

import re

from .. import events
from ..catalog import normalize_image
from ..model import Deployment
from ..naming import uid
from ..pods import begin_delete, new_pod
from ..versions import GKE_VERSION, KUBECTL_VERSION, KUSTOMIZE_VERSION
from .parse import CommandError, Flag, parse_flags
from .resources import split_targets
from .selectors import parse_selector

NO_SERVER = ("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
             "(도움말: 아직 kubectl이 가리키는 클러스터가 없습니다. "
             "gcloud container clusters create 또는 get-credentials를 먼저 실행해 보세요.)")
NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
NOT_YET = {
    "edit", "patch", "exec",
    "port-forward", "proxy", "explain", "api-resources", "api-versions", "taint", "replace", "attach",
    "cp", "auth", "wait", "diff", "kustomize", "certificate", "debug", "events", "plugin", "completion",
}


def kubectl(sim, args: list[str]) -> str:
    if not args or args[0] in ("-h", "--help", "help"):
        from .help import help_text

        return help_text(["kubectl"])
    verb, rest = args[0], args[1:]
    if verb == "version":
        return _version(sim, rest)
    if verb == "config":
        return _config(sim, rest)
    handler = _VERBS.get(verb)
    if handler is None:
        if verb in NOT_YET:
            raise CommandError(f"kubectl {verb}는 이 시뮬레이터에서 아직 지원하지 않습니다. "
                               "지원하는 명령은 help로 확인할 수 있습니다.")
        raise CommandError(f'error: unknown command "{verb}" for "kubectl"\n'
                           "Run 'kubectl --help' for usage.")
    cluster = sim.current_cluster()
    if cluster is None:
        raise CommandError(NO_SERVER)
    if verb == "set":
        from .rollout import set_command

        # --record stores the command line as the change-cause, as kubectl did.
        return set_command(sim, cluster, rest, "kubectl " + " ".join(args))
    return handler(sim, cluster, rest)


def _get(sim, cluster, args):
    from .kubectl_get import get

    return get(sim, cluster, args)


def _describe(sim, cluster, args):
    from .kubectl_describe import describe

    return describe(sim, cluster, args)


def _namespace(cluster, flags) -> str:
    namespace = flags.get("namespace") or "default"
    if namespace not in cluster.namespaces:
        raise CommandError(f'Error from server (NotFound): namespaces "{namespace}" not found')
    return namespace


def _check_name(name: str, what: str) -> None:
    if len(name) > 63 or not NAME_RE.match(name):
        raise CommandError(
            f'error: failed to create {what}: {what}.apps "{name}" is invalid: metadata.name: Invalid value: '
            f'"{name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '
            "'-' or '.', and must start and end with an alphanumeric character")


def container_name(image: str) -> str:
    """``kubectl create deployment`` names the container after the image's last path part."""
    repository, _ = normalize_image(image)
    name = repository.rsplit("/", 1)[-1]
    return re.sub(r"[^a-z0-9-]", "-", name.lower()).strip("-")[:63] or "app"


def _create(sim, cluster, args):
    if not args:
        raise CommandError("error: Unexpected args: []\nSee 'kubectl create -h' for help and examples")
    what, rest = args[0], args[1:]
    if what in ("deployment", "deploy"):
        return _create_deployment(sim, cluster, rest)
    if what in ("namespace", "ns"):
        positional, flags = parse_flags(rest, [Flag("namespace", "n")], "kubectl create namespace")
        if len(positional) != 1:
            raise CommandError(f"error: exactly one NAME is required, got {len(positional)}\n"
                               "See 'kubectl create namespace -h' for help and examples")
        name = positional[0]
        if name in cluster.namespaces:
            raise CommandError(f'Error from server (AlreadyExists): namespaces "{name}" already exists')
        if not NAME_RE.match(name) or len(name) > 63:
            raise CommandError(f'The Namespace "{name}" is invalid: metadata.name: Invalid value: "{name}": a '
                               "lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                               "'-', and must start and end with an alphanumeric character")
        cluster.namespaces[name] = sim.time
        return f"namespace/{name} created"
    if any(a in ("-f", "--filename") or a.startswith(("-f", "--filename=")) for a in args):
        from .apply import create_from_manifest

        return create_from_manifest(sim, cluster, args)
    raise CommandError(f"kubectl create {what}는 이 시뮬레이터에서 아직 지원하지 않습니다. "
                       "kubectl create deployment와 kubectl create namespace를 쓸 수 있습니다.")


def _create_deployment(sim, cluster, args):
    flags_spec = [Flag("image"), Flag("replicas", "r", "int", 1), Flag("port", None, "int"),
                  Flag("namespace", "n"), Flag("dry-run")]
    images = [a.split("=", 1)[1] for a in args if a.startswith("--image=")]
    positional, flags = parse_flags(args, flags_spec, "kubectl create deployment")
    if not images and flags["image"]:
        images = [flags["image"]]
    if len(positional) != 1:
        raise CommandError(f"error: exactly one NAME is required, got {len(positional)}\n"
                           "See 'kubectl create deployment -h' for help and examples")
    if not images:
        raise CommandError('error: required flag(s) "image" not set')
    name = positional[0]
    namespace = _namespace(cluster, flags)
    _check_name(name, "deployment")
    replicas = flags["replicas"]
    if replicas < 0:
        raise CommandError(f'The Deployment "{name}" is invalid: spec.replicas: Invalid value: {replicas}: '
                           "must be greater than or equal to 0")
    check_room(sim, cluster, replicas)
    if f"{namespace}/{name}" in cluster.deployments:
        raise CommandError(f'error: failed to create deployment: deployments.apps "{name}" already exists')
    port = flags["port"]
    if port is not None and not 0 < port < 65536:
        raise CommandError(f'The Deployment "{name}" is invalid: spec.template.spec.containers[0].ports[0]'
                           f".containerPort: Invalid value: {port}: must be between 1 and 65535, inclusive")
    containers = []
    for image in images:
        cname = container_name(image)
        containers.append({"name": cname, "image": image, "cpu": None, "memory": None, "port": port})
    labels = {"app": name}
    d = Deployment(name=name, namespace=namespace, uid=uid(sim.rng), labels=dict(labels), selector=dict(labels),
                   template={"labels": dict(labels), "containers": containers}, replicas=replicas,
                   created=sim.time, last_progress=sim.time)
    cluster.deployments[d.key] = d
    cluster.mark_deployment(d.key)
    sim.settle()
    return f"deployment.apps/{name} created"


def check_room(sim, cluster, wanted_more: int) -> None:
    if wanted_more > sim.pod_room():
        raise CommandError(f"이 샌드박스에서는 파드를 최대 {sim.limits.max_pods:,}개까지 만들 수 있습니다 "
                           f"(지금 {sim.limits.max_pods - sim.pod_room():,}개). 레플리카 수를 줄여 주세요.")


def _run(sim, cluster, args):
    spec = [Flag("image"), Flag("port", None, "int"), Flag("labels", "l"), Flag("namespace", "n"),
            Flag("restart"), Flag("dry-run")]
    positional, flags = parse_flags(args, spec, "kubectl run")
    if not positional:
        raise CommandError("error: NAME is required for run\nSee 'kubectl run -h' for help and examples")
    if not flags["image"]:
        raise CommandError('error: required flag(s) "image" not set')
    name = positional[0]
    namespace = _namespace(cluster, flags)
    _check_name(name, "pod")
    if f"{namespace}/{name}" in cluster.pods:
        raise CommandError(f'Error from server (AlreadyExists): pods "{name}" already exists')
    check_room(sim, cluster, 1)
    labels = {"run": name}
    if flags["labels"]:
        labels = dict(pair.split("=", 1) for pair in flags["labels"].split(",") if "=" in pair)
    pod = new_pod(cluster, name, namespace, labels,
                  [{"name": name, "image": flags["image"], "cpu": None, "memory": None, "port": flags["port"]}],
                  sim.time, sim.rng)
    cluster.add_pod(pod)
    return f"pod/{name} created"


def _find_deployment(cluster, args, namespace) -> Deployment:
    targets = split_targets(args)
    if not targets:
        raise CommandError("error: You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                           "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
    kind, name = targets[0]
    if name is None:
        raise CommandError("error: resource(s) were provided, but no name was specified")
    if kind.plural != "deployments":
        raise CommandError(f"{kind.plural}의 스케일 조정은 아직 지원하지 않습니다. 디플로이먼트를 스케일해 보세요.")
    d = cluster.deployments.get(f"{namespace}/{name}")
    if d is None:
        raise kind.not_found(name)
    return d


def _scale(sim, cluster, args):
    spec = [Flag("replicas", None, "int"), Flag("namespace", "n"), Flag("current-replicas", None, "int")]
    positional, flags = parse_flags(args, spec, "kubectl scale")
    if flags["replicas"] is None:
        raise CommandError('error: required flag(s) "replicas" not set')
    if flags["replicas"] < 0:
        raise CommandError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal "
                           "to 0")
    namespace = _namespace(cluster, flags)
    d = _find_deployment(cluster, positional, namespace)
    current = d.replicas
    if flags["current-replicas"] is not None and flags["current-replicas"] != current:
        raise CommandError(f"error: Expected replicas to be {flags['current-replicas']}, was {current}")
    check_room(sim, cluster, max(0, flags["replicas"] - current))
    d.replicas = flags["replicas"]
    cluster.mark_deployment(d.key)
    sim.settle()
    return f"deployment.apps/{d.name} scaled"


def _delete(sim, cluster, args):
    spec = [Flag("namespace", "n"), Flag("all", None, "bool"), Flag("selector", "l"),
            Flag("force", None, "bool"), Flag("grace-period", None, "int", -1), Flag("now", None, "bool"),
            Flag("wait", None, "bool")]
    if any(a in ("-f", "--filename") or a.startswith(("-f", "--filename=")) for a in args):
        from .apply import delete_from_manifest

        return delete_from_manifest(sim, cluster, args)
    positional, flags = parse_flags(args, spec, "kubectl delete")
    targets = split_targets(positional)
    if not targets:
        raise CommandError("error: You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                           "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
    namespace = _namespace(cluster, flags)
    selector = parse_selector(flags["selector"])
    lines, errors = [], []
    sources = {"pods": cluster.pods, "deployments": cluster.deployments, "services": cluster.services,
               "horizontalpodautoscalers": cluster.hpas}
    for kind, name in targets:
        source = sources.get(kind.plural)
        if source is None:
            raise CommandError(f"kubectl delete {kind.plural}는 아직 지원하지 않습니다. "
                               "파드, 디플로이먼트, 서비스, HPA를 지울 수 있습니다.")
        if name is None:
            if not flags["all"] and not flags["selector"]:
                raise CommandError("error: resource(s) were provided, but no name was specified")
            victims = [o for o in source.values() if o.namespace == namespace and selector(o.labels)]
        else:
            obj = source.get(f"{namespace}/{name}")
            if obj is None:
                errors.append(kind.not_found(name).text)
                continue
            victims = [obj]
        for obj in victims:
            if kind.plural == "pods":
                if obj.terminating and not flags["force"]:
                    lines.append(f'pod "{obj.name}" deleted')
                    continue
                if flags["force"] and flags["grace-period"] == 0:
                    cluster.remove_pod(obj)
                    lines.append(f'pod "{obj.name}" force deleted')
                    continue
                begin_delete(cluster, obj, sim.time)
            elif kind.plural == "deployments":
                delete_deployment(sim, cluster, obj)
            else:
                del source[obj.key]
            lines.append(f'{kind.prefix} "{obj.name}" deleted')
    sim.settle()
    if not lines and not errors:
        return "No resources found"
    if errors:
        raise CommandError("\n".join(lines + errors))
    return "\n".join(lines)


def delete_deployment(sim, cluster, d: Deployment) -> None:
    """Background cascading deletion: the deployment goes now, its ReplicaSets and pods follow."""
    del cluster.deployments[d.key]
    for rs in cluster.replicasets_of(d):
        for pod in cluster.pods_of_rs(rs):
            begin_delete(cluster, pod, sim.time)
        del cluster.replicasets[rs.key]


def find_node(cluster, name: str):
    node = cluster.nodes.get(name)
    if node is None:
        raise CommandError(f'Error from server (NotFound): nodes "{name}" not found')
    return node


def _cordon(sim, cluster, args, on: bool = True):
    positional, _ = parse_flags(args, [Flag("dry-run")], "kubectl cordon" if on else "kubectl uncordon")
    if not positional:
        raise CommandError("error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples"
                           if on else
                           "error: USAGE: uncordon NODE [flags]\nSee 'kubectl uncordon -h' for help and examples")
    lines = []
    for name in positional:
        node = find_node(cluster, name)
        word = "cordoned" if on else "uncordoned"
        if node.unschedulable == on:
            lines.append(f"node/{node.name} already {word}")
            continue
        node.unschedulable = on
        if on:
            events.record(cluster, sim.time, "Normal", "NodeNotSchedulable", "Node", node.name,
                          f"Node {node.name} status is now: NodeNotSchedulable", "kubelet", "")
        else:
            cluster.sched_retry = True
            events.record(cluster, sim.time, "Normal", "NodeSchedulable", "Node", node.name,
                          f"Node {node.name} status is now: NodeSchedulable", "kubelet", "")
        lines.append(f"node/{node.name} {word}")
    return "\n".join(lines)


def _uncordon(sim, cluster, args):
    return _cordon(sim, cluster, args, on=False)


def _drain(sim, cluster, args):
    spec = [Flag("ignore-daemonsets", None, "bool"), Flag("force", None, "bool"),
            Flag("delete-emptydir-data", None, "bool"), Flag("delete-local-data", None, "bool"),
            Flag("grace-period", None, "int", -1), Flag("timeout"), Flag("dry-run")]
    positional, flags = parse_flags(args, spec, "kubectl drain")
    if len(positional) != 1:
        raise CommandError("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples")
    node = find_node(cluster, positional[0])
    lines = [_cordon(sim, cluster, [node.name])]
    pods = [p for p in cluster.pods_on(node) if not p.terminating]
    daemons = [p for p in pods if p.owner_kind == "DaemonSet"]
    bare = [p for p in pods if p.owner_kind is None]
    problems = []
    if daemons and not flags["ignore-daemonsets"]:
        problems.append("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
                        + ", ".join(f"{p.namespace}/{p.name}" for p in daemons))
    if bare and not flags["force"]:
        problems.append("cannot delete Pods that declare no controller (use --force to override): "
                        + ", ".join(f"{p.namespace}/{p.name}" for p in bare))
    if problems:
        detail = "; ".join(problems)
        lines.append(f'error: unable to drain node "{node.name}" due to error: {detail}, continuing command...')
        lines.append("There are pending nodes to be drained:")
        lines.append(f" {node.name}")
        lines.extend(problems)
        raise CommandError("\n".join(lines))
    if daemons:
        lines.append("Warning: ignoring DaemonSet-managed Pods: "
                     + ", ".join(f"{p.namespace}/{p.name}" for p in daemons))
    # Mirror pods (kube-proxy) are skipped silently: the kubelet owns them, not the API server.
    evictable = [p for p in pods if p.owner_kind not in ("DaemonSet", "Node")]
    for pod in evictable:
        lines.append(f"evicting pod {pod.namespace}/{pod.name}")
    for pod in evictable:
        begin_delete(cluster, pod, sim.time)
        lines.append(f"pod/{pod.name} evicted")
    lines.append(f"node/{node.name} drained")
    sim.settle()
    return "\n".join(lines)


def _cluster_info(sim, cluster, args):
    if args and args[0] == "dump":
        raise CommandError("kubectl cluster-info dump는 이 시뮬레이터에서 지원하지 않습니다.")
    base = f"https://{cluster.endpoint}"
    return (
        f"Kubernetes control plane is running at {base}\n"
        f"GLBCDefaultBackend is running at {base}/api/v1/namespaces/kube-system/services/"
        "default-http-backend:http/proxy\n"
        f"KubeDNS is running at {base}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
        f"Metrics-server is running at {base}/api/v1/namespaces/kube-system/services/https:metrics-server:/proxy\n"
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'."
    )


def _version(sim, args):
    parse_flags(args, [Flag("client", None, "bool"), Flag("output", "o")], "kubectl version")
    text = f"Client Version: {KUBECTL_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}"
    if sim.current_cluster() is None:
        raise CommandError(text + "\n" + NO_SERVER)
    return text + f"\nServer Version: v{GKE_VERSION}"


def _config(sim, args):
    if not args:
        raise CommandError("kubectl config에는 current-context, get-contexts, use-context를 쓸 수 있습니다.")
    sub, rest = args[0], args[1:]
    if sub == "current-context":
        if sim.current_context is None:
            raise CommandError("error: current-context is not set")
        return sim.current_context
    if sub == "get-contexts":
        from ..tabwriter import table

        names = rest or list(sim.contexts)
        rows = []
        for name in names:
            if name not in sim.contexts:
                raise CommandError(f'error: context {name} not found')
            rows.append(["*" if name == sim.current_context else "", name, name, name, ""])
        return table(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], rows)
    if sub == "use-context":
        if len(rest) != 1:
            raise CommandError("error: Unexpected args: " + str(rest))
        name = rest[0]
        if name not in sim.contexts:
            raise CommandError(f'error: no context exists with the name: "{name}"')
        sim.current_context = name
        return f'Switched to context "{name}".'
    raise CommandError(f"kubectl config {sub}는 아직 지원하지 않습니다. current-context, get-contexts, "
                       "use-context를 쓸 수 있습니다.")


def _rollout(sim, cluster, args):
    from .rollout import rollout_command

    return rollout_command(sim, cluster, args)


def _annotate(sim, cluster, args):
    from .rollout import annotate_command

    return annotate_command(sim, cluster, args)


def _expose(sim, cluster, args):
    from .expose import expose

    return expose(sim, cluster, args)


def _autoscale(sim, cluster, args):
    from .autoscale import autoscale

    return autoscale(sim, cluster, args)


def _apply(sim, cluster, args):
    from .apply import apply

    return apply(sim, cluster, args)


def _observe(verb):
    def handler(sim, cluster, args):
        from . import observe

        return getattr(observe, verb)(sim, cluster, args)

    return handler


_VERBS = {
    "expose": _expose, "autoscale": _autoscale, "apply": _apply,
    "top": _observe("top"), "logs": _observe("logs"), "label": _observe("label"),
    "set": _rollout, "rollout": _rollout, "annotate": _annotate,
    "get": _get, "describe": _describe, "create": _create, "run": _run, "scale": _scale, "delete": _delete,
    "cordon": _cordon, "uncordon": _uncordon, "drain": _drain, "cluster-info": _cluster_info,
}
