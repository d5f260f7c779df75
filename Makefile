# The two commands of the README: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV ?= .venv

.PHONY: demo test install bench-wer bench-redaction

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/callscribe demo

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest

bench-wer: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/wer.py

bench-redaction: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/redaction.py
