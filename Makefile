# The two commands: `make demo` and `make test`. Both set themselves up: a virtualenv
# in .venv with kbtool and its dev extra, rebuilt when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := build/demo
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint schema bench clean install

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q kbtool  # an editable install is not compiled by pip
	touch $(STAMP)

# The main job on the embedded default: the raw notes in examples/raw/ imported into a
# fresh base, both that base and the curated notes/ linted, and every export of notes/.
demo: $(STAMP)
	@echo "== schemas are current"
	$(BIN)/kbtool schema --check
	@echo "== import examples/raw/ into a fresh base in $(DEMO)/notes"
	rm -rf $(DEMO)
	$(BIN)/kbtool import examples/raw --notes $(DEMO)/notes --report $(DEMO)/import-report.json
	@echo "== import again: nothing to write"
	$(BIN)/kbtool import examples/raw --notes $(DEMO)/notes
	@echo "== lint the fresh base and the curated notes/ (drafts give warnings)"
	$(BIN)/kbtool lint --notes $(DEMO)/notes > $(DEMO)/lint.txt 2>&1; tail -n 1 $(DEMO)/lint.txt
	$(BIN)/kbtool lint --notes notes --format json > $(DEMO)/lint-notes.json
	@echo "== lint a raw Q&A document: its table of contents points at the wrong sections"
	-$(BIN)/kbtool lint examples/raw/002_5108b72a579f50fe.txt | head -n 5
	@echo "== export notes/ to build/kb.pdf, build/kb.apkg, build/kb.json (drafts stay out of the PDF and the deck)"
	$(BIN)/kbtool export all --notes notes
	@echo "== the study page build/kb.html, and what of notes/ is answered"
	$(BIN)/kbtool export html --notes notes
	$(BIN)/kbtool stats --notes notes

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -n 2 -q

# The study page's tests drive a real headless Chromium (Debian's package); installed
# once, only when it is missing (CI runs as root on Debian).
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

lint: $(STAMP)
	$(BIN)/ruff check kbtool tests benchmarks
	$(BIN)/ruff format --check kbtool tests benchmarks
	$(BIN)/mypy

schema: $(STAMP)
	$(BIN)/kbtool schema

clean:
	rm -rf $(VENV) build/demo build/*.pdf build/*.apkg build/*.json build/*.html .pytest_cache
