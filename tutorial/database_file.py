"""Is the SQLite database file this process writes to still the one at its path?

A process keeps its SQLite file open: if the file is deleted (or replaced) while it runs, reads and writes
go on succeeding against the unlinked copy, which nobody will ever see again, and a new connection would
make a new, empty file in its place. ``SELECT 1`` cannot tell, so the health check and every request
(``tutorial.health.HealthCheckMiddleware``) compare the file at the path with the one the connection opened
(device and inode, noted when the connection was made): one ``stat`` a request. PostgreSQL and an in-memory
SQLite database have no such file: never lost.
"""

from __future__ import annotations

import os

from django.db import connection as default_connection
from django.db.backends.signals import connection_created


def _file_id(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # no file (in memory, or already gone), or a name that is not a path
        return None
    return st.st_dev, st.st_ino


def _note_the_file(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.opened_file = _file_id(str(connection.settings_dict["NAME"]))


connection_created.connect(_note_the_file, dispatch_uid="tutorial.database_file")


def _in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


def lost(connection=default_connection) -> bool:
    """True when this thread's SQLite connection has a file open that is no longer at the database's path.
    A connection made before this module was imported is noted at its first check."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or _in_memory(name):
        return False
    now = _file_id(name)
    if connection.connection is None:
        return now is None  # connecting now would make a new, empty database in its place
    if not hasattr(connection, "opened_file"):
        connection.opened_file = now
    return now is None or now != connection.opened_file
