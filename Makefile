# Minbar: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two test workers by default (each with its own database); `PYTEST_ARGS=` runs in one process.
PYTEST_ARGS ?= -n 2
WORKERS ?= $(shell echo $$((2 * $$(nproc))))
STAMP := $(VENV)/.installed

.PHONY: run test serve bench lint format messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

## run: set up, migrate the SQLite database, load demo content once, serve on 127.0.0.1:$(PORT)
## with the background worker (notifications, emails, search indexing) beside it
run: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	@echo ""
	@echo "  Minbar is at http://127.0.0.1:$(PORT)/  (English: http://127.0.0.1:$(PORT)/en/)"
	@echo "  Newsroom admin: http://127.0.0.1:$(PORT)/admin/"
	@$(BIN)/python manage.py demo_accounts
	@echo ""
	@echo "  Background worker: started beside the server, stopped with it."
	@$(BIN)/python manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: set up if needed and run the whole suite
test: $(STAMP)
	@mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## serve: gunicorn with the production settings and one background worker (README "Deploying")
serve: $(STAMP)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py migrate --noinput -v0
	@DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py run_worker -v0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_SETTINGS_MODULE=config.settings.prod PORT=$(PORT) WORKERS=$(WORKERS) \
	  MINBAR_TRUSTED_PROXIES="$${MINBAR_TRUSTED_PROXIES:-127.0.0.1,::1}" \
	  $(BIN)/gunicorn --config config/gunicorn.py

## bench: the serving benchmarks (not part of make test)
bench: $(STAMP)
	$(BIN)/python bench/search_devset.py
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/live_polling.py

## lint: ruff, the types (mypy with django-stubs) and the one-way app dependencies (import-linter)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the catalogues and compile them (needs GNU gettext)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l ar -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
