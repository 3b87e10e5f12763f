# Two commands for a fresh machine: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SAFECITY := $(VENV)/bin/safecity
export SAFECITY_HOME ?= $(CURDIR)/var

.PHONY: demo test install install-test bench static serve clean lint

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) was not found. Install Python 3.11 (or run: make PYTHON=python3 …)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install -q --group test 2>/dev/null || $(PIP) install -q pytest pytest-django pytest-xdist hypothesis playwright import-linter "psycopg[binary]" locust xlrd statsmodels sqlglot pymannkendall pillow
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

static: $(VENV)/.installed
	@if [ -x scripts/vendor-govuk.sh ]; then scripts/vendor-govuk.sh; fi
	@if [ -x scripts/vendor-axe.sh ]; then scripts/vendor-axe.sh; fi

## make demo: build the demo partnership through the real ingest path, run the assessment, serve the app
demo: install static
	$(SAFECITY) demo
	$(SAFECITY) warehouse status
	$(SAFECITY) assess --year 2019/20 --custom-period 2020-09-30..2020-11-30
	$(SAFECITY) assess --month 2020-03
	$(SAFECITY) web demo
	@echo "Serving the partnership web app at http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(SAFECITY) web serve

## make test: install the test dependencies and run the whole suite
test: install-test static
	$(PY) -m pytest -n 2 --dist loadgroup -q
	@# the web tests again on PostgreSQL (a throwaway cluster; fails under CI=true without it)
	PY=$(PY) scripts/pg-test.sh -n 2

lint: install-test
	$(VENV)/bin/lint-imports

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info
