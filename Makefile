# Two entry points on a fresh machine: `make demo` and `make test`. Each creates .venv if needed.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/sample

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/mlmtext analyze corpora/sample --out $(OUT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
