"""Settings for `bench/web.py` only: the project's settings, served like production (DEBUG off) from a
throw-away SQLite file, with `bench/urls.py` adding a bare "hello" view to compare against.

Not for anything else: the secret key below is public.
"""

import os

from tutorial.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-" + "x" * 50  # a public, throw-away key; the bench database is deleted afterwards
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.urls"

# A fresh SQLite file under /tmp that bench/web.py creates (migrate) and deletes. Everything else is the
# project's own SQLite configuration (persistent connections, WAL, immediate transactions), as shipped.
DATABASES = {
    "default": {**DATABASES["default"], "NAME": os.environ.get("BENCH_DB", "/tmp/bench-web.sqlite3")},  # noqa: F405
}
DATABASES["default"].pop("TEST", None)

# Apps whose migrations are not written yet (an empty migrations package) get their tables from
# `migrate --run-syncdb` instead; bench/web.py lists them in BENCH_SYNCDB_APPS.
MIGRATION_MODULES = {label: None for label in os.environ.get("BENCH_SYNCDB_APPS", "").split(",") if label}

# The manifest storage that DEBUG off would pick needs `collectstatic`; the bench measures views, not
# static files, so plain URLs are enough.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# With DEBUG off Django would only mail tracebacks; print them to gunicorn's error log instead, so the
# bench can show why a page answered 500.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}

# Every learner the bench plays comes from 127.0.0.1, which a real site sees as hundreds of addresses: the
# per-address command limit (sandbox/limits.py) is raised so that it is still checked on every command
# but does not turn the run into a 429 benchmark. The per-sandbox and per-session limits are as shipped.
SANDBOX_ADDRESS_COMMAND_RATE = (1_000_000, 10)
