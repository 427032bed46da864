"""Looking at a running cluster: ``kubectl top``, ``logs`` and ``label``.

``top`` reads the same usage figures the HPA controller uses (controllers.traffic), as metrics-server would
report them. ``logs`` writes what each example image really prints, derived from the pod's uid and the
simulated clock only, so the same simulation always shows the same lines and the RNG is never touched.
"""

from __future__ import annotations

import hashlib
import json
import re
import time

from .. import catalog, probes
from ..controllers.traffic import pod_cpu_usage, pod_memory_usage
from ..model import Pod, matches
from ..tabwriter import table
from ..timefmt import EPOCH
from ..versions import GKE_VERSION, KERNEL_VERSION
from .parse import CommandError, Flag, parse_flags
from .resources import lookup
from .selectors import parse_selector

MI = 2**20
# metrics-server scrapes every 15 s and needs two CPU samples: a container shows up 15-30 s after it starts.
METRICS_DELAY = 15
# What the node itself uses besides pods (kubelet, containerd, the OS): a base plus a share of the machine.
NODE_BASE_CPU, NODE_BASE_MEMORY = 40, 380 * MI
# GKE's own per-node pods, as metrics-server shows them on an idle e2-medium (millicores, bytes).
SYSTEM_USAGE = {"kube-proxy": (1, 14 * MI), "fluentbit-gke": (6, 24 * MI), "gke-metrics-agent": (4, 31 * MI),
                "pdcsi-node": (1, 9 * MI)}
LOG_CAP = 200  # lines kept per container: enough to read, small enough for the console
TRAFFIC_WINDOW = 60  # seconds of access log written for the current request rate


def _hash(*parts) -> int:
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:8], "big")


def go_duration(seconds: float) -> str:
    """Go's time.Duration.String(): ``5s``, ``2m5s``, ``1h0m5s``, ``1.5s``."""
    ms = round(seconds * 1000)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = f"{rest / 1000:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{hours}h{minutes}m{secs}"
    return f"{minutes}m{secs}" if minutes else secs


# --- kubectl top ------------------------------------------------------------------------------------


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
        out.append((c["name"], cpu, memory + _hash(pod.uid, c["name"]) % (2 * MI)))  # working sets differ a little
    return out


def has_metrics(cluster, pod: Pod, now: float) -> bool:
    node = cluster.nodes.get(pod.node) if pod.node else None
    if node is None or node.down_since is not None or pod.terminating or pod.stage != "running":
        return False
    return pod.started_at is not None and now - pod.started_at >= METRICS_DELAY + _hash(pod.uid) % 16


def node_usage(cluster, node) -> tuple[int, int]:
    """What metrics-server reports for a node: its running pods plus the system's own use."""
    cpu = NODE_BASE_CPU + node.capacity_cpu // 100 + _hash(node.name) % 15
    memory = NODE_BASE_MEMORY + node.capacity_memory // 20 + _hash(node.name, "mem") % 64 * MI
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


# --- kubectl logs -----------------------------------------------------------------------------------

_LOGS_USAGE = ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
               "POD or TYPE/NAME is a required argument for the logs command\n"
               "See 'kubectl logs -h' for help and examples")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$")


def logs(sim, cluster, args: list[str]) -> str:
    spec = [Flag("container", "c"), Flag("tail", None, "int", -1), Flag("follow", "f", "bool"),
            Flag("previous", "p", "bool"), Flag("namespace", "n"), Flag("timestamps", None, "bool"),
            Flag("since"), Flag("selector", "l"), Flag("all-containers", None, "bool"), Flag("prefix", None, "bool"),
            Flag("max-log-requests", None, "int", 5), Flag("pod-running-timeout")]
    positional, flags = parse_flags(args, spec, "kubectl logs")
    if flags["follow"]:
        raise CommandError("kubectl logs -f(--follow)는 이 콘솔에서 지원하지 않습니다. -f 없이 실행하고, 새 로그는 "
                           "sim advance로 시간을 흘린 뒤 다시 확인해 보세요.")
    namespace, now = flags["namespace"] or "default", sim.time
    since = _parse_since(flags["since"]) if flags["since"] else None
    notes: list[str] = []
    if flags["selector"]:
        if positional:
            raise CommandError("error: only one of selector or pod can be provided")  # kubectl's check
        matcher = parse_selector(flags["selector"])
        pods = sorted((p for p in cluster.pods.values() if p.namespace == namespace and matcher(p.labels)),
                      key=lambda p: p.name)
        if not pods:
            return "No resources found in " + namespace + " namespace."
        tail = flags["tail"] if flags["tail"] != -1 else 10  # with a selector kubectl shows the last 10 lines
        prefix = bool(flags["prefix"])
    else:
        if not positional or len(positional) > 2:
            raise CommandError(_LOGS_USAGE)
        pods = [_pick_pod(cluster, positional[0], namespace, notes)]
        if len(positional) == 2:
            if flags["container"]:
                raise CommandError("error: only one of -c or an inline [CONTAINER] arg is allowed")
            flags["container"] = positional[1]
        tail, prefix = flags["tail"], bool(flags["prefix"])
    out = list(notes)
    for pod in pods:
        if flags["all-containers"]:
            names = [c["name"] for c in pod.containers]
        elif flags["container"]:
            if not any(c["name"] == flags["container"] for c in pod.containers):
                raise CommandError(f"Error from server (BadRequest): container {flags['container']} is not valid "
                                   f"for pod {pod.name}")
            names = [flags["container"]]
        else:
            names = [pod.containers[0]["name"]]
            if len(pod.containers) > 1:
                out.append(f'Defaulted container "{names[0]}" out of: '
                           + ", ".join(c["name"] for c in pod.containers))
        for name in names:
            lines = container_log(cluster, pod, name, now, bool(flags["previous"]))
            if lines is None:
                out.append("(도움말: 이 파드는 아직 노드에 배정되지 않아 컨테이너가 없고, 그래서 로그도 없습니다. "
                           "kubectl describe pod로 이유를 확인해 보세요.)")
                continue
            if since is not None:
                lines = [(t, line) for t, line in lines if t >= now - since]
            lines = lines[-LOG_CAP:]
            if tail >= 0:
                lines = lines[len(lines) - min(tail, len(lines)):]
            for t, line in lines:
                if flags["timestamps"]:
                    line = f"{_rfc3339nano(t)} {line}"
                if prefix:
                    line = f"[pod/{pod.name}/{name}] {line}"
                out.append(line)
    return "\n".join(out)


def _parse_since(text: str) -> float:
    match = _DURATION.match(text)
    if not text or not match or not any(match.groups()):
        raise CommandError(f'error: invalid argument "{text}" for "--since" flag: time: invalid duration "{text}"')
    h, m, s = (float(g) if g else 0.0 for g in match.groups())
    return h * 3600 + m * 60 + s


def _pick_pod(cluster, target: str, namespace: str, notes: list[str]) -> Pod:
    """A pod name, ``pod/NAME``, or a workload whose first pod (kubectl's ByLogging order) is shown."""
    if "/" not in target:
        kind_name, name = "pods", target
    else:
        kind_name, name = target.split("/", 1)
    kind = lookup(kind_name)
    if kind.plural == "pods":
        pod = cluster.pods.get(f"{namespace}/{name}")
        if pod is None:
            raise kind.not_found(name)
        return pod
    sources = {"deployments": cluster.deployments, "replicasets": cluster.replicasets, "services": cluster.services}
    if kind.plural not in sources:
        raise CommandError(f"kubectl logs {kind.singular}/NAME는 지원하지 않습니다. 파드, 디플로이먼트, "
                           "레플리카셋, 서비스의 로그를 볼 수 있습니다.")
    owner = sources[kind.plural].get(f"{namespace}/{name}")
    if owner is None:
        raise kind.not_found(name)
    pods = [p for _, p in sorted(cluster.pods.items())
            if p.namespace == namespace and owner.selector and matches(owner.selector, p.labels)]
    if not pods:
        raise CommandError("error: timed out waiting for the condition")
    pods.sort(key=lambda p: (p.node is None, {"Running": 0, "Unknown": 1, "Pending": 2}.get(p.phase, 3),
                             not p.ready, p.ready_since or 0 if p.ready else 0, -p.restarts, p.created))
    if len(pods) > 1:
        notes.append(f"Found {len(pods)} pods, using pod/{pods[0].name}")
    return pods[0]


def _ran_seconds(container: dict) -> float:
    """How long a broken app's container lives: until it exits, or until its liveness probe gives up."""
    liveness = probes.probe(container, "liveness")
    if liveness is None:
        return probes.CRASH_AFTER_SECONDS
    return max(liveness["initialDelaySeconds"], 1) + (liveness["failureThreshold"] - 1) * liveness["periodSeconds"]


def container_log(cluster, pod: Pod, name: str, now: float, previous: bool) -> list[tuple[float, str]] | None:
    """The container's log as (time, line) pairs, oldest first; None when the pod has no node yet.
    Raises CommandError with the kubelet's own words when there is no container to read."""
    if pod.node is None:
        return None
    node = cluster.nodes.get(pod.node)
    if node is not None and node.down_since is not None:
        raise CommandError(f'Error from server: Get "https://{node.internal_ip}:10250/containerLogs/{pod.namespace}/'
                           f'{pod.name}/{name}": dial tcp {node.internal_ip}:10250: i/o timeout')
    container = next(c for c in pod.containers if c["name"] == name)
    running = pod.stage in ("running", "stopping") and pod.started_at is not None and pod.reason == ""
    exited = pod.stage == "exited" and pod.reason != "CrashLoopBackOff"  # state Terminated, no restart yet
    ran = _ran_seconds(container)
    if previous:
        # lastState.terminated: the run before the current one (before the terminated one while exited).
        if pod.restarts == 0 or pod.last_restart is None or (exited and pod.restarts < 2):
            raise CommandError(f'Error from server (BadRequest): previous terminated container "{name}" in pod '
                               f'"{pod.name}" not found')
        if exited:
            end = (pod.started_at or pod.created) - 1
            return _run(cluster, pod, container, max(pod.created, end - ran), end, True)
        if running:
            return _run(cluster, pod, container, max(pod.created, pod.last_restart - ran), pod.last_restart, True)
        return _run(cluster, pod, container, pod.started_at or pod.created, pod.last_restart, True)
    if running:
        return _run(cluster, pod, container, pod.started_at, now, False)
    if pod.restarts and pod.last_restart is not None:
        start = pod.started_at if pod.started_at is not None else pod.last_restart - ran
        return _run(cluster, pod, container, min(start, pod.last_restart), pod.last_restart, True)
    waiting = {"ErrImagePull": "image can't be pulled", "ImagePullBackOff": "trying and failing to pull image"}
    reason = waiting.get(pod.reason, pod.reason or "ContainerCreating")
    raise CommandError(f'Error from server (BadRequest): container "{name}" in pod "{pod.name}" is waiting to start: '
                       f"{reason}")


def _family(image_ref: str) -> str:
    repository, _ = catalog.normalize_image(image_ref)
    last = repository.rsplit("/", 1)[-1]
    return {"hpa-example": "php"}.get(last, last)


def _run(cluster, pod: Pod, container: dict, start: float, end: float, crashed: bool) -> list[tuple[float, str]]:
    """One container run: start-up lines, probe and traffic lines, and how it ended if it crashed."""
    family, name = _family(container["image"]), container["name"]
    seed = _hash(pod.uid, name, start)
    t0 = start + (seed % 400) / 1000
    first = container is pod.containers[0]
    broken = first and (crashed or cluster.is_crashing(pod))
    liveness = probes.probe(container, "liveness")
    lines = [(t0 + i * 0.0003, line) for i, line in enumerate(_startup(cluster, pod, container, family, t0))]
    events: list[tuple[float, str]] = []
    for kind in ("readiness", "liveness"):
        spec = probes.probe(container, kind)
        if spec and spec.get("httpGet"):
            path = spec["httpGet"].get("path", "/")
            base, period = start + max(spec["initialDelaySeconds"], 1), spec["periodSeconds"]
            count = int((end - base) // period) + 1 if end >= base else 0
            for k in range(max(0, count - LOG_CAP), count):
                t = base + k * period + (seed >> 8) % 50 / 1000 + (kind == "liveness") * 0.002
                status = 500 if broken else 200
                events.append((t, _request_line(family, pod, t, path, status, f"kube-probe/{_minor()}", k, start)))
    if not broken and first and pod.rps > 0:
        window = min(TRAFFIC_WINDOW, end - start - 1)
        count = min(LOG_CAP, int(pod.rps * window)) if window > 0 else 0
        for i in range(count):
            t = end - (i + 0.5) / pod.rps
            ua = _agent(family, _hash(pod.uid, t))
            events.append((t, _request_line(family, pod, t, "/", 200, ua, count - i, start, _client(cluster, t))))
    events.sort()
    lines += [e for e in events if e[0] <= end]
    if crashed and first and liveness is None:
        lines += [(end - 0.01 + i * 0.0003, line) for i, line in enumerate(_crash_lines(family, end, name))]
    return lines


def _minor() -> str:
    return ".".join(GKE_VERSION.split(".")[:2])


def _client(cluster, t: float) -> str:
    """The address a request comes from: kube-proxy SNATs it to a node's pod-range gateway."""
    nodes = sorted(cluster.nodes.values(), key=lambda n: n.name)
    if not nodes:
        return "10.64.0.1"
    node = nodes[_hash("client", t) % len(nodes)]
    index = node.pod_cidr_index
    return f"10.{cluster.pod_cidr_base + index // 256}.{index % 256}.1"


def _agent(family: str, h: int) -> str:
    if family == "php":
        return "Wget"
    return ("Go-http-client/1.1", "Go-http-client/1.1", "curl/8.5.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
            "Safari/537.36")[h % 4]


def _gm(t: float, fmt: str) -> str:
    return time.strftime(fmt, time.gmtime(EPOCH + int(t)))


def _ms(t: float, digits: int = 3) -> str:
    return f"{t % 1:.{digits}f}"[2:]


def _rfc3339nano(t: float) -> str:
    return _gm(t, "%Y-%m-%dT%H:%M:%S") + f".{_ms(t, 6)}{_hash(t) % 1000:03d}Z"


def _request_line(family: str, pod: Pod, t: float, path: str, status: int, agent: str, n: int, start: float,
                  client: str | None = None) -> str:
    """One served request in the image's own log format."""
    client = client or f"{(pod.ip or '10.0.0.2').rsplit('.', 1)[0]}.1"
    stamp = _gm(t, "%d/%b/%Y:%H:%M:%S +0000")
    if family == "kubernetes-bootcamp":
        return (f"Running On: {pod.name} | Total Requests: {n} | App Uptime: {t - start:.3f} seconds | "
                f"Log Time: {_gm(t, '%Y-%m-%dT%H:%M:%S')}.{_ms(t)}Z")
    if family == "hello-app":
        return f"{_gm(t, '%Y/%m/%d %H:%M:%S')} Serving request: {path}"
    if family == "httpd":
        return f'{client} - - [{stamp}] "GET {path} HTTP/1.1" {status} {45 if status == 200 else 530}'
    if family == "php":
        return f'{client} - - [{stamp}] "GET {path} HTTP/1.1" {status} {3 if status == 200 else 0} "-" "{agent}"'
    if family == "nginx":
        size = 615 if status == 200 else 157
        return f'{client} - - [{stamp}] "GET {path} HTTP/1.1" {status} {size} "-" "{agent}" "-"'
    return f"{_gm(t, '%Y/%m/%d %H:%M:%S')} GET {path} {status}"


_NGINX_VERSIONS = {"1.25": "1.25.5", "1.26": "1.26.3", "1.27": "1.27.5", "1.27-alpine": "1.27.5", "latest": "1.29.1"}


def _startup(cluster, pod: Pod, container: dict, family: str, t: float) -> list[str]:
    _, tag = catalog.normalize_image(container["image"])
    day = _gm(t, "%Y/%m/%d %H:%M:%S")
    if family == "nginx":
        node = cluster.nodes.get(pod.node)
        workers = max(1, (node.capacity_cpu if node else 2000) // 1000)
        gcc = "gcc 14.2.0 (Alpine 14.2.0)" if "alpine" in tag else "gcc 12.2.0 (Debian 12.2.0-14+deb12u1)"
        entry = "/docker-entrypoint.sh: "
        return [
            entry + "/docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            entry + "Looking for shell scripts in /docker-entrypoint.d/",
            entry + "Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
            "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
            entry + "Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
            entry + "Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            entry + "Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            entry + "Configuration complete; ready for start up",
            f'{day} [notice] 1#1: using the "epoll" event method',
            f"{day} [notice] 1#1: nginx/{_NGINX_VERSIONS.get(tag, '1.27.5')}",
            f"{day} [notice] 1#1: built by {gcc}",
            f"{day} [notice] 1#1: OS: Linux {KERNEL_VERSION}",
            f"{day} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
            f"{day} [notice] 1#1: start worker processes",
            *(f"{day} [notice] 1#1: start worker process {29 + i}" for i in range(workers)),
        ]
    if family in ("httpd", "php"):
        fqdn = (f"AH00558: {'httpd' if family == 'httpd' else 'apache2'}: Could not reliably determine the server's "
                f"fully qualified domain name, using {pod.ip}. Set the 'ServerName' directive globally to suppress "
                "this message")
        stamp = _gm(t, "%a %b %d %H:%M:%S") + f".{_ms(t, 6)} " + _gm(t, "%Y")
        if family == "httpd":
            return [fqdn, fqdn,
                    f"[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- "
                    "resuming normal operations",
                    f"[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"]
        return [fqdn, fqdn,
                f"[{stamp}] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.10 (Debian) PHP/5.6.14 configured -- "
                "resuming normal operations",
                f"[{stamp}] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'"]
    if family == "redis":
        version = {"7.2": "7.2.10", "7.4": "7.4.5", "latest": "8.2.1"}.get(tag, "7.4.5")
        stamp = _gm(t, "%d %b %Y %H:%M:%S") + f".{_ms(t)}"
        return [f"1:C {stamp} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                f"1:C {stamp} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, just started",
                f"1:C {stamp} # Warning: no config file specified, using the default config. In order to specify a "
                "config file use redis-server /path/to/redis.conf",
                f"1:M {stamp} * monotonic clock: POSIX clock_gettime",
                f"1:M {stamp} * Running mode=standalone, port=6379.",
                f"1:M {stamp} * Server initialized",
                f"1:M {stamp} * Ready to accept connections tcp"]
    if family == "kubernetes-bootcamp":
        iso = _gm(t, "%Y-%m-%dT%H:%M:%S") + f".{_ms(t)}Z"
        return [f"Kubernetes Bootcamp App Started At: {iso} | Running On:  {pod.name} ", ""]
    if family == "hello-app":
        return [f"{day} Server listening on port {container.get('port') or 8080}"]
    if pod.namespace == "kube-system":
        klog = "I" + _gm(t, "%m%d %H:%M:%S") + f".{_ms(t, 6)}       1 "
        return [klog + f'main.go:62] "Starting {container["name"]}" version="v{GKE_VERSION}"',
                klog + 'server.go:248] "Serving" address="0.0.0.0"']
    return []


def _crash_lines(family: str, t: float, name: str) -> list[str]:
    day = _gm(t, "%Y/%m/%d %H:%M:%S")
    if family == "nginx":
        message = 'host not found in upstream "backend" in /etc/nginx/conf.d/default.conf:14'
        return [f"{day} [emerg] 1#1: {message}", f"nginx: [emerg] {message}"]
    if family in ("httpd", "php"):
        conf = "/usr/local/apache2/conf/httpd.conf" if family == "httpd" else "/etc/apache2/apache2.conf"
        return [f"AH00526: Syntax error on line 52 of {conf}:",
                "Invalid command 'ProxyPass', perhaps misspelled or defined by a module not included in the server "
                "configuration"]
    if family == "redis":
        stamp = _gm(t, "%d %b %Y %H:%M:%S") + f".{_ms(t)}"
        return [f"1:M {stamp} # Can't handle RDB format version 12",
                f"1:M {stamp} # Fatal error loading the DB, check server logs. Exiting."]
    if family == "kubernetes-bootcamp":
        return ["events.js:183", "      throw er; // Unhandled 'error' event", "      ^", "",
                "Error: listen EADDRINUSE :::8080", "    at Object._errnoException (util.js:1022:11)"]
    if family == "hello-app":
        return [f"{day} listen tcp :8080: bind: address already in use"]
    return [f"{name}: fatal error: exiting with status 1"]


# --- kubectl label ----------------------------------------------------------------------------------

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
            raise kind.not_found(name)
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
