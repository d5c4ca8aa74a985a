# Two commands matter: `make run` (everything on the embedded defaults) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CENSO := $(VENV)/bin/censo
UV_VERSION := 0.13.9
PYTEST_ARGS ?=

.PHONY: run test provision install system lock schemas contracts clean-state

run: provision ## Start Kafka, PostgreSQL, the simulator and the three services
	$(CENSO) run

test: provision ## Run the whole test suite (unit, integration, end-to-end)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: chaos
CHAOS_TIMEOUT_S ?= 3600

chaos: provision ## The fault-injection scenarios at full size, then docs/reliability.md from them
	RELIABILITY_FULL=1 $(VENV)/bin/pytest -m chaos tests/reliability --timeout=$(CHAOS_TIMEOUT_S) \
		$(PYTEST_ARGS); status=$$?; $(PY) -m tests.reliability.report; exit $$status

.PHONY: bench bench-smoke

bench: provision ## Run the benchmarks (bench/README.md): one table, bench/results/latest.json
	$(PY) -m bench.run

bench-smoke: provision ## The benchmarks in their short smoke mode (CI: under two minutes)
	$(PY) -m bench.run --smoke

provision: system install ## Install what is missing and prepare local state
	$(CENSO) infra provision

system:
	infra/bin/install-system-packages

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $@

lock: ## Re-pin every dependency after editing pyproject.toml
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev -o requirements.lock --custom-compile-command "make lock"

schemas: ## Regenerate the JSON Schema files of the events
	$(PY) -m schemas.jsonschema_export

contracts: ## Regenerate docs/asyncapi.json and docs/openapi/*.json
	$(PY) -m services.contracts

clean-state: ## Delete local Kafka and PostgreSQL data (asks nothing: be sure)
	rm -rf .local
