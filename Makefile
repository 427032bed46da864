# make run   — set up .venv, migrate, serve http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set)
# make test  — set up .venv with the dev tools, ruff, then the whole pytest suite twice: on SQLite, and on a
#             throwaway PostgreSQL server (skipped with a message when PostgreSQL is not installed, unless CI is set)
# make test-sqlite / make test-postgres — one of the two passes
# make serve — the production setup on this machine: DEBUG off, collectstatic, migrate, gunicorn (gunicorn.conf.py)
#             on http://127.0.0.1:8000; plain HTTP on loopback, so no HTTPS redirect or HSTS unless you ask
# make lint  — ruff only
# make clean — remove the virtualenv and caches (db.sqlite3 is kept: it holds your data)

VENV := .venv
PY := $(VENV)/bin/python
# Tried in this order; the first one that runs and is >= 3.12 builds the virtualenv.
PYTHON_CANDIDATES := python3.13 python3.12 python3
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(PY) -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help run serve test test-sqlite test-postgres lint clean

help:
	@echo "make run    개발 서버 실행 / set up, migrate, serve http://127.0.0.1:8000"
	@echo "make test   ruff + pytest (SQLite, 그리고 PostgreSQL) / ruff + pytest on SQLite and PostgreSQL"
	@echo "make serve  운영 설정으로 실행 (gunicorn) / production settings under gunicorn on http://127.0.0.1:8000"
	@echo "make lint   ruff"
	@echo "make clean  .venv와 캐시 삭제 / remove .venv and caches"

run: $(RUNTIME_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver 127.0.0.1:8000

# A laptop has no SECRET_KEY to hand: one is made once and kept in .venv (never committed). Every variable can
# be set from outside: `DATABASE_URL=postgres://... WEB_CONCURRENCY=4 make serve`.
SERVE_ENV = DEBUG=0 \
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(VENV)/secret-key)}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" \
	SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"

serve: $(RUNTIME_STAMP)
	@test -s $(VENV)/secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $(VENV)/secret-key
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(VENV)/bin/gunicorn -c gunicorn.conf.py tutorial.wsgi

test: lint test-sqlite test-postgres

# DATABASE_URL is cleared so this pass is SQLite even where a developer exports a PostgreSQL URL.
test-sqlite: $(DEV_STAMP)
	env -u DATABASE_URL $(VENV)/bin/pytest

# A server of its own in a temporary directory, removed afterwards (devtools/throwaway_postgres.py).
test-postgres: $(DEV_STAMP)
	@if $(PY) -m devtools.throwaway_postgres available; then \
		$(PY) -m devtools.throwaway_postgres run -- $(VENV)/bin/pytest; \
	elif [ -n "$$CI" ]; then \
		echo "CI: PostgreSQL가 없어 실패합니다 / PostgreSQL is required in CI (apt-get install postgresql)" >&2; exit 1; \
	else \
		echo "PostgreSQL이 없어 PostgreSQL 단계를 건너뜁니다 / PostgreSQL not installed: skipping the PostgreSQL pass"; \
	fi

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# A pyenv shim for a version that is not selected exists but exits non-zero, so each candidate is
# run and asked for its version instead of merely looked up on PATH.
$(PY):
	@found=""; chosen=""; \
	for c in $(PYTHON_CANDIDATES); do \
		v=$$($$c -c 'import sys; print("%d.%d.%d" % sys.version_info[:3]); sys.exit(sys.version_info < (3, 12))' 2>/dev/null) \
			&& { chosen=$$c; break; }; \
		[ -n "$$v" ] && [ -z "$$found" ] && found=$$v; \
	done; \
	if [ -z "$$chosen" ]; then \
		echo "Python 3.12 이상이 필요합니다 (찾은 버전: $${found:-없음}) / Python >= 3.12 required, found $${found:-none}" >&2; \
		exit 1; \
	fi; \
	echo "$$chosen ($$v)으로 $(VENV)를 만듭니다 / creating $(VENV) with $$chosen ($$v)"; \
	$$chosen -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# The stamps live inside .venv, so a fresh virtualenv always reinstalls; otherwise pip runs only when a
# requirements file is newer than its stamp, which keeps a second `make run` down to a few seconds.
$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt, so this also brings the runtime set up to date.
$(DEV_STAMP): requirements-dev.txt requirements.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@
