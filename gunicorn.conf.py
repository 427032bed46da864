"""gunicorn settings for production and for `make serve`: `gunicorn -c gunicorn.conf.py tutorial.wsgi`.

Every value can be overridden by the environment (README, "운영 환경 변수"). gunicorn reads this file as
Python, so the numbers below are worked out at start-up from the machine (or container) it runs on.
"""

import os


def _cpus() -> int:
    # The CPUs this process may run on: in a container with a CPU set this is smaller than os.cpu_count().
    # A Kubernetes CPU *limit* is a quota, not a CPU set, and is not visible here: set WEB_CONCURRENCY there.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("BIND", "127.0.0.1:8000")

# The work is mostly CPU (the simulation engine) with short database waits in between: two processes per
# core keep the cores busy while one waits, and a few threads per process keep a slow client (or a slow
# query) from holding a whole process. WEB_CONCURRENCY is the variable hosting platforms already set.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cpus()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is stuck (the engine caps its own work far below it); the worker is
# replaced. On SIGTERM (a Kubernetes rollout) requests in flight get graceful_timeout to finish, which must
# stay under the pod's terminationGracePeriodSeconds (30 s by default).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Behind a load balancer that reuses connections, an idle connection must outlive the balancer's own idle
# timeout, or the balancer sends a request into a socket we are closing. Direct clients: a few seconds.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Recycle workers now and then so slow growth (per-process caches) cannot build up; the jitter keeps them
# from all restarting at once.
max_requests = 5000
max_requests_jitter = 500

# Loaded once before forking: workers start in milliseconds when one is replaced, and share the code pages.
preload_app = True

# Request size limits, before Django sees anything (Django's DATA_UPLOAD_MAX_MEMORY_SIZE caps the body).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The heartbeat file on a RAM disk: a container's overlay file system can stall it and kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn 24+ opens a control socket under ~/.gunicorn by default: a surprising file in a home directory
# (or a failure in a read-only container). Off unless asked for, at a path the operator chooses.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Only these proxies may set X-Forwarded-* for gunicorn itself (Django reads X-Forwarded-Proto through
# SECURE_PROXY_SSL_HEADER). On GKE the load balancer's addresses vary: set FORWARDED_ALLOW_IPS="*" there,
# where nothing but the load balancer can reach the pods.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on standard output; GUNICORN_ACCESS_LOG="" switches it off (the load benchmark does).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "k8s-course"
