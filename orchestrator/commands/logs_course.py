"""What this course's own image (deploy/Dockerfile) prints: gunicorn starting, or ``manage.py migrate``."""

from __future__ import annotations

import time

from ..timefmt import EPOCH

GUNICORN_VERSION = "27.0.1"
WORKERS = 2  # WEB_CONCURRENCY in deploy/gke/10-configmap.yaml
# A fresh database, in the order Django applies them.
MIGRATIONS = (
    "contenttypes.0001_initial", "auth.0001_initial", "admin.0001_initial", "admin.0002_logentry_remove_auto_add",
    "admin.0003_logentry_add_action_flag_choices", "contenttypes.0002_remove_content_type_name",
    "auth.0002_alter_permission_name_max_length", "auth.0003_alter_user_email_max_length",
    "auth.0004_alter_user_username_opts", "auth.0005_alter_user_last_login_null",
    "auth.0006_require_contenttypes_0002", "auth.0007_alter_validators_add_error_messages",
    "auth.0008_alter_user_username_max_length", "auth.0009_alter_user_last_name_max_length",
    "auth.0010_alter_group_name_max_length", "auth.0011_update_proxy_permissions",
    "auth.0012_alter_user_first_name_max_length", "lessons.0001_initial", "sandbox.0001_initial",
    "classroom.0001_initial", "sandbox.0002_goalcompletion_commands", "sessions.0001_initial",
)


def course_startup(container: dict, t: float) -> list[str]:
    command = " ".join(container.get("command") or []) + " " + " ".join(container.get("args") or [])
    if "migrate" in command:
        apps = sorted({name.split(".")[0] for name in MIGRATIONS})
        return ["Operations to perform:", f"  Apply all migrations: {', '.join(apps)}", "Running migrations:",
                *(f"  Applying {name}... OK" for name in MIGRATIONS)]
    stamp = "[" + time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(EPOCH + int(t))) + "]"
    return [f"{stamp} [1] [INFO] Starting gunicorn {GUNICORN_VERSION}",
            f"{stamp} [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
            f"{stamp} [1] [INFO] Using worker: gthread",
            *(f"{stamp} [{7 + i}] [INFO] Booting worker with pid: {7 + i}" for i in range(WORKERS))]
