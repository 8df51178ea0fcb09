# The two set-up commands of the README: `make demo` (the main job) and `make test`.
# Both create .venv with Python 3.11+ and install newscrawl into it on first use.

PYTHON ?= python3
DEMO_PORT ?= 8765
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench bench-crawl clean

$(BIN)/newscrawl: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("newscrawl needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

demo: $(BIN)/newscrawl  ## crawl the bundled demo site (served on 127.0.0.1) into demo.db
	$(BIN)/newscrawl demo --db demo.db --port $(DEMO_PORT) --log-level WARNING

# Four test processes: most tests wait on crawls in subprocesses, so even on 2 cores four
# at a time finish in about half the time two take (and two in about 70% of one's).
test: $(BIN)/newscrawl  ## the test suite and the linter
	$(BIN)/python -m pytest -n 4
	$(BIN)/ruff check .

bench: $(BIN)/newscrawl  ## extraction quality and speed against plain trafilatura
	$(BIN)/python -m bench.extraction

bench-crawl: $(BIN)/newscrawl  ## crawl throughput: scrapy, scrapy + trafilatura, newscrawl
	$(BIN)/python -m bench.crawl

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.db.lock .pytest_cache .ruff_cache
