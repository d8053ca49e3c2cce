# Every target installs what it needs into .venv first, so a fresh clone needs only Python ≥ 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo test lint typecheck bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## evaluate every example against its policy, with the reasons
	@for pair in \
	  xiamen-comprehensive-pass:xiamen-2025-comprehensive \
	  xiamen-fails-lease-and-area:xiamen-2025-comprehensive \
	  xiamen-specialized-pass:xiamen-2025-specialized \
	  xiamen-specialized-fallback:xiamen-2025-specialized \
	  shanghai-specialized:shanghai-specialized \
	  shanghai-branded:shanghai-branded \
	  shanghai-international:shanghai-international; do \
	  example=$${pair%%:*}; policy=$${pair##*:}; \
	  echo; echo "=== $$example → $$policy ==="; \
	  $(BIN)/zc evaluate examples/$$example.json --policy $$policy $$( [ "$${policy#shanghai}" != "$$policy" ] && echo --year 1 ) || exit 1; \
	done

test: $(STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  ## mypy (strict on the engine)
	$(BIN)/mypy

bench: $(STAMP)  ## engine benchmark: single evaluation and 10,000-space batch
	$(BIN)/python benchmarks/bench_engine.py

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
