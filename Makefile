# PMO Portfolio Health - the two commands a newcomer needs:
#   make run    set up, build the demo database if there is none, serve the dashboard
#   make test   set up (with Debian's Chromium for browser tests) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PMO_DB ?= data/pmo.duckdb
PORT ?= 8501
export PMO_DB

.PHONY: run test setup setup-test chromium jre postgres lint format typecheck demo bench screenshots clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required (set PYTHON=python3.11)"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

$(PMO_DB): | $(VENV)/.installed
	$(PY) -m pmo_analytics demo --db $(PMO_DB)

demo: $(VENV)/.installed
	$(PY) -m pmo_analytics demo --db $(PMO_DB)

run: $(VENV)/.installed $(PMO_DB) jre
	$(PY) serve.py --port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
		echo "Installing Debian's chromium (and CJK fonts for Chinese text) for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium fonts-noto-cjk; \
	fi

# Java for native schedule files (.mpp, .xer, P6 XML through MPXJ). Without it those files are
# refused with a message naming what to install; every other format works. Not fatal here.
jre:
	@if ! command -v java >/dev/null 2>&1; then \
		echo "Installing Debian's Java runtime (default-jre-headless) for MS Project / Primavera files"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		( $$SUDO apt-get update -q && $$SUDO apt-get install -y -q default-jre-headless ) \
			|| echo "Java not installed: .mpp/.xer imports will say what to install; everything else works"; \
	fi

# PostgreSQL server binaries (initdb, pg_ctl) for the PostgreSQL store's tests: the fixtures start
# their own throwaway server in a temporary folder (tests/pg.py), never Debian's own cluster.
# Without them those tests are skipped (and fail under CI=true).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian's PostgreSQL server (postgresql) for the PostgreSQL store tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		( $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql ) \
			|| echo "PostgreSQL not installed: the PostgreSQL store tests are skipped (they fail under CI=true)"; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# mypy over pmo_analytics/: errors beyond tools/mypy-baseline.txt fail (the baseline only shrinks)
typecheck: $(VENV)/.installed-test
	$(PY) -m tools.mypy_baseline

test: $(VENV)/.installed-test chromium jre postgres
	$(VENV)/bin/ruff check .
	$(PY) -m tools.mypy_baseline
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(PY) -m bench.run_all

# a PNG of every page in English and Chinese into docs/ (a server on a fresh demo database)
screenshots: $(VENV)/.installed-test chromium
	$(PY) -m tools.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
