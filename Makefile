# 站长学堂 · Webmaster Academy
#   make run   — set up everything and serve on http://127.0.0.1:8000 (with a task worker)
#   make test  — set up everything and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Debian packages the product needs: a CJK font and HarfBuzz subsetting for certificates,
# poppler-utils to read PDFs back in tests, Chromium for browser tests, gettext for translations.
SYSTEM_PACKAGES := fonts-lxgw-wenkai libharfbuzz-subset0 poppler-utils chromium gettext

.PHONY: run test system-packages venv install migrate demo messages bench lint clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate requirements.txt requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv install: system-packages $(VENV)/.installed

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null)) \
	      || { echo "Could not install: $$missing"; exit 1; }; \
	  else \
	    echo "Missing system packages: $$missing"; \
	    echo "Install them with: sudo apt-get install $$missing"; \
	    echo "(Chinese certificates need fonts-lxgw-wenkai and libharfbuzz-subset0; tests need poppler-utils and chromium.)"; \
	    exit 1; \
	  fi; \
	fi

messages: $(VENV)/.installed
	cd lms && ../$(PY) ../manage.py compilemessages --ignore=.venv >/dev/null
	cd courses && ../$(PY) ../manage.py compilemessages --ignore=.venv >/dev/null
	cd certificates/qualification && ../../$(PY) ../../manage.py compilemessages >/dev/null
	cd lms/wagtail_zh && ../../$(PY) ../../manage.py compilemessages >/dev/null
	@for app in quizzes certificates; do if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py compilemessages >/dev/null); fi; done

migrate: install messages
	$(PY) manage.py migrate --noinput

# seed_demo is idempotent: running it on every start adds nothing that is already there.
demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo "Serving on http://127.0.0.1:8000 — demo logins are in README.md. Ctrl-C stops server and worker."
	@$(PY) manage.py db_worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# axe-core (accessibility scan in the browser tests) from the npm registry, when npm is there.
tests/e2e/node_modules/axe-core/axe.min.js: tests/e2e/package.json
	@if command -v npm >/dev/null; then cd tests/e2e && npm install --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility scans will be skipped (install nodejs and npm)"; fi

test: install messages tests/e2e/node_modules/axe-core/axe.min.js
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
