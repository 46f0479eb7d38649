# The two commands: `make demo` and `make test`. Both create the environment themselves.
SHELL := /bin/bash
PYTHON ?= python3
# Use uv from PATH, or bootstrap it into a private tools venv with pip.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# Installed packages ship without bytecode; compiled once here, every process (each Prefect flow
# run, each Dask worker) imports in about a third of the time.
export UV_COMPILE_BYTECODE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export RUNTIME__DLTHUB_TELEMETRY := false
export GX_ANALYTICS_ENABLED := false

.PHONY: install demo test lint bench soak clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: .venv/.synced

demo: install
	.venv/bin/nianbao demo

test: install
	.venv/bin/pytest -q

lint: install
	.venv/bin/ruff check .

bench: install
	.venv/bin/python bench/run_all.py

# 2,000 reports through `nianbao up` killed twice and its S3 server once (~10 min or more on 2
# cores): exactly-once, gold, memory and disk growth; figures in bench/out/soak.json.
soak: install
	.venv/bin/python bench/soak.py --reports $(or $(SOAK_REPORTS),2000)

clean:
	rm -rf .lake .venv .tools
