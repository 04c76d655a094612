# antt: `make run` starts everything, `make test` runs every test (lint and format included).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: install run test lint format unit integration e2e bench fuzz clean

# Debian packages: DejaVu fonts (embedded in the PDFs: Vietnamese stacked diacritics) and
# poppler-utils (pdftoppm: tests render a PDF page to compare it with a reviewed image).
DEBIAN_PACKAGES := fonts-dejavu-core poppler-utils

# The runtime dependencies come pinned from deploy/requirements.lock (the image uses the same).
$(STAMP): pyproject.toml deploy/requirements.lock
	@for pkg in $(DEBIAN_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then echo "installing$$missing (Debian)"; \
		{ apt-get update -qq && apt-get install -y -qq $$missing; } >/dev/null 2>&1 || \
		sudo sh -c "apt-get update -qq && apt-get install -y -qq $$missing"; fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r deploy/requirements.lock -e '.[dev]'
	touch $(STAMP)

# Chromium (Debian's) drives the browser tests (tests/browser); playwright cannot download its own.
install: $(STAMP)
	@command -v chromium >/dev/null || { echo "installing chromium (browser tests)"; \
		{ apt-get update -qq && apt-get install -y -qq chromium; } >/dev/null 2>&1 || \
		{ sudo apt-get update -qq && sudo apt-get install -y -qq chromium; } || \
		echo "chromium could not be installed: the browser tests will be skipped"; }

run: $(STAMP)
	$(VENV)/bin/antt run

test: lint
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

unit: $(STAMP)
	$(VENV)/bin/pytest tests/unit

integration: $(STAMP)
	$(VENV)/bin/pytest tests/integration

e2e: $(STAMP)
	$(VENV)/bin/pytest tests/e2e

# A longer schemathesis run than the bounded one inside `make test`.
fuzz: $(STAMP)
	ANTT_FUZZ_EXAMPLES=$${ANTT_FUZZ_EXAMPLES:-300} $(VENV)/bin/pytest tests/hostile/test_generated_requests.py -q -rxX

# Speed (issue 7): each benchmark measures its own ceiling in the same run; figures go to
# bench/RESULTS.md. Needs PostgreSQL; installs wrk (Debian package) and py-spy on first use.
bench: $(STAMP) $(VENV)/.bench-tools
	@command -v wrk >/dev/null || { echo "installing wrk (load generator)"; \
		apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk; }
	$(VENV)/bin/python -m bench.commands --profile
	$(VENV)/bin/python -m bench.latency --profile reporting-consumer
	$(VENV)/bin/python -m bench.replay
	$(VENV)/bin/python -m bench.catchup
	$(VENV)/bin/python -m bench.portal

# py-spy profiles; eventsourcing is the peer the command benchmark measures antt against.
$(VENV)/.bench-tools: $(STAMP)
	$(VENV)/bin/pip install -q py-spy "eventsourcing[postgres]==9.5.6"
	touch $@

clean:
	rm -rf var
