# Two commands for a new user: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install install-dev translations extract-messages lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled catalogs are build output: made from translations/*/LC_MESSAGES/messages.po.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations -f

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --ignore-dirs='.* _* instance tests bench' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: install translations
	$(BIN)/alembic upgrade head
	$(BIN)/flask curriculum sync
	$(BIN)/flask seed-demo --if-empty
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
