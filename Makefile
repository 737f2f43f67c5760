# Mentorat: `make run` starts everything on http://127.0.0.1:8000 (Procfile.dev through honcho),
# `make test` runs the tests.
# Both install what is missing first (.venv, Python packages, front-end assets).
# DATABASE_URL / REDIS_URL in the environment switch to PostgreSQL and Redis.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.requirements.stamp
NPM_STAMP := node_modules/.stamp
PYTEST_ARGS ?=
# `make test` and `make e2e` spread the tests over processes (pytest-xdist): auto = one per CPU core;
# PYTEST_WORKERS=0 runs them in one process (also `PYTEST_ARGS='-n 0'`: the last -n wins).
# The browser tests wait on Chromium and the live server much of the time: spread over two
# processes they take about three quarters of their time in one.
PYTEST_WORKERS ?= auto
# make run's web port (honcho hands PORT to the processes of Procfile.dev).
PORT ?= 8000
# pytest exits 5 when it collected no test: that is not a failure here.
PYTEST = status=0; $(PY) -m pytest $(1) || status=$$?; if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; status=0; fi; exit $$status

.PHONY: run test lint e2e bench install messages

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --if-empty
	@echo
	$(PY) manage.py demo_accounts
	@echo
	@# The file-system broker (without REDIS_URL) needs its folders.
	@mkdir -p "$${MENTORAT_VAR_DIR:-var}/celery/queue" "$${MENTORAT_VAR_DIR:-var}/celery/processed" "$${MENTORAT_VAR_DIR:-var}/celery/control"
	@echo "Mentorat: http://127.0.0.1:$(PORT)/ — Ctrl-C arrête le serveur web, le worker et beat."
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start --port $(PORT)

test: install
	@$(call PYTEST,-n $(PYTEST_WORKERS) $(PYTEST_ARGS))
ifeq ($(E2E),1)
	@$(call PYTEST,e2e -n $(PYTEST_WORKERS))
endif

e2e: install
	@$(call PYTEST,e2e -n $(PYTEST_WORKERS) $(PYTEST_ARGS))

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	find . -path ./node_modules -prune -o -path ./$(VENV) -prune -o -path ./staticfiles -prune -o \
		-type d -name templates -print | xargs $(VENV)/bin/djhtml --check

bench: install
	@set -e; found=0; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		echo "== $$script"; PYTHONPATH=. $(PY) "$$script"; \
	done; [ $$found -eq 1 ] || echo "No benchmark in bench/."

install: $(PIP_STAMP) $(NPM_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when requirements.txt is newer than the last install.
$(PIP_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Reinstall only when package-lock.json is newer than the last `npm ci`.
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Refresh the English catalog after changing user-facing strings (French is the source language),
# translate the new entries in locale/en/LC_MESSAGES/django.po, then compile. test_i18n checks both.
I18N_IGNORE := --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'var/*' \
	--ignore 'e2e/*' --ignore 'bench/*' --ignore '*/tests/*'
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete $(I18N_IGNORE)
	$(PY) bin/translate
