"""Load and faults: N simulated learners against gunicorn on PostgreSQL, on loopback, bounded in time.

Each learner opens the free-play page, starts a sandbox, creates a deployment, then polls its sandbox at the
pace the served live region asks for (its data-poll-ms, as static/js/sandbox.js reads it: fast while the
cluster moves, slow at rest), revalidating with the ETag and accepting gzip as a browser does, and sends a
console command every 7–13 s, until the run ends. Reported per run: requests per second, latency p50/p95/p99
for polls and commands, bytes per poll on the wire, and every error.

    .venv/bin/python bench/load.py                          # 50, 100 and 200 learners, 60 s each
    .venv/bin/python bench/load.py --learners 200 --seconds 30
    .venv/bin/python bench/load.py --fault db-restart       # PostgreSQL restarted mid-run (also: worker-kill,
                                                            # server-restart, all)

A fault run checks afterwards, in the database, that every sandbox still loads and that every command the
server acknowledged (200) is in its command log: "lost" counts acknowledged commands missing from the log.
Needs Debian's postgresql package (a throwaway server is started in a temporary directory, durable: fsync on).
See bench/README.md for the figures and the machine they came from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.learner_client import LearnerClient  # noqa: E402
from devtools.throwaway_postgres import ThrowawayPostgres  # noqa: E402
from devtools.web_server import WebServer  # noqa: E402

COMMAND_EVERY = (7.0, 13.0)
COMMANDS = [
    "kubectl get pods",
    "kubectl get pods -o wide",
    "kubectl get deployments",
    "kubectl describe deployment web",
    "kubectl get nodes",
    "kubectl get events",
    "kubectl scale deployment web --replicas={n}",
    "sim advance 10",
    "kubectl get svc",
    "kubectl rollout status deployment/web",
]


@dataclass
class Sample:
    at: float  # seconds since the run started
    kind: str  # start | poll | command
    status: int  # HTTP status, or 0 when the connection failed
    seconds: float
    detail: str = ""
    retried: bool = False
    wire_bytes: int = 0


@dataclass
class Learner:
    client: LearnerClient
    acknowledged: list[str] = field(default_factory=list)  # commands the server answered 200


class Run:
    def __init__(self, url: str, learners: int, seconds: float, seed: int = 7):
        self.url = url
        self.count = learners
        self.seconds = seconds
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.learners: list[Learner] = []
        self.random = random.Random(seed)
        self.started = 0.0

    def record(self, kind: str, call) -> object:
        at = time.monotonic() - self.started
        try:
            reply = call()
        except Exception as exc:  # a refused or reset connection is an error to count, not a crash
            with self.lock:
                self.samples.append(Sample(at, kind, 0, time.monotonic() - self.started - at, type(exc).__name__))
            return None
        with self.lock:
            detail = "" if reply.status < 400 else reply.body[:80].replace("\n", " ")
            self.samples.append(Sample(at, kind, reply.status, reply.seconds, detail, reply.retried, reply.wire_bytes))
        return reply

    def learner(self, index: int, ramp: float, stop_at: float) -> None:
        rng = random.Random(index)
        time.sleep(ramp * index / self.count)  # arrivals spread over the ramp, as a class opens the page
        client = LearnerClient(self.url)
        me = Learner(client)
        with self.lock:
            self.learners.append(me)
        if self.record("start", lambda: client.start_sandbox("three-nodes")) is None or not client.sandbox:
            return
        first = "kubectl create deployment web --image=nginx:1.27 --replicas=2"
        reply = self.record("command", lambda: client.command(first))
        if reply is not None and reply.status == 200:
            me.acknowledged.append(first)
        next_poll = time.monotonic() + rng.uniform(0, client.poll_seconds)
        next_command = time.monotonic() + rng.uniform(*COMMAND_EVERY)
        while True:
            wake = min(next_poll, next_command)
            if wake >= stop_at:
                break
            time.sleep(max(0.0, wake - time.monotonic()))
            if next_poll <= next_command:
                self.record("poll", client.poll)
                next_poll += client.poll_seconds
            else:
                text = rng.choice(COMMANDS).format(n=rng.randint(1, 6))
                reply = self.record("command", lambda text=text: client.command(text))
                if reply is not None and reply.status == 200:
                    me.acknowledged.append(text)
                next_command += rng.uniform(*COMMAND_EVERY)
        client.close()

    def go(self, ramp: float, fault=None, fault_at: float = 0.0) -> None:
        self.started = time.monotonic()
        stop_at = self.started + ramp + self.seconds
        threads = [threading.Thread(target=self.learner, args=(i, ramp, stop_at), daemon=True)
                   for i in range(self.count)]
        for t in threads:
            t.start()
        if fault:
            time.sleep(max(0.0, self.started + ramp + fault_at - time.monotonic()))
            fault()
        for t in threads:
            t.join(timeout=self.seconds + ramp + 120)

    def report(self, ramp: float) -> dict:
        steady = [s for s in self.samples if s.at >= ramp]
        out = {"learners": self.count, "seconds": self.seconds, "requests": len(steady),
               "rps": round(len(steady) / self.seconds, 1)}
        for kind in ("poll", "command", "start"):
            chosen = [s for s in (steady if kind != "start" else self.samples) if s.kind == kind]
            ok = [s.seconds * 1000 for s in chosen if 0 < s.status < 400]
            errors = Counter(s.status if s.status else s.detail for s in chosen if not 0 < s.status < 400)
            out[kind] = {"count": len(chosen), "errors": dict(errors), **percentiles(ok)}
        latencies = [s.seconds * 1000 for s in steady if 0 < s.status < 400]
        out["all"] = percentiles(latencies)
        polls = [s for s in steady if s.kind == "poll" and 0 < s.status < 400]
        out["poll_bytes"] = round(statistics.fmean(s.wire_bytes for s in polls)) if polls else None
        out["poll_304"] = sum(1 for s in polls if s.status == 304)
        out["errors"] = sum(1 for s in self.samples if not 0 < s.status < 400)
        out["retried"] = sum(1 for s in self.samples if s.retried)
        return out


def percentiles(values: list[float]) -> dict:
    if len(values) < 2:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1)}


def verify(database_url: str, learners: list[Learner]) -> dict:
    """After a run: each acknowledged command is in its sandbox's log, and each sandbox's state still loads."""
    import psycopg

    lost = 0
    unacknowledged = 0
    unloadable = 0
    with psycopg.connect(database_url) as conn:
        for learner in learners:
            if not learner.client.sandbox:
                continue
            logged = [row[0] for row in conn.execute(
                "SELECT text FROM sandbox_commandlog WHERE sandbox_id = %s ORDER BY id", (learner.client.sandbox,))]
            remaining = Counter(logged)
            for text in learner.acknowledged:
                if remaining[text] > 0:
                    remaining[text] -= 1
                else:
                    lost += 1
            # In the log without a 200: applied although the learner saw an error (or a retry applied it twice).
            unacknowledged += sum(remaining.values())
            row = conn.execute("SELECT state FROM sandbox_sandbox WHERE id = %s", (learner.client.sandbox,)).fetchone()
            state = row[0] if row else None
            code = "import sys; from orchestrator import Simulation; Simulation.from_json(sys.stdin.read())"
            if state is None or subprocess.run([sys.executable, "-c", code], input=state, text=True,
                                               cwd=ROOT, capture_output=True).returncode != 0:
                unloadable += 1
    acknowledged = sum(len(learner.acknowledged) for learner in learners)
    return {"acknowledged_commands": acknowledged, "lost": lost, "logged_without_200": unacknowledged,
            "sandboxes": len(learners), "unloadable": unloadable}


def print_run(title: str, result: dict) -> None:
    print(f"\n== {title}")
    print(f"  {result['learners']} learners, {result['seconds']:.0f} s: {result['requests']} requests, "
          f"{result['rps']} req/s, errors {result['errors']}")
    for kind in ("poll", "command", "start"):
        r = result[kind]
        print(f"  {kind:<8} n={r['count']:<6} p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  p99 {r['p99_ms']} ms"
              f"  errors {r['errors'] or 0}")
    a = result["all"]
    print(f"  all      p50 {a['p50_ms']} ms  p95 {a['p95_ms']} ms  p99 {a['p99_ms']} ms")
    print(f"  polls: {result['poll_bytes']} bytes each on the wire on average, {result['poll_304']} answered 304")
    if "server_cpu_s" in result:
        print(f"  CPU after the ramp: web workers {result['server_cpu_s']} s ({result['server_cpu_ms_per_request']} ms "
              f"per request), load generator {result['client_cpu_s']} s")


def timeline(samples: list[Sample], start: float, end: float) -> str:
    """Per second around the fault: requests answered / failed (5xx or no connection)."""
    rows = []
    for second in range(int(start), int(end) + 1):
        inside = [s for s in samples if second <= s.at < second + 1]
        bad = Counter(s.status or s.detail for s in inside if not 0 < s.status < 400)
        rows.append(f"    t={second:>3}s ok {sum(1 for s in inside if 0 < s.status < 400):>3}"
                    + (f"  failed {dict(bad)}" if bad else ""))
    return "\n".join(rows)


def recovery_seconds(samples: list[Sample], fault_time: float) -> float | None:
    """From the fault to the last failed request (None if nothing failed)."""
    failed = [s.at + s.seconds for s in samples if s.at >= fault_time - 1 and not 0 < s.status < 400]
    return round(max(failed) - fault_time, 2) if failed else None


def run_fault(kind: str, pg: ThrowawayPostgres, args, key: str) -> dict:
    server = WebServer(pg.url, workers=args.workers, threads=args.threads, secret_key=key).start()
    box = {"server": server}
    fault_at = args.seconds / 3

    def inject():
        box["at"] = time.monotonic() - run.started
        if kind == "db-restart":
            pg.stop("fast")  # what a managed database's restart or failover looks like to the clients
            time.sleep(args.outage)
            pg.start()
        elif kind == "worker-kill":
            box["killed"] = server.kill_a_worker()
        elif kind == "server-restart":
            server.stop()  # SIGTERM: requests in flight finish (graceful_timeout), then the port closes
            box["server"] = WebServer(pg.url, workers=args.workers, threads=args.threads, secret_key=key)
            box["server"].port, box["server"].url = server.port, server.url
            box["server"].env["BIND"] = server.env["BIND"]
            restarted = time.monotonic()
            box["server"].start()
            box["back_after"] = round(time.monotonic() - restarted, 2)
        box["done"] = time.monotonic() - run.started

    run = Run(server.url, args.fault_learners, args.seconds)
    try:
        run.go(args.ramp, inject, fault_at)
    finally:
        box["server"].stop()
    result = run.report(args.ramp)
    result["fault"] = kind
    result["fault_at_s"] = round(box["at"], 2)
    result["fault_done_s"] = round(box["done"], 2)
    result["recovered_after_s"] = recovery_seconds(run.samples, box["at"])
    result.update(verify(pg.url, run.learners))
    result["statuses_during_fault"] = dict(Counter(
        s.status or s.detail for s in run.samples if box["at"] - 1 <= s.at <= box["done"] + 5))
    print_run(f"fault: {kind} at t={box['at']:.1f}s", result)
    print(f"  fault done at t={box['done']:.1f}s; failures ended {result['recovered_after_s']} s after the fault"
          + (f"; the new server answered /healthz {box['back_after']} s after it was started"
             if "back_after" in box else ""))
    print(f"  acknowledged commands {result['acknowledged_commands']}, lost {result['lost']}, in the log without "
          f"a 200 {result['logged_without_200']}; requests retried on a new connection {result['retried']}; "
          f"sandboxes {result['sandboxes']}, unloadable {result['unloadable']}")
    print(timeline(run.samples, box["at"] - 2, box["done"] + 5))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="50,100,200", help="comma-separated learner counts")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per run (after the ramp)")
    parser.add_argument("--ramp", type=float, default=15, help="seconds over which learners arrive")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (1: sync workers)")
    parser.add_argument("--fault", choices=["none", "db-restart", "worker-kill", "server-restart", "all"],
                        default="none")
    parser.add_argument("--fault-learners", type=int, default=100)
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down in db-restart")
    args = parser.parse_args()
    if args.workers is None:
        args.workers = 2 * len(os.sched_getaffinity(0))
    import secrets

    key = secrets.token_urlsafe(50)
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}; gunicorn {args.workers} workers × {args.threads} threads")
    results = []
    with ThrowawayPostgres(durable=True) as pg:
        env = {**os.environ, "DATABASE_URL": pg.url, "DEBUG": "0", "SECRET_KEY": key}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        print(f"PostgreSQL {pg.url} (durable: fsync on)")
        if args.fault == "none":
            for count in [int(n) for n in args.learners.split(",")]:
                with WebServer(pg.url, workers=args.workers, threads=args.threads, secret_key=key) as server:
                    run = Run(server.url, count, args.seconds)
                    # CPU is counted from the end of the ramp, so sandbox creation stays out of the figure.
                    marks = []
                    timer = threading.Timer(args.ramp, lambda m=marks, s=server: m.append((s.cpu_seconds(),
                                                                              time.process_time())))
                    timer.start()
                    run.go(args.ramp)
                    timer.join()
                    server_cpu = server.cpu_seconds() - marks[0][0]
                    client_cpu = time.process_time() - marks[0][1]
                result = run.report(args.ramp)
                # Where the two cores went in the measured part: the web workers, and this process's learners.
                result["server_cpu_ms_per_request"] = round(1000 * server_cpu / max(1, result["requests"]), 2)
                result["client_cpu_s"] = round(client_cpu, 1)
                result["server_cpu_s"] = round(server_cpu, 1)
                print_run(f"{count} learners", result)
                results.append(result)
        else:
            kinds = ["db-restart", "worker-kill", "server-restart"] if args.fault == "all" else [args.fault]
            for kind in kinds:
                results.append(run_fault(kind, pg, args, key))
    print("JSON " + json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
