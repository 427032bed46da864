"""Traffic and metrics: offered load spreads over ready endpoints, pods burn CPU for it, and the
figures are kept as short time series for charts.

A deliberately simple model, stated so lessons can rely on it: each pod can use up to one core (or its
CPU limit); every request costs the image's ``cpu_per_rps`` millicores; a pod asked for more than it can
serve answers the excess with errors; latency grows as 1/(1-utilisation), like a busy queue.
"""

from __future__ import annotations

from .. import catalog
from ..model import Cluster
from ..rng import Rng
from ..services import endpoints, provision_load_balancers

SAMPLE_EVERY = 5  # simulated seconds between chart samples
SAMPLES_KEPT = 120  # ten minutes of history
DEFAULT_POD_CPU_CAPACITY = 1000
MAX_LATENCY_MS = 10_000.0


def reconcile(cluster: Cluster, now: float, rng: Rng) -> None:
    provision_load_balancers(cluster, now, rng)
    loaded: dict[str, float] = {}
    for service in cluster.services.values():
        if service.rps <= 0:
            if service.stats:
                service.stats = {}
            continue
        ready = endpoints(cluster, service)
        if not ready:
            service.stats = {"served": 0.0, "errors": service.rps, "latency_ms": 0.0, "endpoints": 0}
            continue
        share = service.rps / len(ready)
        served = errors = weighted_latency = 0.0
        for pod in ready:
            image = catalog.find_image(pod.containers[0]["image"])
            cost = image.cpu_per_rps if image else 0.5
            base = image.latency_ms if image else 4.0
            capacity = pod.containers[0].get("limit_cpu") or DEFAULT_POD_CPU_CAPACITY
            can_serve = capacity / cost if cost else share
            ok = min(share, can_serve)
            busy = min(0.95, ok / can_serve) if can_serve else 0.0
            served += ok
            errors += share - ok
            weighted_latency += ok * min(MAX_LATENCY_MS, base / (1 - busy))
            loaded[pod.key] = loaded.get(pod.key, 0.0) + ok
        service.stats = {"served": round(served, 3), "errors": round(errors, 3),
                         "latency_ms": round(weighted_latency / served, 1) if served else 0.0,
                         "endpoints": len(ready)}
    for key in cluster.loaded_pods:
        if key not in loaded and key in cluster.pods:
            _set_usage(cluster.pods[key], 0.0)
    for key, rps in loaded.items():
        _set_usage(cluster.pods[key], rps)
    cluster.loaded_pods = list(loaded)
    if int(now) % SAMPLE_EVERY == 0:
        _sample(cluster, now)


def _set_usage(pod, rps: float) -> None:
    image = catalog.find_image(pod.containers[0]["image"])
    idle = image.idle_cpu if image else 1
    cost = image.cpu_per_rps if image else 0.5
    pod.rps = round(rps, 3)
    pod.cpu_usage = int(idle + rps * cost) if pod.phase == "Running" else 0


def pod_cpu_usage(pod) -> int:
    """Millicores in use: idle use for a running pod that serves nothing."""
    if pod.phase != "Running" or pod.terminating:
        return 0
    if pod.cpu_usage:
        return pod.cpu_usage
    image = catalog.find_image(pod.containers[0]["image"])
    return image.idle_cpu if image else 1


def pod_memory_usage(pod) -> int:
    if pod.phase != "Running" or pod.terminating:
        return 0
    image = catalog.find_image(pod.containers[0]["image"])
    base = image.idle_memory if image else 8 * 2**20
    return base + int(pod.rps * 64 * 1024)  # a little buffer memory per request in flight


def _sample(cluster: Cluster, now: float) -> None:
    """Append one point per deployment and service to bounded series (charts read these).
    One pass over each ReplicaSet's pods: this runs every few ticks, also on 10,000-pod clusters."""
    series = cluster.metrics.setdefault("deployments", {})  # key -> [[t, desired, ready, cpu_m], ...]
    by_deployment: dict[str, list] = {}
    for rs in cluster.replicasets.values():
        by_deployment.setdefault(f"{rs.namespace}/{rs.deployment}", []).append(rs)
    for d in cluster.deployments.values():
        ready = cpu = 0
        for rs in by_deployment.get(d.key, ()):
            image = catalog.find_image(rs.template["containers"][0]["image"])
            idle = image.idle_cpu if image else 1
            for key in cluster._rs_pods.get(rs.key, ()):
                pod = cluster.pods[key]
                if pod.deleting_at is None and pod.phase == "Running":
                    ready += pod.ready
                    cpu += pod.cpu_usage or idle
        _append(series.setdefault(d.key, []), [now, d.replicas, ready, cpu])
    for key in [k for k in series if k not in cluster.deployments]:
        del series[key]
    svc_series = cluster.metrics.setdefault("services", {})  # key -> [[t, rps, served, errors, ms], ...]
    for service in cluster.services.values():
        if service.name == "kubernetes":
            continue
        st = service.stats
        _append(svc_series.setdefault(service.key, []),
                [now, service.rps, st.get("served", 0.0), st.get("errors", 0.0), st.get("latency_ms", 0.0)])
    for key in [k for k in svc_series if k not in cluster.services]:
        del svc_series[key]


def _append(points: list, point: list) -> None:
    points.append(point)
    if len(points) > SAMPLES_KEPT:
        del points[: len(points) - SAMPLES_KEPT]
