"""kubectl's view of where it points: ``version``, ``cluster-info`` and ``config``."""

from __future__ import annotations

from ..tabwriter import table
from ..versions import GKE_VERSION, KUBECTL_VERSION, KUSTOMIZE_VERSION
from .parse import CommandError, Flag, parse_flags

NO_SERVER = ("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
             "(도움말: 아직 kubectl이 가리키는 클러스터가 없습니다. "
             "gcloud container clusters create 또는 get-credentials를 먼저 실행해 보세요.)")


def cluster_info(sim, cluster, args):
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


def version(sim, args):
    parse_flags(args, [Flag("client", None, "bool"), Flag("output", "o")], "kubectl version")
    text = f"Client Version: {KUBECTL_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}"
    if sim.current_cluster() is None:
        raise CommandError(text + "\n" + NO_SERVER)
    return text + f"\nServer Version: v{GKE_VERSION}"


def config(sim, args):
    if not args:
        raise CommandError("kubectl config에는 current-context, get-contexts, use-context를 쓸 수 있습니다.")
    sub, rest = args[0], args[1:]
    if sub == "current-context":
        if sim.current_context is None:
            raise CommandError("error: current-context is not set")
        return sim.current_context
    if sub == "get-contexts":
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
