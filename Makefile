# Glasshouse: `make run` serves the portal with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Django 6.1 needs Python 3.12+. Use the first that runs: on PATH, then pyenv's builds.
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
# Tests run in parallel, one process per core (pytest-xdist).
PYTEST_ARGS ?= -n auto

.PHONY: messages run test test-services test-browser lint format check-deploy worker beat clean venv prod lock vendor-js

# Every package, transitive ones too, pinned with its hashes (`make lock` regenerates the lock files after a change
# to requirements*.txt); pip refuses anything whose hash differs.
$(BIN)/.installed: requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Glasshouse needs Python 3.12 or newer (Django 6.1). Install python3.12 or python3.13 (e.g. 'pyenv install 3.12') and retry." >&2; exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

# axe-core (npm) powers the browser accessibility checks; without npm those tests skip and say why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (install Node.js to run them)."; fi

# The browser uploader of direct-to-bucket uploads (Uppy, npm `uppy`, pinned in package-lock.json), committed under
# static/vendor/uppy/ so the portal needs no Node.js at run time. `make vendor-js` refreshes it from the lock file.
UPPY_DIST := node_modules/uppy/dist
vendor-js:
	npm ci --silent --no-audit --no-fund
	mkdir -p static/vendor/uppy
	sed '/^\/\/# sourceMappingURL=/d' $(UPPY_DIST)/uppy.min.js > static/vendor/uppy/uppy.min.js
	cp $(UPPY_DIST)/uppy.min.css node_modules/uppy/LICENSE static/vendor/uppy/
	node -p '"uppy " + require("./node_modules/uppy/package.json").version + ", @uppy/aws-s3 " + require("./node_modules/@uppy/aws-s3/package.json").version' > static/vendor/uppy/VERSION

venv: $(BIN)/.installed

run: venv
	DEBUG=1 $(BIN)/python manage.py migrate --noinput --verbosity 0
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: venv
	$(BIN)/celery -A portal worker --loglevel=info

# The production stack on one machine (nginx, gunicorn, Celery workers per queue, beat) from the environment: see
# README "Running in production" and .env.production.example. Needs nginx (Debian: apt-get install nginx).
prod: venv
	deploy/prod

# Regenerate requirements.lock (production) and requirements-dev.lock (development, CI) from requirements*.txt,
# with uv in a throwaway environment.
LOCK_TOOLS := $(shell mktemp -d -u)/lock-tools
lock: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet uv==0.13.8
	$(LOCK_TOOLS)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.12 \
	  --custom-compile-command "make lock" requirements-dev.txt -o requirements-dev.lock
	$(LOCK_TOOLS)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.12 \
	  --custom-compile-command "make lock" requirements.txt -c requirements-dev.lock -o requirements.lock
	rm -rf $(LOCK_TOOLS)

# The translation catalogues (locale/<lang>/LC_MESSAGES/django.po and djangojs.po) from every translatable string in
# the apps and templates; file names only (no line numbers), so a change elsewhere in a file leaves the catalogue alone.
# Then their .mo files, compiled by Babel (pure Python) and committed: `make run` needs no GNU gettext.
MESSAGES_ARGS := -l es -l fr --no-obsolete --add-location=file --ignore='node_modules/*' --ignore='static/vendor/*' \
	--ignore='tests/*' --ignore='benchmarks/*' --ignore='test-artifacts/*' --ignore='staticfiles/*'
messages: venv
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS)
	$(BIN)/python manage.py makemessages -d djangojs $(MESSAGES_ARGS)
	$(BIN)/python manage.py compile_catalogues

beat: venv
	$(BIN)/celery -A portal beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles run .pytest_cache test-artifacts demo-mail
