# Two commands matter: `make run` (everything on the embedded defaults) and `make test`.
# `make` alone lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
CENSO := $(VENV)/bin/censo
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
PYTEST_ARGS ?=

.PHONY: help run test test-fast lint typecheck provision install system lock schemas contracts \
	clean-state chaos bench bench-smoke screenshots

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort \
		| awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

run: provision ## Start Kafka, PostgreSQL, the simulator and the three services
	$(CENSO) run

test: provision ## Run the whole test suite (unit, integration, end-to-end)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: install ## The unit tests only: fakes, no Kafka, PostgreSQL or Chromium (under 30 s)
	$(VENV)/bin/pytest tests/unit -q $(PYTEST_ARGS)

lint: install ## ruff (lint and format) and the type checker
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) --no-print-directory typecheck

typecheck: install ## mypy, strict, over services/, schemas/ and infra/
	$(VENV)/bin/mypy

CHAOS_TIMEOUT_S ?= 3600

chaos: provision ## The fault-injection scenarios at full size, then docs/reliability.md from them
	RELIABILITY_FULL=1 $(VENV)/bin/pytest -m chaos tests/reliability --timeout=$(CHAOS_TIMEOUT_S) \
		$(PYTEST_ARGS); status=$$?; $(PY) -m tests.reliability.report; exit $$status

bench: provision ## Run the benchmarks (bench/README.md): one table, bench/results/latest.json
	$(PY) -m bench.run

bench-smoke: provision ## The benchmarks in their short smoke mode (CI: under two minutes)
	$(PY) -m bench.run --smoke

screenshots: provision ## The README's pictures (docs/screenshots/) from a seeded local web server
	$(PY) -m bench.screenshots

provision: system install ## Install what is missing and prepare local state
	$(CENSO) infra provision

system: ## Install the Debian packages the project runs on (Java, PostgreSQL, Chromium)
	infra/bin/install-system-packages

# Development installs requirements-dev.lock (the runtime pins plus the tools), editable; a
# service's own install (the Containerfile) runs the same script with requirements.lock only.
# Every pin carries its hashes and installs refuse anything else (uv itself included).
install: $(VENV)/.installed ## Create .venv with the runtime and development dependencies

$(VENV)/.installed: infra/bin/install-python requirements-uv.lock requirements.lock \
		requirements-dev.lock pyproject.toml
	infra/bin/install-python $(VENV) requirements-dev.lock --editable
	touch $@

lock: ## Re-pin every dependency after editing pyproject.toml (runtime and development apart)
	echo "uv==$(UV_VERSION)" | $(UV) pip compile -q --generate-hashes - -o requirements-uv.lock \
		--custom-compile-command "make lock"
	$(UV) pip compile -q --generate-hashes pyproject.toml -o requirements.lock \
		--custom-compile-command "make lock"
	$(UV) pip compile -q --generate-hashes pyproject.toml --extra dev --extra local \
		-c requirements.lock -o requirements-dev.lock --custom-compile-command "make lock"

schemas: ## Regenerate the JSON Schema files of the events
	$(PY) -m schemas.jsonschema_export

contracts: ## Regenerate docs/asyncapi.json, docs/openapi/*.json and docs/configuration.md
	$(PY) -m services.contracts

clean-state: ## Delete local Kafka and PostgreSQL data (asks nothing: be sure)
	rm -rf .local
