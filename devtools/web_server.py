"""The site under gunicorn with the production settings, on a loopback port: for the two-server test and
the load benchmark. ``with WebServer(database_url) as server: ...`` starts it and waits for /healthz."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from devtools.throwaway_postgres import free_port

ROOT = Path(__file__).resolve().parent.parent


_collected: dict[str, str] = {}


def collected_static() -> str:
    """A STATIC_ROOT filled by collectstatic, once per process: with DEBUG off the site serves hashed file
    names from the manifest there, and a clean checkout has none."""
    if "root" not in _collected:
        root = tempfile.mkdtemp(prefix="tutorial-static-")
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "STATIC_ROOT": root}
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        _collected["root"] = root
    return _collected["root"]


class WebServer:
    def __init__(self, database_url: str, workers: int = 2, threads: int = 4, secret_key: str | None = None,
                 extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.worker_cpu: dict[int, float] = {}  # pid -> CPU seconds at its last reading (cpu_seconds)
        self.log = Path(tempfile.mkstemp(prefix="tutorial-gunicorn-", suffix=".log")[1])
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
        self.env = {
            **inherited,
            "DEBUG": "0",
            # Servers of one site share the key, or one could not read the other's sessions.
            "SECRET_KEY": secret_key or secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_ACCESS_LOG": "",  # an empty path switches the per-request log off
            "STATIC_ROOT": os.environ.get("STATIC_ROOT") or collected_static(),
            **(extra_env or {}),
        }
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float = 30.0) -> WebServer:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "tutorial.wsgi"],
                                         cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self.wait_healthy(wait)
        return self

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_healthy(self, wait: float = 30.0) -> float:
        """Seconds until /healthz answers 200."""
        started = time.monotonic()
        while time.monotonic() - started < wait:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz within {wait} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the workers have used so far (from /proc; 0 where there is none),
        counting workers that have since exited (killed, recycled) at their last reading: a sum over only the
        live ones would fall when one is replaced, and a difference of two readings could come out negative."""
        seen = self.worker_cpu
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return sum(seen.values())

    def kill_a_worker(self) -> int:
        """SIGKILL one worker, as the kernel's OOM killer would; the arbiter starts a new one."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> WebServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log.unlink(missing_ok=True)
