# Two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= dateline.duckdb

.PHONY: run test eval lint install install-dev clean model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# The suite tests the Ray engine too, so the dev set-up takes the ray extra.
install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,ray]'

run: install
	$(BIN)/dateline ingest samples --db $(DB)
	$(BIN)/dateline stats --db $(DB)

lint: install-dev
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check src tests bench training
	$(BIN)/mypy

test: install-dev lint
	$(BIN)/pytest

eval: install-dev
	$(BIN)/python bench/run_all.py

# Retrain the shipped event-type model (src/dateline/data/event_model.joblib) from ../shared/eval/events/
# (plv-train) and the PolNeAR train texts under ../shared/eval/quotes/ (news sentences of no relation).
model: install-dev
	$(BIN)/python -m dateline.events.training

clean:
	rm -rf $(VENV) $(DB) $(DB).wal
