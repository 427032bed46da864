"""Engine benchmark: how fast the simulated GKE project schedules, ticks and snapshots.

Run from the repository root:  .venv/bin/python bench/engine.py   (about a minute on 2 cores)

Prints one figure per line with its unit (and the issue's target with PASS/MISS where there is one),
then a final line ``JSON {...}`` for machines. It reports, it does not gate: the exit status is 0
whichever way the targets go, and non-zero only if the engine crashes or a sanity check fails.

What is timed (all with time.perf_counter, median of --repeat runs):

* schedule     ``orchestrator.scheduler.schedule(cluster, now, rng, images)`` alone, called once on a
               cluster of 1,000 e2-standard-8 nodes (us-central1, 250 per zone x 4 zones) whose queue
               holds the 10,000 pending pods that ``kubectl create deployment`` just made. Pod creation
               (the ReplicaSet controller, run by the command) is timed separately and not included.
               Every repeat starts from the same restored snapshot, so all repeats do identical work.
* first tick   ``sim.advance(1)`` from the same state: every controller, scheduling included.
* steady tick  ``sim.advance(60)`` / 60 once all 10,000 pods are Running and the kubelet queue is empty,
               and the slowest of 60 single ``sim.advance(1)`` calls (periodic work shows up there).
* snapshot     ``sim.to_dict()``, ``Simulation.from_dict()``, ``json.dumps``/``json.loads`` of it.
* traffic      50 e2-standard-4 nodes, 20 deployments behind LoadBalancer services with traffic and an HPA
               each: ``sim.advance(60)`` / 60 while the HPAs scale up, then in the steady state.
* learner      a 3-node e2-medium cluster with 3 deployments: ``sim.run("kubectl get pods -o wide")``
               and ``sim.advance(60)`` / 60.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestrator import scheduler  # noqa: E402
from orchestrator.catalog import ImageSizes  # noqa: E402
from orchestrator.limits import Limits  # noqa: E402
from orchestrator.simulation import Simulation  # noqa: E402

TARGET_PODS_PER_SECOND = 5_000
TARGET_TICK_MS = 20.0

BIG = {
    "clusters": [{
        "name": "big", "location": "us-central1",  # 4 zones
        "node_pools": [{"name": "default-pool", "machine_type": "e2-standard-8", "nodes": 250}],
    }],
}
LEARNER = {
    "clusters": [{
        "name": "demo", "location": "asia-northeast3-a",
        "node_pools": [{"name": "default-pool", "machine_type": "e2-medium", "nodes": 3}],
    }],
    "commands": [
        "kubectl create deployment web --image=nginx:1.27 --replicas=3",
        "kubectl create deployment api --image=nginx:1.27 --replicas=2",
        "kubectl create deployment cache --image=redis:7.4 --replicas=1",
    ],
    "advance": 60,
}

results: dict[str, float | int | str | bool] = {}


def clock(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls of fn()."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def line(label: str, value: float, unit: str, key: str, target: str = "", ok: bool | None = None) -> None:
    results[key] = round(value, 3) if unit != "bytes" else int(value)
    number = f"{value:,.0f}" if unit == "bytes" else f"{value:,.3f}"
    text = f"{label:<62} {number:>14} {unit}"
    if target:
        text += f"   (target {target}: {'PASS' if ok else 'MISS'})"
        results[key + "_pass"] = bool(ok)
    print(text, flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"SANITY CHECK FAILED: {message}", flush=True)
        sys.exit(1)


def placement_digest(sim: Simulation) -> str:
    cluster = sim.clusters["big"]
    text = "\n".join(f"{k} {p.node}" for k, p in sorted(cluster.pods.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def queued(deployments: list[tuple[str, int]]) -> tuple[dict, float]:
    """A snapshot of the big cluster with the deployments created and every pod still pending, and how
    long creating them took (the ReplicaSet controller's share, not scheduling)."""
    sim = Simulation.from_scenario(BIG, limits=Limits.unlimited())
    check(len(sim.clusters["big"].nodes) == 1000, "the big cluster should have 1,000 nodes")
    start = time.perf_counter()
    for name, replicas in deployments:
        result = sim.execute(f"kubectl create deployment {name} --image=nginx:1.27 --replicas={replicas}")
        check(result.ok, f"kubectl create deployment {name}: {result.text}")
    created = time.perf_counter() - start
    return sim.to_dict(), created


def bench_scheduling(key: str, title: str, deployments: list[tuple[str, int]], repeat: int) -> Simulation:
    total = sum(r for _, r in deployments)
    snapshot, created = queued(deployments)
    line(f"{title}: create {total:,} pods (kubectl create, settle)", total / created, "pods/s",
         f"{key}_create_pods_per_s")
    times, digests, sim = [], set(), None
    for _ in range(repeat):
        sim = Simulation.from_dict(snapshot)
        cluster = sim.clusters["big"]
        pending = [p for p in cluster.pods.values() if p.node is None]
        check(len(pending) == total, f"expected {total} pending pods, found {len(pending)}")
        start = time.perf_counter()
        scheduler.schedule(cluster, sim.time, sim.rng, ImageSizes())
        times.append(time.perf_counter() - start)
        unbound = [p for p in cluster.pods.values() if p.node is None]
        check(not unbound, f"{len(unbound)} pods got no node, e.g. {unbound[0].key}: {unbound[0].unschedulable}"
              if unbound else "")
        digests.add(placement_digest(sim))
    check(len(digests) == 1, "the same snapshot scheduled differently on different runs (not deterministic)")
    rate = total / statistics.median(times)
    line(f"{title}: scheduler.schedule() {total:,} pods / 1,000 nodes", rate, "pods/s", f"{key}_pods_per_s",
         f">= {TARGET_PODS_PER_SECOND:,} pods/s", rate >= TARGET_PODS_PER_SECOND)
    fresh = [Simulation.from_dict(snapshot) for _ in range(repeat)]
    tick = statistics.median([clock(lambda s=s: s.advance(1), 1) for s in fresh])
    check(all(p.node is not None for p in fresh[0].clusters["big"].pods.values()), "advance(1) left pods unbound")
    line(f"{title}: first sim.advance(1), scheduling included", tick * 1000, "ms", f"{key}_first_tick_ms")
    return sim


def bench_steady(sim: Simulation, repeat: int) -> None:
    cluster = sim.clusters["big"]
    warm = clock(lambda: sim.advance(60), 1)
    line("big: sim.advance(60) right after scheduling (pulls, starts)", warm * 1000 / 60, "ms/sim-s",
         "big_warmup_ms_per_sim_s")
    not_running = [p for p in cluster.pods.values() if p.phase != "Running" or not p.ready]
    check(not not_running, f"{len(not_running)} pods not Running+Ready after 60 s")
    per_second = clock(lambda: sim.advance(60), repeat) / 60
    line("big: steady state, sim.advance(60) / 60 (14,000 pods)", per_second * 1000, "ms/sim-s",
         "big_steady_ms_per_sim_s", f"<= {TARGET_TICK_MS:g} ms", per_second * 1000 <= TARGET_TICK_MS)
    # The average hides periodic work (e.g. metrics sampled every few simulated seconds): the slowest
    # single tick of a simulated minute, each one timed on its own with sim.advance(1).
    worst = max(clock(lambda: sim.advance(1), 1) for _ in range(60))
    line("big: steady state, slowest single sim.advance(1) of 60", worst * 1000, "ms", "big_worst_tick_ms",
         f"<= {TARGET_TICK_MS:g} ms", worst * 1000 <= TARGET_TICK_MS)


def bench_snapshot(sim: Simulation, repeat: int) -> None:
    data = sim.to_dict()
    text = json.dumps(data)
    line("big: snapshot size, json.dumps(sim.to_dict())", len(text.encode()), "bytes", "snapshot_bytes")
    line("big: sim.to_dict()", clock(sim.to_dict, repeat) * 1000, "ms", "to_dict_ms")
    line("big: Simulation.from_dict()", clock(lambda: Simulation.from_dict(data), repeat) * 1000, "ms",
         "from_dict_ms")
    line("big: json.dumps(snapshot)", clock(lambda: json.dumps(data), repeat) * 1000, "ms", "json_dumps_ms")
    line("big: json.loads(snapshot)", clock(lambda: json.loads(text), repeat) * 1000, "ms", "json_loads_ms")
    restored = Simulation.from_dict(json.loads(text))
    check(json.dumps(restored.to_dict()) == text, "a restored snapshot does not serialise identically")


def bench_learner(repeat: int) -> None:
    sim = Simulation.from_scenario(LEARNER)
    check(sim.run("kubectl get pods").count("Running") == 6, "the learner cluster should run 6 pods")
    calls = 200
    per_run = clock(lambda: [sim.run("kubectl get pods -o wide") for _ in range(calls)], repeat) / calls
    line("learner (3 nodes, 3 deployments): kubectl get pods -o wide", per_run * 1000, "ms/run",
         "learner_get_pods_ms")
    per_second = clock(lambda: sim.advance(60), repeat) / 60
    line("learner: steady state, sim.advance(60) / 60", per_second * 1000, "ms/sim-s", "learner_ms_per_sim_s")


TRAFFIC_DEPLOYMENTS = 20
TRAFFIC = {
    "clusters": [{
        "name": "shop", "location": "asia-northeast3-a",
        "node_pools": [{"name": "default-pool", "machine_type": "e2-standard-4", "nodes": 50}],
    }],
    "commands": [line for i in range(TRAFFIC_DEPLOYMENTS) for line in (
        f"kubectl create deployment app{i} --image=registry.k8s.io/hpa-example --replicas=2",
        f"kubectl expose deployment app{i} --type=LoadBalancer --port=80",
        f"kubectl autoscale deployment app{i} --cpu=50% --min=2 --max=10",
    )],
    "advance": 60,
}


def bench_traffic(repeat: int) -> None:
    sim = Simulation.from_scenario(TRAFFIC)
    cluster = sim.clusters["shop"]
    check(len(cluster.nodes) == 50, "the traffic cluster should have 50 nodes")
    for i in range(TRAFFIC_DEPLOYMENTS):
        result = sim.execute(f"sim traffic app{i} {5 + 3 * i}")
        check(result.ok, f"sim traffic app{i}: {result.text}")
    snapshot = sim.to_dict()
    runs = [Simulation.from_dict(snapshot) for _ in range(repeat)]
    per_second = statistics.median([clock(lambda s=s: s.advance(60), 1) for s in runs]) / 60
    scaled = sum(h.scale_ups for h in runs[0].clusters["shop"].hpas.values())
    check(scaled > 0, "no HPA scaled up under traffic")
    line(f"traffic (50 nodes, {TRAFFIC_DEPLOYMENTS} LB+HPA): advance(60)/60 while scaling",
         per_second * 1000, "ms/sim-s", "traffic_scaling_ms_per_sim_s")
    sim = runs[0]
    sim.advance(240)
    per_second = clock(lambda: sim.advance(60), repeat) / 60
    line("traffic: steady state, sim.advance(60) / 60", per_second * 1000, "ms/sim-s", "traffic_steady_ms_per_sim_s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--only", choices=["one", "ten", "traffic", "learner"], help="run one part (for profiling)")
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    started = time.perf_counter()
    print(f"engine benchmark: Python {sys.version.split()[0]}, median of {repeat} run(s)", flush=True)
    if args.only in (None, "one"):
        sim = bench_scheduling("one", "1 x 10,000", [("web", 10_000)], repeat)
        bench_steady(sim, repeat)
        bench_snapshot(sim, repeat)
    if args.only in (None, "ten"):
        bench_scheduling("ten", "10 x 1,000", [(f"web{i}", 1_000) for i in range(10)], repeat)
    if args.only in (None, "traffic"):
        bench_traffic(repeat)
    if args.only in (None, "learner"):
        bench_learner(repeat)
    results["wall_s"] = round(time.perf_counter() - started, 1)
    print(f"{'total benchmark wall time':<62} {results['wall_s']:>14,.1f} s")
    print("JSON " + json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
