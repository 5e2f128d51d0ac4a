# Kehu: `make run` serves the app with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_WORKERS ?= 2

.PHONY: run test lint bench setup system-deps clean wheel

$(STAMP): pyproject.toml tests/thirdparty/kehu_crm_credit/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres,dev]'
	$(BIN)/pip install --quiet --no-deps tests/thirdparty/kehu_crm_credit
	touch $(STAMP)

# ECharts draws the report charts (/r/<key>); fetched from the npm registry at a
# pinned version, never committed (core/web/static/vendor/ is ignored by git).
ECHARTS_VERSION := 5.6.0
VENDOR := core/web/static/vendor
ECHARTS := $(VENDOR)/.echarts-$(ECHARTS_VERSION)

$(ECHARTS):
	command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh
	rm -rf build/echarts && mkdir -p build/echarts $(VENDOR)
	npm install --prefix build/echarts --no-save --no-audit --no-fund --ignore-scripts \
		echarts@$(ECHARTS_VERSION)
	cp build/echarts/node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp build/echarts/node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE
	rm -f $(VENDOR)/.echarts-* && touch $@

setup: $(STAMP) $(ECHARTS)

system-deps:
	bash scripts/system-deps.sh

run: setup
	$(BIN)/kehu init --demo
	$(BIN)/kehu serve

# The lint runs first: seconds with mypy's cache (.mypy_cache), about two minutes without.
test: setup system-deps lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The kernel typed strictly, kernel, addons and tests linted ([tool.mypy], [tool.ruff] in
# pyproject.toml, #21); mypy and ruff come from the `dev` extra.
lint: setup
	$(BIN)/ruff check core addons tests
	$(BIN)/mypy

# A wheel that installs anywhere (`pip install dist/kehu-*.whl`), ECharts inside.
wheel: setup
	rm -rf dist build/lib build/bdist.*  # no stale module from an earlier build
	$(BIN)/pip wheel --no-deps --quiet -w dist .

bench: setup system-deps
	$(BIN)/python -m bench $(if $(SIZE),--size $(SIZE),)

clean:
	rm -rf $(VENV) var/kehu.db* test-artifacts build/echarts $(VENDOR) dist
