# Seva Portal. A new machine needs two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
MANAGE := $(BIN)/python manage.py
# Apps with their own translation catalogue (seva/<app>/locale or <app>/locale).
APPS_WITH_LOCALE := $(patsubst %/locale,%,$(wildcard seva/*/locale */locale))

.PHONY: run test lint format bench backup install messages makemessages browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

# A local .env.local for a laptop run: DEBUG on. Never committed; real env vars win over it,
# and gunicorn never reads it (seva/settings.py), so a server started from a checkout where
# someone ran `make` still runs with DEBUG off.
.env.local:
	@printf 'DJANGO_DEBUG=on\n' > .env.local
	@echo "wrote .env.local (DJANGO_DEBUG=on) for local runs only"

install: $(VENV)/.installed .env.local

# Compile every .po (project and apps) into .mo; .mo files are build output, not committed.
messages: install
	@$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v 0

# Extract strings into each catalogue: the project one (templates/, seva/*.py) and one per app.
makemessages: install
	$(MANAGE) makemessages -l hi --no-obsolete --ignore=$(VENV) $(foreach a,$(APPS_WITH_LOCALE),--ignore=$(a))
	@for app in $(APPS_WITH_LOCALE); do (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l hi --no-obsolete) || exit 1; done

# Reminders fire here too: without Redis, Celery's broker is a folder (.celery/queue, kombu's
# filesystem transport) and one worker with beat runs beside the web server, messages going to
# the console. Ctrl-C stops both. With REDIS_URL set, Redis is the broker.
RUN_BROKER := $(if $(REDIS_URL),$(REDIS_URL),filesystem://)
run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_geography
	$(MANAGE) seed_demo
	@echo "Seva Portal: http://127.0.0.1:$(PORT)/  (demo users in README.md, password seva-demo-2021)"
	@mkdir -p .celery
	@export CELERY_BROKER_URL=$(RUN_BROKER); \
	  $(BIN)/celery -A seva worker --beat --pool=solo --loglevel=INFO & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# In parallel (pytest-xdist): one process more than the cores, as the browser tests spend much
# of their time waiting on Chromium. PYTEST_ARGS adds or overrides (-n 0 for one process).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: messages
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# A backup of the PostgreSQL database of DATABASE_URL into backups/ (pg_dump's custom format;
# restore with `pg_restore --no-owner -d <new database> FILE`), then the restore drill: the dump
# restored into a fresh database and compared table by table (README: "Backups").
backup: install
	@test -n "$(DATABASE_URL)" || { echo "make backup: set DATABASE_URL=postgres://…"; exit 2; }
	@mkdir -p backups
	pg_dump -Fc --no-owner -f backups/seva-$$(date +%Y%m%d-%H%M).dump "$(DATABASE_URL)"
	@ls -l backups | tail -n 1
	$(MANAGE) restore_drill

bench: messages
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
