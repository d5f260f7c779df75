# The commands of the README: `make demo`, `make test` and `make web`. Each installs into .venv first.
PYTHON ?= python3
VENV ?= .venv

# `make serve`: a persistent Prefect server for this home with a worker beside it (the commands then hand their flows to it)
.PHONY: demo test web serve install bench-wer bench-redaction

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/callscribe demo

test: $(VENV)/.installed
	.ci/browser
	.ci/postgres
	$(VENV)/bin/python -m pytest

# the web application on http://127.0.0.1:8000 (HOST=... PORT=... to change)
HOST ?= 127.0.0.1
PORT ?= 8000
web: $(VENV)/.installed
	$(VENV)/bin/callscribe web --host $(HOST) --port $(PORT)

serve: $(VENV)/.installed
	$(VENV)/bin/callscribe server

bench-wer: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/wer.py

bench-redaction: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/redaction.py
