"""``kubectl logs``: synthetic but plausible container logs, the same every time for the same state."""

from __future__ import annotations

import re
import time

from .. import catalog, probes
from ..model import Pod, matches
from ..naming import stable_hash
from ..timefmt import EPOCH
from ..versions import GKE_VERSION, KERNEL_VERSION
from .parse import CommandError, Flag, parse_flags
from .resources import lookup, not_found
from .selectors import parse_selector

_LOGS_USAGE = ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
               "POD or TYPE/NAME is a required argument for the logs command\n"
               "See 'kubectl logs -h' for help and examples")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$")

LOG_CAP = 200  # lines kept per container: enough to read, small enough for the console
TRAFFIC_WINDOW = 60  # seconds of access log written for the current request rate


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
            raise not_found(kind, name)
        return pod
    sources = {"deployments": cluster.deployments, "replicasets": cluster.replicasets, "services": cluster.services,
               "jobs": cluster.jobs}
    if kind.plural not in sources:
        raise CommandError(f"kubectl logs {kind.singular}/NAME는 지원하지 않습니다. 파드, 디플로이먼트, "
                           "레플리카셋, 서비스, 잡의 로그를 볼 수 있습니다.")
    owner = sources[kind.plural].get(f"{namespace}/{name}")
    if owner is None:
        raise not_found(kind, name)
    selector = {"job-name": owner.name} if kind.plural == "jobs" else owner.selector
    pods = [p for _, p in sorted(cluster.pods.items())
            if p.namespace == namespace and selector and matches(selector, p.labels)]
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
    if pod.finished and pod.started_at is not None:  # a Job's pod: the whole run, up to its exit
        return _run(cluster, pod, container, pod.started_at, pod.finished_at or now, False)
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
    seed = stable_hash(pod.uid, name, start)
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
            ua = _agent(family, stable_hash(pod.uid, t))
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
    node = nodes[stable_hash("client", t) % len(nodes)]
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
    return _gm(t, "%Y-%m-%dT%H:%M:%S") + f".{_ms(t, 6)}{stable_hash(t) % 1000:03d}Z"


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
    if family == "web":  # gunicorn's default access_log_format
        return f'{client} - - [{stamp}] "GET {path} HTTP/1.1" {status} {16 if status == 200 else 25} "-" "{agent}"'
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
    if family == "web":
        from .logs_course import course_startup

        return course_startup(container, t)
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
