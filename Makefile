# 站长学堂 · Webmaster Academy
#   make run   — set up everything and serve on http://127.0.0.1:8000 (with a task worker)
#   make test  — set up everything and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Debian packages the product needs: a CJK font and HarfBuzz subsetting for certificates,
# poppler-utils to read PDFs back in tests, Chromium for browser tests, gettext for translations,
# python3-venv so Debian's own python3 can create .venv on a fresh machine,
# libldap2-dev and libsasl2-dev to build python-ldap (LDAP sign-in), slapd and ldap-utils for a real directory
# in the single sign-on tests.
SYSTEM_PACKAGES := fonts-lxgw-wenkai libharfbuzz-subset0 poppler-utils chromium gettext python3-venv libldap2-dev libsasl2-dev slapd ldap-utils

.PHONY: run serve test system-packages venv install migrate demo messages bench lint clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate requirements.txt requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv install: system-packages $(VENV)/.installed

# Waits for the apt lock when another process holds it (APT_LOCK_TIMEOUT, default 600 s); without root or
# apt it names the packages to install.
system-packages:
	@bash scripts/system_packages.sh $(SYSTEM_PACKAGES)

messages: $(VENV)/.installed
	cd lms && ../$(PY) ../manage.py compilemessages --ignore=.venv >/dev/null
	cd courses && ../$(PY) ../manage.py compilemessages --ignore=.venv >/dev/null
	cd certificates/qualification && ../../$(PY) ../../manage.py compilemessages >/dev/null
	cd lms/wagtail_zh && ../../$(PY) ../../manage.py compilemessages >/dev/null
	@for app in quizzes certificates sso inspection exams notifications; do if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py compilemessages >/dev/null); fi; done

migrate: install messages
	$(PY) manage.py migrate --noinput

# seed_demo is idempotent: running it on every start adds nothing that is already there.
demo: migrate
	$(PY) manage.py seed_demo

# The worker's lines carry a [worker] prefix so they stand apart from the request log, without the two lines per
# page that Wagtail's reference-index tasks (queued by every page the demo saves) would print; their failures still
# show. The worker does not reload on code changes (runserver still does): restart make run after changing a task.
# Both run in the background and the shell waits, so Ctrl-C or a TERM to make stops both at once.
run: demo
	@echo "Serving on http://127.0.0.1:8000 — demo logins are in README.md. Ctrl-C stops server and worker."
	@$(PY) -u manage.py db_worker --no-reload \
	  > >(sed -u -e '/update_reference_index_task state=\(RUNNING\|SUCCESSFUL\)/d' -e 's/^/[worker] /') 2>&1 & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:8000 & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null' EXIT INT TERM; \
	wait $$server

# The production recipe (docs/deployment.md "Which gunicorn settings"): what the exam storm measured fastest on 2 cores.
serve: migrate
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m gunicorn lms.wsgi:application --workers 3 --worker-class sync --bind 127.0.0.1:8000 --timeout 60

# axe-core (accessibility scan in the browser tests) from the npm registry, when npm is there.
tests/e2e/node_modules/axe-core/axe.min.js: tests/e2e/package.json
	@if command -v npm >/dev/null; then cd tests/e2e && npm install --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility scans will be skipped (install nodejs and npm)"; fi

# A real OpenID Provider (node's oidc-provider) for the single sign-on tests, when npm is there.
tests/sso/oidc_server/node_modules/oidc-provider/package.json: tests/sso/oidc_server/package.json
	@if command -v npm >/dev/null; then cd tests/sso/oidc_server && npm install --silent --no-audit --no-fund; \
	else echo "npm not found: the OIDC sign-in tests will be skipped (install nodejs and npm)"; fi

test: install messages tests/e2e/node_modules/axe-core/axe.min.js tests/sso/oidc_server/node_modules/oidc-provider/package.json
	$(PY) manage.py makemigrations --check --dry-run --settings=lms.settings.test >/dev/null \
	  || { echo "Models changed without a migration: run manage.py makemigrations"; exit 1; }
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Every benchmarks/bench_*.py; the figures land in benchmarks/RESULTS.md.
bench: install messages
	$(PY) benchmarks/run_all.py

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
