"""What the sandbox's live region shows, as plain data for ``templates/sandbox/live.html``.

The live region is re-rendered on every poll (every 2 s while the tab is visible), so everything here
is one cheap pass over a small cluster's objects: no sorting of big lists, no per-pod scans per service
beyond what :func:`orchestrator.services.endpoints` does, and capped lists (pods per node, events,
charts). The "common moves" buttons are built in :mod:`sandbox.moves`.
"""

from __future__ import annotations

import hashlib

from orchestrator import catalog
from orchestrator.controllers import deployment as deployment_controller
from orchestrator.controllers.traffic import SAMPLE_EVERY
from orchestrator.model import Cluster, Node, Pod
from orchestrator.services import endpoints
from orchestrator.timefmt import human_duration

from . import charts
from .exercises import panel as exercise_panel
from .moves import create_cluster, deployment_moves, explain_pod, node_power, pool_moves, slug, traffic_presets

PALETTE_SIZE = 8  # deployment colours: .pal-0 … .pal-7 in sandbox-nodes.css
MAX_PODS_PER_NODE = 40  # chips drawn per node; the rest become "+N"
MAX_SYSTEM_PODS_PER_NODE = 12
MAX_PENDING = 24
MAX_EVENTS = 30
MAX_CHARTED_DEPLOYMENTS = 4
MAX_CHARTED_SERVICES = 3
CHARTS_KEPT = 2000  # drawn charts kept per process (a few kB each)
_charts: dict[tuple, dict] = {}


def _drawn(kind: str, scope: tuple | None, rows: list, now: float, draw) -> dict:
    """A chart ending at the latest metrics sample rather than at this very second: the engine samples
    every SAMPLE_EVERY seconds, so between samples the picture would only slide sideways. Drawn once per
    sample in this process, as polls between samples ask for the same picture again; each caller gets its own
    top-level copy to label. ``scope`` names the series (sandbox, version, cluster, object): within one saved
    version the engine is deterministic, so the series up to a time is the same whenever it is asked for.
    Without a scope the rows themselves are the key."""
    end = now - now % SAMPLE_EVERY
    key = (kind, end, *scope) if scope else (kind, end, tuple(map(tuple, rows)))
    found = _charts.get(key)
    if found is None:
        if len(_charts) >= CHARTS_KEPT:
            _charts.clear()
        found = _charts[key] = draw(rows, now=end)
    return {name: dict(part) for name, part in found.items()} if kind == "deployment" else dict(found)
SYSTEM_NAMESPACE = "kube-system"
GIB = 2**30
MIB = 2**20

# How each pod state looks. Colour is never the only signal: every state has a glyph and, unless the
# pod is simply running and ready, a visible label; the CSS gives each its own outline too.
_STATES = {
    "running": ("●", ""),
    "notready": ("◐", "준비 안 됨"),
    "pending": ("◌", "Pending"),
    "creating": ("◔", "ContainerCreating"),
    "crash": ("⚠\ufe0e", "CrashLoopBackOff"),
    "error": ("⚠\ufe0e", "Error"),
    "image": ("⊘", "ImagePullBackOff"),
    "terminating": ("✕", "Terminating"),
    "other": ("?", ""),
}
_IMAGE_ERRORS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull")


def at_rest(sim) -> bool:
    """Nothing on screen is about to change by itself: every pod placed, running and ready, every node up,
    every deployment at its count, no traffic and no broken app. The page then polls slowly (a command still
    redraws at once); anything in motion, a dead node's countdown to eviction included, polls fast."""
    for cluster in sim.clusters.values():
        if cluster.loaded_pods or cluster.crashing:
            return False
        if any(node.ready != "True" or node.down_since is not None for node in cluster.nodes.values()):
            return False
        if any(pod.node is None or pod.terminating or not pod.ready or pod.phase != "Running"
               for pod in cluster.pods.values() if not pod.finished):
            return False
        for d in cluster.deployments.values():
            st = deployment_controller.status(cluster, d)
            if not st["ready"] == st["updated"] == st["replicas"] == d.replicas:
                return False
    return True


def live_context(sandbox, sim, outcomes=(), guide=None) -> dict:
    """Everything ``sandbox/live.html`` needs, for the cluster kubectl currently points at.

    ``sandbox`` needs only ``speed`` and ``paused`` here; ``outcomes`` are its exercises as
    :func:`sandbox.exercises.outcomes` gives them (or empty), ``guide`` their texts, if a lesson supplies them.
    """
    cluster = sim.current_cluster()
    ctx = {
        "clock": clock(sim.time, getattr(sandbox, "speed", 1), getattr(sandbox, "paused", False)),
        "contexts": contexts(sim),
        "exercises": exercise_panel(list(outcomes), guide),
        "cluster": None, "nodes": [], "pools": [], "pending": [], "pending_more": 0, "deployments": [],
        "services": [], "events": [], "pod_total": 0, "starter": None, "at_rest": at_rest(sim),
    }
    if cluster is None:
        if not sim.clusters:
            ctx["starter"] = create_cluster()
        return ctx
    palette = deployment_palette(cluster)
    now = sim.time
    pk = getattr(sandbox, "pk", None)
    scope = (pk, getattr(sandbox, "version", None), cluster.name) if pk else None
    system, workload = [], 0
    for pod in cluster.pods.values():
        if pod.namespace == SYSTEM_NAMESPACE:
            system.append(pod)
        else:
            workload += 1
    ctx.update({
        "cluster": cluster_summary(sim, cluster),
        "nodes": [node_card(cluster, node, palette) for node in _sorted_nodes(cluster)],
        "pools": pool_moves(sim, cluster),
        "deployments": deployments(cluster, palette, now, scope),
        "services": services(cluster, palette, now, scope),
        "events": recent_events(cluster, now),
        "pod_total": workload,
    })
    pending = [p for p in cluster.pods.values() if p.node is None and not p.terminating]
    ctx["pending"] = [pending_item(cluster, p, palette) for p in pending[:MAX_PENDING]]
    ctx["pending_more"] = max(0, len(pending) - MAX_PENDING)
    return ctx


def fingerprint(value) -> str:
    """A digest of presenter data (plain dicts, lists, strings and numbers, so ``repr`` says it all): the
    template's ``{% cache %}`` reuses a rendered piece of the live region while its digest stays the same."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def add_fingerprints(ctx: dict) -> dict:
    """Put an ``fp`` digest on each piece of ``ctx`` that the template caches on its own. Most polls change
    only the clock, the charts and the event ages; node cards, deployment and service cards with their
    buttons, goals and the Pending tray are then drawn from the cache."""
    for d in ctx["deployments"]:
        d["fp"] = fingerprint({k: v for k, v in d.items() if k != "charts"})
        for chart in (d["charts"] or {}).values():
            chart["fp"] = fingerprint(chart)
    for svc in ctx["services"]:
        svc["fp"] = fingerprint({k: v for k, v in svc.items() if k != "chart"})
        if svc["chart"]:
            svc["chart"]["fp"] = fingerprint(svc["chart"])
    ctx["fp"] = {
        "switcher": fingerprint(ctx["contexts"]),
        "exercises": fingerprint(ctx["exercises"]),
        "nodes": fingerprint((ctx["cluster"], ctx["nodes"], ctx["pools"], ctx["pod_total"])),
        "pending": fingerprint((ctx["pending"], ctx["pending_more"])),
        "events": fingerprint(ctx["events"]),
    }
    return ctx


# --- header: clock, contexts, exercise ------------------------------------------------------------


def clock(seconds: float, speed: int, paused: bool) -> dict:
    s = int(seconds)
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}시간 {minutes}분 {secs:02d}초" if hours else f"{minutes}분 {secs:02d}초"
    return {"seconds": s, "text": text, "speed": speed, "paused": paused,
            "state": "일시 정지" if paused else f"{speed}배속으로 진행 중"}


def contexts(sim) -> list[dict]:
    """kubeconfig contexts for the cluster switcher (shown when there are several)."""
    out = []
    for name, cluster_name in sorted(sim.contexts.items()):
        cluster = sim.clusters.get(cluster_name)
        out.append({
            "name": name, "cluster": cluster_name, "current": name == sim.current_context,
            "mode": "Autopilot" if cluster is not None and cluster.mode == "autopilot" else "Standard",
            "location": cluster.location if cluster is not None else "",
            "command": f"kubectl config use-context {name}", "id": f"ctx-{slug(name)}",
        })
    return out


def cluster_summary(sim, cluster: Cluster) -> dict:
    regional = cluster.location in catalog.REGIONS
    return {
        "name": cluster.name, "location": cluster.location, "regional": regional,
        "location_kind": "리전" if regional else "영역",
        "autopilot": cluster.mode == "autopilot", "mode": "Autopilot" if cluster.mode == "autopilot" else "Standard",
        "context": sim.context_name(cluster), "node_count": len(cluster.nodes),
        "version": cluster.master_version,
    }


# --- nodes and pods -------------------------------------------------------------------------------


def deployment_palette(cluster: Cluster) -> dict[str, str]:
    """Deployment key -> colour class, assigned by sorted key so the same names get the same colours."""
    keys = sorted(k for k, d in cluster.deployments.items() if d.namespace != SYSTEM_NAMESPACE)
    return {key: f"pal-{i % PALETTE_SIZE}" for i, key in enumerate(keys)}


def _sorted_nodes(cluster: Cluster) -> list[Node]:
    return sorted(cluster.nodes.values(), key=lambda n: (n.zone, n.pool, n.name))


def node_card(cluster: Cluster, node: Node, palette: dict[str, str]) -> dict:
    status = node.status_text
    if node.ready != "True":
        state, state_label = "notready", "응답 없음"
    elif node.unschedulable:
        state, state_label = "cordoned", "새 파드를 받지 않음"
    else:
        state, state_label = "ready", "정상"
    workload, system = [], []
    for pod in cluster.pods_on(node):
        (system if pod.namespace == SYSTEM_NAMESPACE else workload).append(pod)
    workload.sort(key=lambda p: (_deployment_key(cluster, p) or "~", p.name))  # a deployment's pods together
    down = node.down_since is not None
    autopilot = cluster.mode == "autopilot"
    return {
        "name": node.name, "id": f"node-{node.name}", "zone": node.zone, "machine_type": node.machine_type,
        "pool": node.pool, "status": status, "state": state, "state_label": state_label,
        "down": down, "managed": autopilot,
        "cpu": usage_bar(node._req_cpu, node.cpu, _cpu_text),
        "memory": usage_bar(node._req_mem, node.memory, _mem_text),
        "pods": [pod_chip(cluster, p, palette) for p in workload[:MAX_PODS_PER_NODE]],
        "pods_more": max(0, len(workload) - MAX_PODS_PER_NODE),
        "pod_count": len(workload),
        "system_pods": [pod_chip(cluster, p, palette) for p in system[:MAX_SYSTEM_PODS_PER_NODE]],
        "system_more": max(0, len(system) - MAX_SYSTEM_PODS_PER_NODE),
        "system_count": len(system),
        "move": node_power(node.name, down),
    }


def usage_bar(requested: int, allocatable: int, fmt) -> dict:
    """Requested vs allocatable, with the percentage kubectl describe node prints (rounded down) and a
    width class in steps of 5 (``w-0`` … ``w-100``) since the CSP forbids style attributes."""
    percent = int(requested * 100 / allocatable) if allocatable > 0 else 0
    shown = min(100, max(0, percent))
    step = 5 * round(shown / 5)
    if requested > 0 and step == 0:
        step = 5  # a sliver, so "some" never looks like "none"
    level = "high" if percent >= 90 else "mid" if percent >= 70 else "low"
    return {"requested": requested, "allocatable": allocatable, "percent": percent, "width": f"w-{step}",
            "level": level, "text": f"{fmt(requested)} / {fmt(allocatable)}"}


def _cpu_text(milli: int) -> str:
    if milli >= 1000 and milli % 1000 == 0:
        return str(milli // 1000)
    return f"{milli}m"


def _mem_text(size: int) -> str:
    if size >= GIB:
        return f"{size / GIB:.1f}Gi"
    return f"{round(size / MIB)}Mi"


def _deployment_key(cluster: Cluster, pod: Pod) -> str | None:
    d = cluster.deployment_of(pod)
    return d.key if d is not None else None


def pod_state(pod: Pod) -> str:
    """One of the keys of ``_STATES``: how the chip looks."""
    if pod.terminating:
        return "terminating"
    reason = pod.reason
    if reason == "CrashLoopBackOff":
        return "crash"
    if reason == "Error":
        return "error"
    if reason in _IMAGE_ERRORS:
        return "image"
    if reason == "ContainerCreating":
        return "creating"
    if pod.phase == "Pending":
        return "pending" if pod.node is None else "creating"
    if pod.phase == "Running":
        return "running" if pod.ready else "notready"
    return "other"


def pod_chip(cluster: Cluster, pod: Pod, palette: dict[str, str]) -> dict:
    state = pod_state(pod)
    glyph, label = _STATES[state]
    if state in ("image", "other"):
        label = pod.status_text  # ErrImagePull and ImagePullBackOff alternate; Succeeded, Failed...
    d = cluster.deployment_of(pod)
    owner = d.name if d is not None else (pod.owner or pod.name)
    status = pod.status_text
    ready = "준비됨" if pod.ready else "준비 안 됨"
    node = pod.node or "<none>"
    ip = pod.ip or "<none>"
    title = (f"{pod.name}\n상태: {status} ({ready})\n재시작: {pod.restarts}회\n노드: {node}\nIP: {ip}")
    aria = f"파드 {pod.name}, {status}, {ready}, 재시작 {pod.restarts}회, 노드 {node}, IP {ip}"
    return {
        "name": pod.name, "id": f"pod-{pod.namespace}-{pod.name}", "namespace": pod.namespace,
        "owner": owner, "short": _short_owner(owner), "suffix": pod.name.rsplit("-", 1)[-1],
        "state": state, "glyph": glyph, "label": label, "status": status, "ready": pod.ready,
        "restarts": pod.restarts, "node": node, "ip": ip,
        "palette": palette.get(d.key, "pal-none") if d is not None else "pal-none",
        "title": title, "aria": aria,
    }


def _short_owner(name: str) -> str:
    return name if len(name) <= 10 else name[:9] + "…"


def pending_item(cluster: Cluster, pod: Pod, palette: dict[str, str]) -> dict:
    chip = pod_chip(cluster, pod, palette)
    chip["reason"] = pod.unschedulable or "스케줄러가 아직 노드를 고르는 중입니다."
    chip["explain"] = explain_pod(pod.name)
    return chip


def target_picture(sim) -> dict | None:
    """An exercise's 목표 모습: the cluster its solution leaves, drawn small. Nodes are numbered, not named, and
    a pod is a dot in its deployment's colour (``legend`` names them): another run names pods differently and
    may place them on other nodes. ``summary`` says the same in words for screen readers."""
    cluster = sim.current_cluster()
    if cluster is None:
        return None
    palette = deployment_palette(cluster)
    nodes, counts = [], {}
    for number, node in enumerate(_sorted_nodes(cluster), start=1):
        pods = sorted((p for p in cluster.pods_on(node) if p.namespace != SYSTEM_NAMESPACE and not p.terminating),
                      key=lambda p: (_deployment_key(cluster, p) or "~", p.name))
        dots = []
        for pod in pods:
            d = cluster.deployment_of(pod)
            colour = palette.get(d.key, "pal-none") if d is not None else "pal-none"
            owner = (d.name if d is not None else (pod.owner or pod.name), colour)
            total, ready = counts.get(owner, (0, 0))
            counts[owner] = (total + 1, ready + pod.ready)
            if len(dots) < MAX_PODS_PER_NODE:
                state = pod_state(pod)
                dots.append({"state": state, "glyph": _STATES[state][0], "palette": colour})
        nodes.append({"label": f"노드 {number}", "ready": node.ready == "True", "pods": dots,
                      "more": max(0, len(pods) - MAX_PODS_PER_NODE)})
    pending = sum(1 for p in cluster.pods.values()
                  if p.node is None and not p.terminating and p.namespace != SYSTEM_NAMESPACE)
    legend = [{"name": name, "palette": colour, "total": total, "ready": ready}
              for (name, colour), (total, ready) in sorted(counts.items())]
    down = sum(1 for node in nodes if not node["ready"])
    words = [f"노드 {len(nodes)}개" + (f"(그중 {down}개 응답 없음)" if down else "")]
    words += [f"{d['name']} 파드 {d['total']}개 중 {d['ready']}개 준비" for d in legend]
    if pending:
        words.append(f"배치되지 못한 파드 {pending}개")
    return {"nodes": nodes, "legend": legend, "pending": pending, "summary": ", ".join(words) + "."}


# --- workloads ------------------------------------------------------------------------------------


def deployments(cluster: Cluster, palette: dict[str, str], now: float, scope: tuple | None = None) -> list[dict]:
    series = cluster.metrics.get("deployments", {})
    hpas = {(h.namespace, h.target): h for h in cluster.hpas.values()}
    out = []
    for key in sorted(palette):
        d = cluster.deployments[key]
        st = deployment_controller.status(cluster, d)
        container = d.template["containers"][0]
        image = container["image"]
        key_slug = slug(key)
        crashing = key in cluster.crashing
        moves = deployment_moves(cluster, d, crashing)
        hpa = hpas.get((d.namespace, d.name))
        entry = {
            "name": d.name, "namespace": d.namespace, "key": key, "id": f"deploy-{key_slug}",
            "palette": palette[key], "desired": d.replicas, "ready": st["ready"], "updated": st["updated"],
            "total": st["replicas"], "image": image, "container": container["name"], "crashing": crashing,
            "rollout": _rollout_state(d, st), "hpa": _hpa(hpa) if hpa else None,
            "charts": None,
            # Breaking the app sits behind a "장애 주입" menu, away from the everyday moves.
            "moves": [m for m in moves if m["kind"] != "danger"],
            "faults": [m for m in moves if m["kind"] == "danger"],
        }
        if len(out) < MAX_CHARTED_DEPLOYMENTS:
            rows = series.get(key, [])
            entry["charts"] = found = _drawn("deployment", scope and (*scope, key), rows, now,
                                             charts.deployment_charts)
            found["replicas"].update(id=f"chart-{key_slug}-replicas", title=f"{d.name} 레플리카")
            found["cpu"].update(id=f"chart-{key_slug}-cpu", title=f"{d.name} CPU 사용량(밀리코어)")
        out.append(entry)
    return out


def _rollout_state(d, st: dict) -> dict:
    if d.progress_reason == "ProgressDeadlineExceeded":
        return {"state": "stuck", "text": "롤아웃이 멈췄습니다 (ProgressDeadlineExceeded)"}
    if d.paused:
        return {"state": "paused", "text": "롤아웃 일시 중지됨"}
    if st["updated"] < d.replicas or st["replicas"] > d.replicas:
        return {"state": "rolling", "text": f"롤아웃 진행 중: 새 버전 {st['updated']}/{d.replicas}"}
    if st["ready"] < d.replicas:
        return {"state": "waiting", "text": "파드가 준비되기를 기다리는 중입니다"}
    return {"state": "ok", "text": "모든 레플리카 준비됨"}


def _hpa(hpa) -> dict:
    current = "<unknown>" if hpa.current_utilization is None else f"{hpa.current_utilization}%"
    return {"name": hpa.name, "min": hpa.min_replicas, "max": hpa.max_replicas, "target": hpa.cpu_target,
            "current": current, "desired": hpa.desired_replicas}


# --- services -------------------------------------------------------------------------------------


def services(cluster: Cluster, palette: dict[str, str], now: float, scope: tuple | None = None) -> list[dict]:
    series = cluster.metrics.get("services", {})
    targets = [(cluster.deployments[k], cls) for k, cls in palette.items()]
    out = []
    for key in sorted(cluster.services):
        svc = cluster.services[key]
        if svc.name == "kubernetes" and svc.namespace == "default":
            continue
        if svc.type == "LoadBalancer":
            external = svc.external_ip or "<pending>"
        else:
            external = "<none>"
        ports = ",".join(f"{p['port']}:{p['node_port']}/{p.get('protocol', 'TCP')}" if p.get("node_port")
                         else f"{p['port']}/{p.get('protocol', 'TCP')}" for p in svc.ports)
        stats = svc.stats or {}
        served, errors = stats.get("served", 0.0), stats.get("errors", 0.0)
        error_rate = round(100 * errors / svc.rps) if svc.rps else 0
        target, colour = next(((d, cls) for d, cls in targets if svc.selector and all(
            d.template.get("labels", {}).get(k) == v for k, v in svc.selector.items())), (None, "pal-none"))
        key_slug = slug(key)
        entry = {
            "name": svc.name, "namespace": svc.namespace, "id": f"svc-{key_slug}", "type": svc.type,
            "cluster_ip": svc.cluster_ip, "external_ip": external, "ports": ports,
            "selector": ",".join(f"{k}={v}" for k, v in svc.selector.items()) or "<none>",
            "endpoints": len(endpoints(cluster, svc)), "palette": colour,
            "rps": svc.rps, "rps_text": charts.format_number(svc.rps), "served": charts.format_number(served),
            "errors": charts.format_number(errors), "error_rate": error_rate,
            "latency": charts.format_number(stats.get("latency_ms", 0.0)),
            "traffic": None, "presets": [], "chart": None,
        }
        if svc.namespace == "default":  # sim traffic only knows the default namespace
            top = slider_max(target, svc.rps)
            entry["traffic"] = {"service": svc.name, "rps": round(svc.rps), "max": top, "step": max(1, top // 100),
                                "input_id": f"rps-{key_slug}", "submit_id": f"mv-traffic-{key_slug}"}
            entry["presets"] = traffic_presets(svc.name, key_slug)
        if len([s for s in out if s["chart"]]) < MAX_CHARTED_SERVICES:
            entry["chart"] = _drawn("service", scope and (*scope, key), series.get(key, []), now, charts.service_chart)
            entry["chart"].update(id=f"chart-svc-{key_slug}", title=f"{svc.name} 트래픽(초당 요청 수)")
        out.append(entry)
    return out


def slider_max(target, rps: float) -> int:
    """The traffic slider's top: twice the load at which the pods behind the service use all the CPU they
    requested (a full core when they request none), so what an HPA reacts to sits mid-slider."""
    capacity = 1000
    if target is not None:
        container = target.template["containers"][0]
        image = catalog.find_image(container["image"])
        cpu = container.get("cpu") or container.get("limit_cpu") or 1000
        capacity = cpu / (image.cpu_per_rps if image else 0.5) * max(1, target.replicas)
    return int(charts.nice_ceiling(max(100, 2 * capacity, rps)))


# --- events -----------------------------------------------------------------------------


def recent_events(cluster: Cluster, now: float) -> list[dict]:
    """The newest events first, like ``kubectl get events --sort-by=.lastTimestamp`` read bottom-up.

    Events are appended in order and a repeat only bumps one of the last few, so the tail of the list
    holds the newest ones: sorting that tail is enough, and cheap."""
    tail = cluster.events[-(MAX_EVENTS * 2):]
    # Reversed first, so that among events seen at the same second the later-recorded one comes first.
    newest = sorted(reversed(tail), key=lambda e: e.last, reverse=True)[:MAX_EVENTS]
    out = []
    for e in newest:
        obj = f"{e.kind.lower()}/{e.name}"
        out.append({"last_seen": human_duration(now - e.last), "type": e.type, "warning": e.type == "Warning",
                    "reason": e.reason, "object": obj, "namespace": e.namespace, "message": e.message,
                    "count": e.count})
    return out
