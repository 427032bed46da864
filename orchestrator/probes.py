"""Container probes with Kubernetes' defaults, and how their failures read in events."""

from __future__ import annotations

DEFAULTS = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1,
            "failureThreshold": 3}
CRASH_AFTER_SECONDS = 2  # a broken app without a liveness probe exits this soon after starting
BACKOFF_START, BACKOFF_MAX, BACKOFF_RESET = 10, 300, 600
BATCH_RUN_SECONDS = 8  # a Job's container (a migration, a report) runs this long, then exits with status 0
CONFIG_RETRY_SECONDS = 10  # the kubelet's next try after CreateContainerConfigError


def probe(container: dict, kind: str) -> dict | None:
    """The container's ``liveness``/``readiness`` probe with defaults filled in, or None."""
    spec = container.get(kind)
    if not spec:
        return None
    return {**DEFAULTS, **spec}


def failure_message(spec: dict, kind: str, ip: str | None) -> str:
    label = "Liveness" if kind == "liveness" else "Readiness"
    if spec.get("httpGet"):
        return f"{label} probe failed: HTTP probe failed with statuscode: 500"
    port = (spec.get("tcpSocket") or {}).get("port", 80)
    return f"{label} probe failed: dial tcp {ip or '<none>'}:{port}: connect: connection refused"


def describe(spec: dict) -> str:
    """kubectl describe's one-line probe summary."""
    if spec.get("httpGet"):
        get = spec["httpGet"]
        action = f"http-get http://:{get.get('port', 80)}{get.get('path', '/')}"
    elif spec.get("tcpSocket"):
        action = f"tcp-socket :{spec['tcpSocket'].get('port', 80)}"
    else:
        action = "exec [true]"
    return (f"{action} delay={spec['initialDelaySeconds']}s timeout={spec['timeoutSeconds']}s "
            f"period={spec['periodSeconds']}s #success={spec['successThreshold']} "
            f"#failure={spec['failureThreshold']}")
