"""Web throughput: a lesson page, the sandbox page, a sandbox poll and console commands, each next to a
bare Django "hello" view, measured with wrk in one run against gunicorn on loopback.

    .venv/bin/python bench/web.py                 # about 2.5 minutes: 8 targets x 10 s, plus set-up
    .venv/bin/python bench/web.py --seconds 5     # shorter
    .venv/bin/python bench/web.py --only hello,poll --no-breakdown
    .venv/bin/python bench/web.py --engine python # the threaded Python load generator instead of wrk

What it does: makes a throw-away SQLite database under /tmp (`migrate` with bench/settings.py), starts
gunicorn (2 sync workers, DEBUG off, its own flags rather than gunicorn.conf.py) on 127.0.0.1 and a free
port, and starts learners the way a browser does (GET /sandbox/ for the CSRF cookie, POST
scenario=web-behind-lb): each learner is a session with one sandbox. The page, the lesson and the poll
use the first learner; the "time moving" poll and the console commands go round the other learners (200
by default), each request with that learner's own cookies, as many learners at once would send them, so
that each learner stays within the command limits (per sandbox, per session). There are two commands:
`kubectl get pods`, which only looks (the snapshot is not written), and `kubectl scale` between 4 and 3
replicas, which changes the cluster (the snapshot is written). It runs `wrk --latency`
against each target in turn and prints requests/s, p50/p99 latency, non-2xx responses (429s on their
own), the ratio to hello's requests/s, and the gunicorn workers' CPU time per request (from /proc), which
stays meaningful when other work shares the machine. Afterwards, with gunicorn stopped, it times the pieces
of a poll and a command in-process (snapshot decode, Simulation.from_json, to_json, template render) as a
profiling hint. Everything is removed at the end, also on Ctrl-C. The last line is `JSON {...}`.

It reports, it does not gate: the exit status is 0 unless the server cannot be started or a sandbox
cannot be created.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web_loadgen import HOST, run_python, run_wrk  # noqa: E402
from bench.web_profile import breakdown  # noqa: E402
from devtools.throwaway_postgres import free_port  # noqa: E402

SCENARIO = "web-behind-lb"
COMMAND = "kubectl get pods"
# A command that changes the cluster, so the snapshot is written: each learner scales web (3 replicas in the
# scenario) to 4 and back on alternate rounds.
CHANGES = ("kubectl scale deployment web --replicas=4", "kubectl scale deployment web --replicas=3")
TARGETS = ("hello", "home", "lesson", "page", "poll", "polltime", "command", "change")
RATE_LIMIT = (20, 10)  # sandbox.models.COMMAND_RATE: commands per seconds per sandbox


# --------------------------------------------------------------------------------------------- helpers

def log(message: str = "") -> None:
    print(message, flush=True)


class Browser:
    """Just enough of a browser: one cookie jar, one request at a time, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            all_headers = {"Host": HOST, **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = self.cookie_header()
            data = None
            if body is not None:
                data = urllib.parse.urlencode(body).encode()
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=data, headers=all_headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                parsed = SimpleCookie()
                parsed.load(header)
                for name, morsel in parsed.items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, content
        finally:
            conn.close()


def syncdb_apps() -> list[str]:
    """Our apps whose migrations package exists but holds no migration yet: migrate cannot create their
    tables, so bench/settings.py switches their migrations off and `migrate --run-syncdb` does it."""
    apps = []
    for app in sorted(p.parent for p in ROOT.glob("*/models.py")):
        migrations = app / "migrations"
        if (migrations / "__init__.py").exists() and not any(migrations.glob("[0-9]*.py")):
            apps.append(app.name)
    return apps


def lesson_candidates() -> list[str]:
    """Lesson URLs to try for the "lesson" target, from lessons/content/NN-slug.md (slug with and
    without the number, since the URL scheme is the lessons app's to choose)."""
    out = []
    for md in sorted((ROOT / "lessons" / "content").glob("*.md"))[:2]:
        stem = md.stem
        out.append(f"/lessons/{stem}/")
        bare = re.sub(r"^\d+[-_]", "", stem)
        if bare != stem:
            out.append(f"/lessons/{bare}/")
    return out


# ------------------------------------------------------------------------------------------- the run

class Server:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
        self.db = self.tmp / "db.sqlite3"
        self.errlog = self.tmp / "gunicorn.log"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.env = dict(os.environ)
        # The project settings read these; the bench decides them itself.
        for name in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
            self.env.pop(name, None)
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_DB": str(self.db),
            "BENCH_SYNCDB_APPS": ",".join(syncdb_apps()),
            "PYTHONPATH": str(ROOT) + os.pathsep + self.env.get("PYTHONPATH", ""),
            "PYTHONWARNINGS": "ignore",  # WhiteNoise warns that STATIC_ROOT was never collected
        })

    def migrate(self) -> None:
        subprocess.run([sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "-v0"],
                       cwd=ROOT, env=self.env, check=True, timeout=120)

    def start(self) -> None:
        # Exactly the flags below, not the repository's gunicorn.conf.py, which gunicorn would otherwise read
        # from the working directory: the bench compares pages under one fixed server set-up.
        config = self.tmp / "gunicorn.conf.py"
        config.write_text("")
        cmd = [sys.executable, "-m", "gunicorn", "tutorial.wsgi:application", "--config", str(config),
               "--bind", f"{HOST}:{self.port}", "--workers", str(self.args.workers), "--worker-class", "sync",
               "--chdir", str(ROOT), "--error-logfile", str(self.errlog), "--log-level", "warning",
               "--timeout", "30", "--graceful-timeout", "3", "--no-control-socket"]
        # Its own session, so a Ctrl-C meant for wrk does not reach it and we can stop exactly it.
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        browser = Browser(self.port)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, _, _ = browser.request("GET", "/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 30 s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.errlog.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def first_traceback(self) -> str:
        text = self.log_tail(200_000)
        match = re.search(r"(Internal Server Error.*?)(?=\n\S[^\n]*Internal Server Error|\Z)", text, re.S)
        return (match.group(1) if match else "")[-2500:]

    def worker_cpu(self) -> float:
        """CPU seconds (user + system) used so far by gunicorn's workers, from /proc (0 where there is none).
        Per request, it says what a page costs the server whatever else the machine is doing."""
        if not self.proc or not Path("/proc").is_dir():
            return 0.0
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:  # the arbiter's children: the workers
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # gunicorn's own group: the arbiter and its workers
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def start_learner(port: int) -> tuple[Browser, str]:
    """One learner as a browser makes one: GET /sandbox/ for the CSRF cookie, then POST scenario=... in
    that session. Returns the learner's browser (its cookie jar) and the sandbox's path."""
    browser = Browser(port)
    status, _, _ = browser.request("GET", "/sandbox/")
    if status != 200 or "csrftoken" not in browser.cookies:
        raise RuntimeError(f"GET /sandbox/ answered {status} without a csrftoken cookie")
    token = browser.cookies["csrftoken"]
    status, headers, body = browser.request(
        "POST", "/sandbox/", {"scenario": SCENARIO, "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": f"http://{HOST}:{port}/sandbox/"})
    location = headers.get("Location", "")
    match = re.search(r"/sandbox/([0-9a-f-]{36})/$", location)
    if status != 302 or not match:
        raise RuntimeError(f"POST /sandbox/ answered {status} (Location {location!r}): {body[:300]!r}")
    if "sessionid" not in browser.cookies:
        raise RuntimeError("creating a sandbox did not set a session cookie")
    return browser, f"/sandbox/{match.group(1)}/"


def build_targets(args, learners: list[tuple[Browser, str]]) -> list[dict]:
    browser, first = learners[0]
    cookie = browser.cookie_header()
    body = urllib.parse.urlencode({"command": COMMAND, "source": "typed"})
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://{HOST}:{browser.port}{first}"}
    targets = [
        {"name": "hello", "label": "bare hello view", "paths": ["/bench/hello"]},
        {"name": "home", "label": "home page /", "paths": ["/"]},
    ]
    for path in lesson_candidates():
        status, _, _ = browser.request("GET", path)
        if status == 200:
            targets.append({"name": "lesson", "label": "lesson page", "paths": [path]})
            break
    # The command goes round the other learners, each in their own session and sandbox: what many
    # learners typing at once look like (one learner sends commands to one sandbox, within the limits).
    others = learners[1:]
    posting = [{"Cookie": b.cookie_header(), "X-CSRFToken": b.cookies["csrftoken"],
                "HX-Current-URL": f"http://{HOST}:{b.port}{path}", "Referer": f"http://{HOST}:{b.port}{path}"}
               for b, path in others]
    targets += [
        {"name": "page", "label": "sandbox page", "paths": [first]},
        {"name": "poll", "label": "sandbox poll (htmx)", "paths": [first + "poll"], "headers": htmx},
        # What a learner's tab does every 2 s at 1x speed: time has moved, so the poll advances the engine,
        # saves and draws the new version (the "poll" target above is a poll within one version).
        {"name": "polltime", "label": "sandbox poll, time moving", "paths": [path + "poll" for _, path in others],
         "per_request": [{"Cookie": b.cookie_header(), "HX-Current-URL": f"http://{HOST}:{b.port}{path}"}
                         for b, path in others],
         "headers": {"HX-Request": "true"}},
        {"name": "command", "label": f"command '{COMMAND}'", "method": "POST", "body": body,
         "paths": [path + "command" for _, path in others], "per_request": posting,
         "headers": {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}},
        {"name": "change", "label": "command 'kubectl scale' 4/3", "method": "POST", "body": None,
         "bodies": [urllib.parse.urlencode({"command": c, "source": "typed"}) for c in CHANGES],
         "paths": [path + "command" for _, path in others], "per_request": posting,
         "headers": {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}},
    ]
    for extra in args.extra:
        targets.append({"name": extra, "label": f"extra {extra}", "paths": [extra]})
    for t in targets:
        t.setdefault("method", "GET")
        t.setdefault("body", None)
        if "per_request" not in t:
            t["headers"] = {"Cookie": cookie, **t.get("headers", {})}
    if args.only:
        wanted = set(args.only.split(","))
        targets = [t for t in targets if t["name"] in wanted or t["name"] == "hello"]
    return targets


def check_target(port: int, target: dict) -> tuple[int, int]:
    """One request as the load generator will send it: its status and body size (a sanity check). The
    last rotation entry, so the command's first sandbox is not used up."""
    headers = {**target["headers"], **(target.get("per_request") or [{}])[-1]}
    sent = target["bodies"][-1] if target.get("bodies") else target["body"]
    body = dict(urllib.parse.parse_qsl(sent)) if sent is not None else None
    status, _, content = Browser(port).request(target["method"], target["paths"][-1], body, headers)
    return status, len(content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per target (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--learners", type=int, default=200,
                        help="learners (each a session with one sandbox) the command targets go round, so "
                             "that each stays within the command limits (default 200, the class-sized load "
                             "of bench/load.py: 20 commands at once and 2/s each cover 10 s at 600/s). More "
                             "than a process keeps (sandbox.models.SIMULATIONS_KEPT, 256) and every command "
                             "decodes its snapshot")
    parser.add_argument("--engine", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator (auto: wrk if installed, else Python threads)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(TARGETS)} "
                                                   "(hello is always run: it is the baseline)")
    parser.add_argument("--extra", action="append", default=[], help="another GET path to measure (repeatable)")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the in-process poll breakdown")
    args = parser.parse_args()
    args.seconds = max(1, min(args.seconds, 60))
    args.learners = max(2, min(args.learners, 1000))

    engine = args.engine
    if engine == "auto":
        engine = "wrk" if shutil.which("wrk") else "python"
    if engine == "wrk" and not shutil.which("wrk"):
        log("wrk is not installed (Debian: apt-get install -y wrk); use --engine python")
        return 2
    load = run_wrk if engine == "wrk" else run_python

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored (`cmd &`)

    server = Server(args)
    results = []
    extra_info: dict = {}
    try:
        t0 = time.perf_counter()
        load_start = round(os.getloadavg()[0], 2)
        if load_start > 0.5:
            log(f"note: the 1-minute load average is {load_start} before the bench starts; other work on "
                "this machine lowers and skews the figures")
        server.migrate()
        server.start()
        log(f"gunicorn {args.workers} sync workers on http://{HOST}:{server.port} (DEBUG off, SQLite in "
            f"{server.tmp}, WAL as the project ships it); load generator: {engine}, "
            f"{args.connections} connections"
            + (f", {args.threads} threads" if engine == "wrk" else "") + f", {args.seconds} s per target")
        learners = [start_learner(server.port) for _ in range(args.learners + 1)]
        log(f"started {len(learners)} learners, each a session with one '{SCENARIO}' sandbox, in "
            f"{time.perf_counter() - t0:.1f} s since start (incl. migrate); page/poll use {learners[0][1]}, "
            f"the command goes round the other {len(learners) - 1}")
        targets = build_targets(args, learners)
        if not any(t["name"] == "lesson" for t in targets) and (not args.only or "lesson" in args.only):
            log("no lesson page answered 200 (lessons/content/*.md → /lessons/<slug>/), so 'home' stands in")

        # Warm both workers up (imports, template loading) before anything is timed.
        warm = dict(args.__dict__)
        warm.update(seconds=1)
        load(server.port, targets[0], argparse.Namespace(**warm), server.tmp)

        for target in targets:
            status, size = check_target(server.port, target)
            note = "" if 200 <= status < 300 else "  <-- not 2xx"
            log(f"  {target['name']:<8} {target['method']:<4} {target['paths'][0]:<52} check: {status}, "
                f"{size:,} bytes{note}")
            cpu_before = server.worker_cpu(), os.times()
            result = load(server.port, target, args, server.tmp)
            cpu_after = server.worker_cpu(), os.times()
            result["server_cpu_ms"] = (cpu_after[0] - cpu_before[0]) * 1000 / max(1, result["requests"])
            result["loadgen_cpu_ms"] = (sum(cpu_after[1][:4]) - sum(cpu_before[1][:4])) * 1000 / max(
                1, result["requests"])  # wrk (a child) or this process's threads
            result.update(name=target["name"], label=target["label"], method=target["method"],
                          path=target["paths"][0], rotated_over=len(target["paths"]), check_status=status,
                          body_bytes=size)
            result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
            result["non_2xx"] = sum(v for k, v in result["statuses"].items() if not 200 <= k < 300)
            result["status_429"] = result["statuses"].get(429, 0)
            results.append(result)

        hello = next(r["rps"] for r in results if r["name"] == "hello")
        for r in results:
            r["ratio"] = r["rps"] / hello if hello else 0.0

        log("")
        log(f"{'target':<30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'429':>6} "
            f"{'vs hello':>8} {'cpu ms':>7} {'cpu vs':>7}")
        hello_cpu = next(r["server_cpu_ms"] for r in results if r["name"] == "hello")
        for r in results:
            r["cpu_ratio"] = hello_cpu / r["server_cpu_ms"] if r["server_cpu_ms"] else 0.0
            log(f"{r['label']:<30} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['non_2xx']:>8} "
                f"{r['status_429']:>6} {r['ratio']:>7.0%} {r['server_cpu_ms']:>7.2f} {r['cpu_ratio']:>6.0%}")
        log(f"(load generator: {engine}; it shares the 2 cores with gunicorn, so absolute numbers are low "
            "and the ratios are what to compare. 'cpu ms': gunicorn workers' CPU per request; 'cpu vs': hello's "
            "of that over this one's, steadier than req/s when other work shares the machine)")
        for r in results:
            others = {k: v for k, v in r["statuses"].items() if not 200 <= k < 300}
            if others or r["socket_errors"] or r["timeouts"]:
                log(f"  {r['name']}: statuses {dict(sorted(r['statuses'].items()))}, socket errors "
                    f"{r['socket_errors']}, timeouts {r['timeouts']}")
        cmd = next((r for r in results if r["name"] == "command"), None)
        if cmd:
            per_sandbox = cmd["rps"] * RATE_LIMIT[1] / max(1, cmd["rotated_over"])
            log(f"  command: {cmd['rps']:.1f}/s over {cmd['rotated_over']} learners = {per_sandbox:.1f} commands "
                f"per learner per {RATE_LIMIT[1]} s (limit {RATE_LIMIT[0]}); 429s above are the rate limits")
        if any(500 <= k for r in results for k in r["statuses"]) or any(r["check_status"] >= 500 for r in results):
            log("\nfirst server error in gunicorn's log:\n" + (server.first_traceback() or server.log_tail()))

        server.stop()
        if not args.no_breakdown:
            try:
                sessions = [(b.cookies["sessionid"], path) for b, path in learners]
                extra_info["breakdown"] = breakdown(server.env, sessions, reps=30, command_line=COMMAND)
            except Exception as exc:  # a hint, not the measurement: report and carry on
                extra_info["breakdown_error"] = f"{type(exc).__name__}: {exc}"
            b = extra_info.get("breakdown")
            if b:
                log("")
                log(f"in-process breakdown (gunicorn stopped; one process, no concurrency), snapshot of "
                    f"'{SCENARIO}': {b['snapshot_bytes']:,} bytes of JSON; medians of 30:")
                for key in ("db_read_row_ms", "json_loads_ms", "from_json_ms", "advance_1s_ms", "to_json_ms",
                            "db_write_state_ms"):
                    log(f"  {key:<22} {b[key]:>8.2f} ms")
                for name in ("poll", "command"):
                    p = b[name]
                    log(f"  one {name} via the test client under cProfile: {p['ms_per_request']:.1f} ms "
                        f"(statuses {p['statuses']}); cumulative inside it:")
                    for key, value in p["parts_ms"].items():
                        log(f"    {key:<26} {value:>8.2f} ms")
                    log(f"  most self time per {name}:")
                    for row in p["top_self"][:6]:
                        log(f"    {row['self_ms']:>7.3f} ms self {row['cum_ms']:>8.3f} ms cum  {row['fn']}")
            elif "breakdown_error" in extra_info:
                log(f"breakdown skipped: {extra_info['breakdown_error']}")

        summary = {
            "engine": engine, "seconds": args.seconds, "connections": args.connections,
            "threads": args.threads if engine == "wrk" else None, "workers": args.workers,
            "cpus": os.cpu_count(),
            "targets": {r["name"]: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()
                                    if k in ("path", "method", "rps", "p50_ms", "p90_ms", "p99_ms", "max_ms",
                                             "requests", "non_2xx", "status_429", "ratio", "socket_errors",
                                             "rotated_over", "body_bytes", "server_cpu_ms", "loadgen_cpu_ms",
                                             "cpu_ratio")}
                        for r in results},
        }
        if "breakdown" in extra_info:
            b = extra_info["breakdown"]
            summary["snapshot_bytes"] = b["snapshot_bytes"]
            summary["breakdown_ms"] = {k: round(v, 3) for k, v in b.items() if k.endswith("_ms")}
            for name in ("poll", "command"):
                summary["breakdown_ms"][name] = {"total": round(b[name]["ms_per_request"], 3),
                                                 **{k: round(v, 3) for k, v in b[name]["parts_ms"].items()}}
        summary["loadavg_start"] = load_start
        summary["loadavg_end"] = round(os.getloadavg()[0], 2)
        log(f"total {time.perf_counter() - t0:.0f} s; load average {load_start} at start, "
            f"{summary['loadavg_end']} at the end")
        log("JSON " + json.dumps(summary, ensure_ascii=False))
        return 0
    except KeyboardInterrupt:
        log("\ninterrupted; stopping gunicorn and removing temporary files")
        return 130
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        log(f"bench failed: {exc}")
        return 1
    finally:
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
