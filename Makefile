# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LISTS  ?= $(or $(SCREENING_REAL_LISTS),../shared/data/lists)

.PHONY: run test lint bench bench-api bench-audit bench-monitor eval clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required (found %s); set PYTHON=python3.11" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)  ## run the whole service (embedded Redis, workers, API on :8000)
	$(BIN)/screening serve

test: $(STAMP)  ## the whole test suite (starts its own Redis and workers)
	$(BIN)/python -m pytest -q -ra

lint: $(STAMP)
	$(BIN)/ruff check api workers matching tests bench
	$(BIN)/mypy

bench: $(STAMP)  ## matching engine and list loading figures on every shared list
	SCREENING_REAL_LISTS=$(LISTS) $(BIN)/python bench/lists_bench.py
	SCREENING_REAL_LISTS=$(LISTS) $(BIN)/python bench/engine_bench.py

bench-api: $(STAMP)  ## instant check at 30 clients for 60 s, alone and during a 20,000-record batch
	SCREENING_REAL_LISTS=$(LISTS) $(BIN)/python bench/api_bench.py

bench-audit: $(STAMP)  ## 100,000-record batch with and without the audit trail (SQLite, PostgreSQL)
	SCREENING_REAL_LISTS=$(LISTS) $(BIN)/python bench/audit_bench.py

bench-monitor: $(STAMP)  ## reverse screening of a 200-entity list delta over a 1M-record book
	SCREENING_REAL_LISTS=$(LISTS) $(BIN)/python bench/monitor_bench.py $(if $(RECORDS),--records $(RECORDS)) $(if $(RESCREEN_SAMPLE),--rescreen-sample $(RESCREEN_SAMPLE))

# hangulize 0.0.9 ships only an sdist whose setup.py imports six, so pip's isolated build
# fails on a fresh machine; it is bench-only, so it is installed here, outside `.[dev]`.
$(VENV)/.hangulize-stamp: $(STAMP)
	$(BIN)/python -m pip install --quiet six wheel
	$(BIN)/python -m pip install --quiet --no-build-isolation hangulize==0.0.9
	@touch $@

eval: $(STAMP) $(VENV)/.hangulize-stamp  ## recall and false alerts on a development set built from the shared lists
	SCREENING_REAL_LISTS=$(LISTS) $(BIN)/python bench/evaluate.py

clean:
	rm -rf $(VENV) .screening .pytest_cache .mypy_cache .ruff_cache
