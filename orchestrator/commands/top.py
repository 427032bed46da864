"""``kubectl top``: CPU and memory in use, as metrics-server reports them."""

from __future__ import annotations

from .. import catalog
from ..controllers.traffic import pod_cpu_usage, pod_memory_usage
from ..model import Pod
from ..naming import stable_hash
from ..tabwriter import table
from ..timefmt import go_duration
from .parse import CommandError, Flag, parse_flags
from .selectors import parse_selector

MI = 2**20
# metrics-server scrapes every 15 s and needs two CPU samples: a container shows up 15-30 s after it starts.
METRICS_DELAY = 15
# What the node itself uses besides pods (kubelet, containerd, the OS): a base plus a share of the machine.
NODE_BASE_CPU, NODE_BASE_MEMORY = 40, 380 * MI
# GKE's own per-node pods, as metrics-server shows them on an idle e2-medium (millicores, bytes).
SYSTEM_USAGE = {"kube-proxy": (1, 14 * MI), "fluentbit-gke": (6, 24 * MI), "gke-metrics-agent": (4, 31 * MI),
                "pdcsi-node": (1, 9 * MI)}


def container_usage(pod: Pod) -> list[tuple[str, int, int]]:
    """(container, millicores, bytes) for each container; the first one serves the pod's traffic."""
    out = []
    for i, c in enumerate(pod.containers):
        if c["name"] in SYSTEM_USAGE and pod.namespace == "kube-system":
            cpu, memory = SYSTEM_USAGE[c["name"]]
        elif i == 0:
            cpu, memory = pod_cpu_usage(pod), pod_memory_usage(pod)
        else:
            image = catalog.find_image(c["image"])
            cpu, memory = (image.idle_cpu, image.idle_memory) if image else (1, 8 * MI)
        jitter = stable_hash(pod.uid, c["name"]) % (2 * MI)  # working sets differ a little between pods
        out.append((c["name"], cpu, memory + jitter))
    return out


def has_metrics(cluster, pod: Pod, now: float) -> bool:
    node = cluster.nodes.get(pod.node) if pod.node else None
    if node is None or node.down_since is not None or pod.terminating or pod.stage != "running":
        return False
    return pod.started_at is not None and now - pod.started_at >= METRICS_DELAY + stable_hash(pod.uid) % 16


def node_usage(cluster, node) -> tuple[int, int]:
    """What metrics-server reports for a node: its running pods plus the system's own use."""
    cpu = NODE_BASE_CPU + node.capacity_cpu // 100 + stable_hash(node.name) % 15
    memory = NODE_BASE_MEMORY + node.capacity_memory // 20 + stable_hash(node.name, "mem") % 64 * MI
    for pod in cluster.pods_on(node):
        if pod.phase == "Running" and not pod.terminating:
            for _, c, m in container_usage(pod):
                cpu, memory = cpu + c, memory + m
    return cpu, memory


def _cells(cpu: int, memory: int) -> list[str]:
    return [f"{cpu}m", f"{memory // MI}Mi"]


def top(sim, cluster, args: list[str]) -> str:
    if not args or args[0] in ("-h", "--help"):
        return ("Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource "
                "consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured "
                "and working on the server.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) "
                "usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n"
                "  kubectl top [flags] [options]")
    what, rest = args[0], args[1:]
    if what in ("node", "nodes", "no"):
        return _top_nodes(sim, cluster, rest)
    if what in ("pod", "pods", "po"):
        return _top_pods(sim, cluster, rest)
    raise CommandError(f'error: unknown command "{what}" for "kubectl top"\nRun \'kubectl top --help\' for usage.')


def _check_sort(sort_by: str | None) -> None:
    if sort_by and sort_by not in ("cpu", "memory"):
        raise CommandError("error: --sort-by accepts only cpu or memory")


def _top_nodes(sim, cluster, args: list[str]) -> str:
    spec = [Flag("selector", "l"), Flag("sort-by"), Flag("no-headers", None, "bool"),
            Flag("show-capacity", None, "bool"), Flag("use-protocol-buffers", None, "bool", True)]
    positional, flags = parse_flags(args, spec, "kubectl top node")
    _check_sort(flags["sort-by"])
    if len(positional) > 1:
        raise CommandError(f"error: unexpected arguments: [{' '.join(positional[1:])}]")
    matcher = parse_selector(flags["selector"])
    if positional:
        node = cluster.nodes.get(positional[0])
        if node is None or node.down_since is not None or node.ready != "True":
            raise CommandError(f'Error from server (NotFound): nodemetrics.metrics.k8s.io "{positional[0]}" '
                               "not found")
        nodes = [node]
    else:
        nodes = [n for _, n in sorted(cluster.nodes.items()) if matcher(n.labels)]
    measured = [(n, *node_usage(cluster, n)) for n in nodes if n.down_since is None and n.ready == "True"]
    missing = [n for n in nodes if n.down_since is not None or n.ready != "True"]
    if not measured:
        if not nodes:
            return "No resources found"
        raise CommandError("error: metrics not available yet")
    if flags["sort-by"]:
        column = 1 if flags["sort-by"] == "cpu" else 2
        measured.sort(key=lambda row: -row[column])
    rows = []
    for node, cpu, memory in measured:
        cpu_total = node.capacity_cpu if flags["show-capacity"] else node.cpu
        mem_total = node.capacity_memory if flags["show-capacity"] else node.memory
        rows.append([node.name, f"{cpu}m", f"{int(cpu / cpu_total * 100)}%", f"{memory // MI}Mi",
                     f"{int(memory / mem_total * 100)}%"])
    rows += [[n.name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"] for n in missing]
    return _print(["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], rows, flags["no-headers"])


def _print(header: list[str], rows: list[list[str]], no_headers: bool) -> str:
    text = table(header, rows)
    return text.split("\n", 1)[1] if no_headers else text


def _top_pods(sim, cluster, args: list[str]) -> str:
    spec = [Flag("namespace", "n"), Flag("all-namespaces", "A", "bool"), Flag("selector", "l"), Flag("sort-by"),
            Flag("containers", None, "bool"), Flag("no-headers", None, "bool"), Flag("sum", None, "bool"),
            Flag("field-selector"), Flag("use-protocol-buffers", None, "bool", True)]
    positional, flags = parse_flags(args, spec, "kubectl top pod")
    if len(positional) > 1:
        raise CommandError(f"error: unexpected arguments: [{' '.join(positional[1:])}]")
    _check_sort(flags["sort-by"])
    if positional and flags["selector"]:
        raise CommandError("error: only one of NAME or selector can be provided")
    if flags["field-selector"]:
        raise CommandError("--field-selector는 이 시뮬레이터에서 아직 지원하지 않습니다. -l 레이블 셀렉터를 써 보세요.")
    namespace, every_ns, now = flags["namespace"] or "default", bool(flags["all-namespaces"]), sim.time
    matcher = parse_selector(flags["selector"])
    if positional:
        pod = cluster.pods.get(f"{namespace}/{positional[0]}")
        if pod is None or not has_metrics(cluster, pod, now):
            # The metrics API answers first, and it has nothing for this pod (yet).
            hint = ("" if pod is None else "\n(도움말: metrics-server는 컨테이너가 시작되고 15~30초 뒤부터 사용량을 "
                    "보고합니다. 파드가 Running인지 확인하고 잠시 뒤 다시 실행해 보세요.)")
            raise CommandError(f'Error from server (NotFound): podmetrics.metrics.k8s.io "{namespace}/'
                               f'{positional[0]}" not found{hint}')
        pods = [pod]
    else:
        pods = sorted((p for p in cluster.pods.values()
                       if (every_ns or p.namespace == namespace) and matcher(p.labels)),
                      key=lambda p: (p.namespace, p.name))
    measured = [p for p in pods if has_metrics(cluster, p, now)]
    if not measured:
        # kubectl's verifyEmptyMetrics: it lists the pods of the namespace and blames any older than 2 minutes.
        candidates = [p for p in pods if p.namespace == namespace]
        for pod in candidates:
            if now - pod.created > 120:
                raise CommandError(f"error: Metrics not available for pod {pod.namespace}/{pod.name}, "
                                   f"age: {go_duration(now - pod.created)}")
        if candidates:
            raise CommandError("error: metrics not available yet")
        return "No resources found" if every_ns else f"No resources found in {namespace} namespace."
    rows: list[tuple[list[str], int, int]] = []
    for pod in measured:
        usage = container_usage(pod)
        lead = [pod.namespace] if every_ns else []
        if flags["containers"]:
            rows += [(lead + [pod.name, name, *_cells(c, m)], c, m) for name, c, m in usage]
        else:
            cpu, memory = sum(u[1] for u in usage), sum(u[2] for u in usage)
            rows.append((lead + [pod.name, *_cells(cpu, memory)], cpu, memory))
    if flags["sort-by"]:
        rows.sort(key=lambda r: -(r[1] if flags["sort-by"] == "cpu" else r[2]))
    header = (["NAMESPACE"] if every_ns else []) + (["POD", "NAME"] if flags["containers"] else ["NAME"])
    header += ["CPU(cores)", "MEMORY(bytes)"]
    body = [r[0] for r in rows]
    if flags["sum"]:
        blanks = [""] * (len(header) - 2)
        body += [blanks + ["________", "________"],
                 blanks + _cells(sum(r[1] for r in rows), sum(r[2] for r in rows))]
    return _print(header, body, flags["no-headers"])
