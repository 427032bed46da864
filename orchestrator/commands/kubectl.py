"""Our ``kubectl``: the verbs that change things, and the dispatcher for the rest."""

from __future__ import annotations

import re

from ..catalog import normalize_image
from ..kinds.configmap import ROOT_CA
from ..model import Deployment
from ..naming import uid
from ..pods import new_pod
from . import kubeconfig, nodes
from .apply import apply, create_from_manifest, delete_from_manifest
from .autoscale import autoscale
from .expose import expose
from .kubeconfig import NO_SERVER
from .kubectl_describe import describe
from .kubectl_get import get
from .label import label
from .logs import logs
from .parse import CommandError, Flag, parse_flags
from .pod_cap import check_room
from .resources import NO_RESOURCES, deployment_target, namespace_of, not_found, split_targets
from .rollout import annotate_command, rollout_command, set_command
from .selectors import parse_selector
from .top import top

NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
NOT_YET = {
    "edit", "patch", "exec",
    "port-forward", "proxy", "explain", "api-resources", "api-versions", "replace", "attach",
    "cp", "auth", "wait", "diff", "kustomize", "certificate", "debug", "events", "plugin", "completion",
}


def kubectl(sim, args: list[str]) -> str:
    if not args or args[0] in ("-h", "--help", "help"):
        from .help import help_text

        return help_text(["kubectl"])
    verb, rest = args[0], args[1:]
    if verb == "version":
        return kubeconfig.version(sim, rest)
    if verb == "config":
        return kubeconfig.config(sim, rest)
    if verb not in _VERBS:
        if verb in NOT_YET:
            raise CommandError(f"kubectl {verb}는 이 시뮬레이터에서 아직 지원하지 않습니다. "
                               "지원하는 명령은 help로 확인할 수 있습니다.")
        raise CommandError(f'error: unknown command "{verb}" for "kubectl"\n'
                           "Run 'kubectl --help' for usage.")
    cluster = sim.current_cluster()
    if cluster is None:
        raise CommandError(NO_SERVER)
    if verb == "set":
        # --record stores the command line as the change-cause, as kubectl did.
        return set_command(sim, cluster, rest, "kubectl " + " ".join(args))
    return _VERBS[verb](sim, cluster, rest)


def knows(verb: str) -> bool:
    """Is this a verb of ours? Any other word is refused as unknown before anything happens."""
    return verb in _VERBS or verb in ("version", "config")


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
        return create_from_manifest(sim, cluster, args)
    if what in ("secret", "configmap", "cm"):
        from .create_config import create_config

        return create_config(sim, cluster, what, rest)
    raise CommandError(f"kubectl create {what}는 이 시뮬레이터에서 아직 지원하지 않습니다. kubectl create deployment, "
                       "namespace, secret generic, configmap을 쓸 수 있습니다.")


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
    namespace = namespace_of(cluster, flags)
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


def _run(sim, cluster, args):
    spec = [Flag("image"), Flag("port", None, "int"), Flag("labels", "l"), Flag("namespace", "n"),
            Flag("restart"), Flag("dry-run")]
    positional, flags = parse_flags(args, spec, "kubectl run")
    if not positional:
        raise CommandError("error: NAME is required for run\nSee 'kubectl run -h' for help and examples")
    if not flags["image"]:
        raise CommandError('error: required flag(s) "image" not set')
    name = positional[0]
    namespace = namespace_of(cluster, flags)
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


def _scale(sim, cluster, args):
    spec = [Flag("replicas", None, "int"), Flag("namespace", "n"), Flag("current-replicas", None, "int")]
    positional, flags = parse_flags(args, spec, "kubectl scale")
    if flags["replicas"] is None:
        raise CommandError('error: required flag(s) "replicas" not set')
    if flags["replicas"] < 0:
        raise CommandError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal "
                           "to 0")
    namespace = namespace_of(cluster, flags)
    d = deployment_target(cluster, positional, namespace, "스케일 조정을")
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
        return delete_from_manifest(sim, cluster, args)
    positional, flags = parse_flags(args, spec, "kubectl delete")
    targets = split_targets(positional)
    if not targets:
        raise CommandError(NO_RESOURCES)
    namespace = namespace_of(cluster, flags)
    selector = parse_selector(flags["selector"])
    lines, errors = [], []
    for kind, name in targets:
        if kind.delete is None:
            raise CommandError(f"kubectl delete {kind.plural}는 아직 지원하지 않습니다. 파드, 디플로이먼트, 서비스, "
                               "HPA, 잡, 컨피그맵, 시크릿, 인그레스, PodDisruptionBudget을 지울 수 있습니다.")
        if kind.plural == "configmaps" and name == ROOT_CA:
            # The root-ca-cert-publisher puts it back at once; deleting it changes nothing for long.
            lines.append(f'configmap "{name}" deleted')
            continue
        if name is None:
            if not flags["all"] and not flags["selector"]:
                raise CommandError("error: resource(s) were provided, but no name was specified")
            victims = [o for o in getattr(cluster, kind.store).values()
                       if o.namespace == namespace and selector(o.labels)]
        else:
            obj = getattr(cluster, kind.store).get(f"{namespace}/{name}")
            if obj is None:
                errors.append(not_found(kind, name).text)
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
            kind.delete(sim, cluster, kind, obj)
            lines.append(f'{kind.prefix} "{obj.name}" deleted')
    sim.settle()
    if not lines and not errors:
        return "No resources found"
    if errors:
        raise CommandError("\n".join(lines + errors))
    return "\n".join(lines)


_VERBS = {
    "get": get, "describe": describe,
    "create": _create, "run": _run, "scale": _scale, "delete": _delete,
    "expose": expose, "autoscale": autoscale,
    "apply": apply, "rollout": rollout_command,
    "set": None,  # handled in kubectl(): it needs the whole command line for --record
    "annotate": annotate_command,
    "top": top, "logs": logs, "label": label,
    "taint": nodes.taint, "cordon": nodes.cordon,
    "uncordon": nodes.uncordon, "drain": nodes.drain,
    "cluster-info": kubeconfig.cluster_info,
}
