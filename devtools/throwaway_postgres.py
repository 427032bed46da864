"""A throwaway PostgreSQL server for the test suite, the two-server test and the load benchmark.

    python3 -m devtools.throwaway_postgres run -- .venv/bin/pytest   # any command, with DATABASE_URL set
    python3 -m devtools.throwaway_postgres available                 # exit 0 if PostgreSQL is installed

The server lives in a new temporary directory (data, socket and log), listens on a free loopback port
with its own socket directory, trusts local connections, and is stopped and deleted afterwards. It uses
Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run as root,
so as root the directory is handed to the `postgres` user and the server runs as that user.

Standard library only: `.ci/run` calls it before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

USER = "tutorial"
DATABASE = "tutorial"


def find_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL server binaries, or the ones on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=_version_key)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("postgres")
    return Path(found).resolve().parent if found else None


def _version_key(path: str) -> tuple:
    version = Path(path).parent.parent.name
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self, bin_dir: Path | None = None, port: int | None = None, durable: bool = False):
        self.durable = durable
        self.bin_dir = bin_dir or find_bin_dir()
        if self.bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found (Debian: apt-get install postgresql).")
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="tutorial-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        # Root may not run the server; hand the directory to the postgres user.
        self.run_as = "postgres" if os.geteuid() == 0 else None
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def _command(self, tool: str, *args: str) -> list[str]:
        command = [str(self.bin_dir / tool), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return command

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(self._command(tool, *args), check=True, stdout=subprocess.DEVNULL, cwd=self.root)

    def init(self) -> ThrowawayPostgres:
        self._run("initdb", "--pgdata", str(self.data), "--username", USER, "--auth", "trust",
                  "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync")
        return self

    def start(self) -> ThrowawayPostgres:
        # fsync off: a test server need not survive a power cut, and it makes the suite much faster.
        # The load benchmark asks for durable=True to measure commits as production pays for them.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "--options", options,
                  "--wait", "--timeout", "60", "start")
        return self

    def create_database(self) -> ThrowawayPostgres:
        self._run("createdb", "--host", "127.0.0.1", "--port", str(self.port), "--username", USER, DATABASE)
        return self

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "--pgdata", str(self.data), "--mode", mode, "--wait", "stop")

    def restart(self, down_seconds: float = 0.0) -> None:
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        try:
            return self.init().start().create_database()
        except BaseException:
            self.destroy()
            raise

    def __exit__(self, *exc) -> None:
        self.destroy()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="start a server, run COMMAND with DATABASE_URL set, then remove the server")
    run.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("available", help="exit 0 if PostgreSQL server binaries are installed, 1 if not")
    args = parser.parse_args(argv)
    if args.action == "available":
        bin_dir = find_bin_dir()
        print(f"PostgreSQL: {bin_dir}" if bin_dir else "PostgreSQL server binaries not found")
        return 0 if bin_dir else 1
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("run needs a command after --")
    with ThrowawayPostgres() as server:
        print(f"throwaway PostgreSQL: {server.url} (data in {server.root})", flush=True)
        env = {**os.environ, "DATABASE_URL": server.url}
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
