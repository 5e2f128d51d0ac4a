# Kehu: `make run` serves the app with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench setup system-deps clean

$(STAMP): pyproject.toml tests/thirdparty/kehu_crm_credit/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	$(BIN)/pip install --quiet --no-deps tests/thirdparty/kehu_crm_credit
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

run: setup
	$(BIN)/kehu init --demo
	$(BIN)/kehu serve

test: setup system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup system-deps
	$(BIN)/python -m bench $(if $(SIZE),--size $(SIZE),)

clean:
	rm -rf $(VENV) var/kehu.db* test-artifacts
