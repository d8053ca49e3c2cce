# Every target installs what it needs into .venv first, so a fresh clone needs only Python ≥ 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo examples test test-browser-deps test-postgres lint typecheck bench bench-web clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## the web app with demo data on http://127.0.0.1:8000 (prints the logins)
	$(BIN)/zc demo

examples: $(STAMP)  ## evaluate every example against its policy, with the reasons
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

# The second run repeats the database tests on PostgreSQL (pytest-django creates test_<name> itself).
PG_URL ?= postgres://postgres@127.0.0.1:5432/zhongchuang_ci

test: $(STAMP) test-browser-deps  ## the whole suite on SQLite (with the browser tests), then the database tests on PostgreSQL
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-postgres

test-postgres: $(STAMP)  ## the database tests again on PostgreSQL (starts the local server if it is down)
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest tests/web -p no:cacheprovider

# Debian packages the tests need: chromium for the browser journeys (Playwright never downloads a
# browser here), CJK fonts for pages and PDFs, poppler-utils to read packets back (pdftotext, pdftoppm).
test-browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || ! fc-list | grep -qi "noto.*cjk"; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    chromium fonts-noto-cjk poppler-utils; \
	fi

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  ## mypy (strict on the engine)
	$(BIN)/mypy

bench: $(STAMP)  ## engine benchmark: single evaluation and 10,000-space batch
	$(BIN)/python benchmarks/bench_engine.py

bench-web: $(STAMP)  ## web benchmark: self-check and table pages of a space with 300 incubatees
	$(BIN)/python benchmarks/bench_web.py

bench-import: $(STAMP)  ## import benchmark: 10,000-row incubatee sheet against openpyxl
	$(BIN)/python benchmarks/bench_import.py

bench-packet: $(STAMP)  ## packet benchmark: PDF for a space with 200 incubatees (time, peak MB)
	$(BIN)/python benchmarks/bench_packet.py

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/browser/artifacts
