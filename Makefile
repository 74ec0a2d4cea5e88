# The two commands: `make demo` and `make test`. Both set themselves up: a virtualenv
# in .venv with kbtool and its dev extra, rebuilt when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := build/demo

.PHONY: demo test lint schema bench clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kbtool schema --check
	$(BIN)/kbtool lint --notes notes

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check kbtool tests benchmarks
	$(BIN)/ruff format --check kbtool tests benchmarks
	$(BIN)/mypy

schema: $(STAMP)
	$(BIN)/kbtool schema

clean:
	rm -rf $(VENV) build/demo build/*.pdf build/*.apkg build/*.json .pytest_cache
