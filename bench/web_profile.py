"""bench/web.py's in-process breakdown: after the load runs, where one poll and one command spend their time
(snapshot decode and encode, the row read and write, cProfile of whole requests through the test client). A
profiling hint next to the measurement, not the measurement."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def breakdown(env: dict, learners: list[tuple[str, str]], reps: int, command_line: str) -> dict:
    """With gunicorn stopped: the parts of one poll and one command, timed in this process against the bench
    database (``env``: the server's environment, for its settings and database)."""
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "BENCH_"))})
    for name in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # STATIC_ROOT is never collected here

    django.setup()
    from django.conf import settings
    from django.test import Client

    from orchestrator import Simulation
    from sandbox.models import Sandbox

    settings.ALLOWED_HOSTS.append("testserver")
    pk = learners[0][1].strip("/").split("/")[-1]

    def median_ms(fn, n=reps):
        times = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    row = Sandbox.objects.get(pk=pk)
    raw = row.state
    sim = Simulation.from_json(raw)
    out = {
        "snapshot_bytes": len(raw.encode()),
        "db_read_row_ms": median_ms(lambda: Sandbox.read(pk)),
        "json_loads_ms": median_ms(lambda: json.loads(raw)),
        "from_json_ms": median_ms(lambda: Simulation.from_json(raw)),
        "to_json_ms": median_ms(lambda: sim.to_json()),
        "advance_1s_ms": median_ms(lambda: sim.advance(1)),
        "db_write_state_ms": median_ms(lambda: Sandbox.objects.filter(pk=pk).update(state=raw)),
    }

    client = Client()  # one client (one middleware stack), its session cookie swapped per learner
    client.cookies["sessionid"] = learners[0][0]
    poll = learners[0][1] + "poll"
    out["poll_status"] = client.get(poll, headers={"HX-Request": "true"}).status_code
    out["poll"] = profile_requests(lambda i: client.get(poll, headers={"HX-Request": "true"}), reps)
    # Commands go round the other learners, as in the load run; each sandbox first catches up on the
    # seconds since it was last touched.
    others = learners[1:]

    def command(i: int):
        key, path = others[i % len(others)]
        client.cookies["sessionid"] = key
        return client.post(path + "command", {"command": command_line, "source": "typed"},
                           headers={"HX-Request": "true"})

    out["command"] = profile_requests(command, reps)
    return out


def profile_requests(send, reps: int) -> dict:
    """cProfile over ``reps`` requests: time per request, a few named parts, and the most self time."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    statuses: dict[int, int] = {}
    start = time.perf_counter()
    profile.enable()
    for i in range(reps):
        status = send(i).status_code
        statuses[status] = statuses.get(status, 0) + 1
    profile.disable()
    per_request = (time.perf_counter() - start) / reps * 1000
    stats = pstats.Stats(profile).stats

    def cum(predicate) -> float:
        return sum(v[3] for k, v in stats.items() if predicate(k)) / reps * 1000

    parts = {
        "Simulation.from_json": cum(lambda k: k[2] == "from_json" and k[0].endswith("orchestrator/simulation.py")),
        "Simulation.to_json": cum(lambda k: k[2] == "to_json" and k[0].endswith("orchestrator/simulation.py")),
        "Simulation.advance": cum(lambda k: k[2] == "advance" and k[0].endswith("orchestrator/simulation.py")),
        "Simulation.execute": cum(lambda k: k[2] == "execute" and k[0].endswith("orchestrator/simulation.py")),
        "json encode+decode": cum(lambda k: k[2] in ("encode", "decode") and k[0].endswith(("json/encoder.py",
                                                                                            "json/decoder.py"))),
        "presenters.live_context": cum(lambda k: k[2] == "live_context"),
        "template rendering": cum(lambda k: k[2] in ("render_to_string", "render")
                                  and k[0].endswith(("django/template/loader.py", "django/shortcuts.py"))),
        # the C calls into sqlite3 (execute, fetch*, commit): the database's own time, fsyncs included
        "sqlite3 (C calls)": cum(lambda k: k[0] == "~" and "of 'sqlite3." in k[2]),
        "session load": cum(lambda k: k[2] == "load" and k[0].endswith(("sessions/backends/db.py",
                                                                       "tutorial/sessions.py"))),
    }
    rows = sorted(((v[2], v[3], f"{Path(k[0]).name}:{k[1]}({k[2]})") for k, v in stats.items()),
                  reverse=True)[:10]
    return {"ms_per_request": per_request, "statuses": statuses, "parts_ms": parts,
            "top_self": [{"fn": name, "self_ms": tt / reps * 1000, "cum_ms": ct / reps * 1000}
                         for tt, ct, name in rows]}
