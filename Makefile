# Two commands matter: `make run` and `make test` (see README.md). Both work on a fresh machine
# with only Python 3.11: they create .venv, install the project, and (for tests) Debian's chromium.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
CLI    := $(VENV)/bin/comment-portal
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test browser lint golden clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(VENV)/bin/activate setup.cfg pyproject.toml
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian's chromium (and a CJK font for screenshots), only when missing. Never a downloaded browser.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		echo "installing Debian chromium + fonts-noto-cjk"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

run: install
	$(CLI) demo --host $(HOST) --port $(PORT)

test: lint browser
	$(VENV)/bin/python -m pytest

# ruff, then mypy as configured in setup.cfg (strict for draft/, analysis/, exports/).
lint: install-test
	$(VENV)/bin/ruff check comment_portal draft analysis exports tests bench
	$(VENV)/bin/mypy

# bench-NAME runs bench/SCRIPT.py, one NAME:SCRIPT pair a benchmark. bench-jobs (comment POST waits behind an
# analysis and an import at 100,000 comments) builds its database once: ~30 min here.
BENCHES := load:load crash:crash cluster:cluster_quality scale:analysis_scale exports:exports_render pdf:pdf_extract \
           attachment:attachment_form redaction:redaction_corpus jobs:job_waits groups:groups_page
BENCH_TARGETS := $(foreach pair,$(BENCHES),bench-$(firstword $(subst :, ,$(pair))))
.PHONY: bench $(BENCH_TARGETS) wrk

$(BENCH_TARGETS): bench-%: install-test
	$(PY) bench/$(lastword $(subst :, ,$(filter $*:%,$(BENCHES)))).py

# The load benchmark drives the server with Debian's wrk, installed only when missing.
bench-load: wrk
wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

bench: $(BENCH_TARGETS)

# Regenerate the golden report files after an intended change to the HTML/Markdown output.
golden: install-test
	REGEN_GOLDEN=1 $(PY) -m pytest tests/exports/test_exports_golden.py -q

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
