"""Settings for the course site.

Everything that differs between a laptop and a deployment comes from the environment
(SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL); the defaults are safe for a laptop.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


# Laptops run with DEBUG on; a deployment sets DEBUG=0 and must then provide SECRET_KEY.
DEBUG = _env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Full origins (https://course.example.com) that may post forms when they differ from the Host header.
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")
# Proxies in front of the site that append to X-Forwarded-For (GKE's external Application Load Balancer: 2).
# Rate limits and log-in throttling read the client's address through tutorial/client_ip.py.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "lessons",
    "sandbox",
    "classroom",
]

MIDDLEWARE = [
    # Probes send the pod IP as Host and speak plain HTTP: answered before host checks and HTTPS redirects.
    "tutorial.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Straight after SecurityMiddleware, as WhiteNoise asks, so static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads a body: one in a charset other than UTF-8 gets a Korean 400, not a crash.
    "tutorial.request_charset.RequestCharsetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "classroom.authentication.login_throttle_status",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tutorial.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Puts csp_nonce in the context; {% htmx_script %} stamps it on its <script> tags.
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "tutorial.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests may write one sandbox at once: take SQLite's write lock when a transaction starts
    # (no failed lock upgrades), wait for it instead of failing, and let readers work during writes (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The default in-memory test database locks whole tables between threads; a file behaves like production.
    # One file per test process, so two test runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"tutorial-test-{os.getpid()}.sqlite3")}

# Rendered pieces of the sandbox's live region ({% cache %} in templates/sandbox/live.html, and the whole region
# per saved version in sandbox/views.py). Kept in each process's memory: a piece is cheap to render again,
# so a shared cache's network round trip would cost more than it saves.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Whole live regions of the sandbox (about 35 kB each), one per sandbox version and simulated second: only
    # the next few seconds' requests can reuse one, so a short list keeps a process's memory small (5,000 of
    # them in the fragment cache were 50-65 MB per process with 200 learners polling).
    "live_regions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "live-regions",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 600},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko-kr"
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes (and WhiteNoise serves from) with DEBUG off; tests point it at a temporary copy.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest storage needs `collectstatic` first, which a deployment runs and a laptop does not.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Strict policy: no inline script or style anywhere. Our scripts are files under static/, and the
# nonce covers the <script> tags that {% htmx_script %} writes. htmx's own injected indicator <style>
# is switched off in base.html (htmx-config) and its rules live in site.css instead.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}

# A console command with a pasted manifest is the largest thing anyone posts.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Django's database sessions with a cheaper read (tutorial/sessions.py says why).
SESSION_ENGINE = "tutorial.sessions"

# Cookies: the session cookie is never readable by scripts; htmx takes the CSRF token from the page
# (base.html's hx-headers), so the CSRF cookie need not be either. Lax keeps cross-site posts out.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    # Production: HTTPS only. Behind a TLS-terminating load balancer (GKE Ingress), set
    # SECURE_PROXY_SSL_HEADER=1 so Django trusts its X-Forwarded-Proto; without a proxy leave it unset,
    # or a client could claim HTTPS on a plain connection.
    if _env_bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancer and kubelet health checks speak plain HTTP to the pod; a redirect would fail them.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", default=True)

# Requests and errors go to standard output, where gunicorn, Docker and GKE's logging agent collect them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Every log-in (our page, /admin/login/, anything that calls authenticate) goes through the throttle.
AUTHENTICATION_BACKENDS = ["classroom.authentication.ThrottledBackend"]

# Password reset e-mails: SMTP when EMAIL_HOST is set; on a laptop they are printed to the console. A deployment
# without a mail server offers no reset by e-mail (instructors issue reset links instead), since a printed link
# would land in the logs. Django 6.1's MAILERS, filled from the usual EMAIL_* variables.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    _email_port = _env_int("EMAIL_PORT", 587)
    _email_ssl = _env_bool("EMAIL_USE_SSL", default=_email_port == 465)
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": _email_host,
        "port": _email_port,
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_ssl": _email_ssl,
        "use_tls": _env_bool("EMAIL_USE_TLS", default=not _email_ssl),
        "timeout": 10,
    }}}
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    # Django's own default (SMTP on localhost:25), which nothing here uses: PASSWORD_RESET_BY_EMAIL below is off.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"host": "localhost"}}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
PASSWORD_RESET_BY_EMAIL = bool(_email_host) or DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lesson-list"
LOGOUT_REDIRECT_URL = "home"
