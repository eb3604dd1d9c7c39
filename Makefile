# The few commands a user needs. `make run` and `make test` work on a fresh clone
# with only Python 3.11 and make installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CUSTOMER_PERSONALITY_DB ?= build/customer_personality.duckdb
DBT := $(BIN)/dbt --no-use-colors
DBT_FLAGS := --profiles-dir . --project-dir .

.PHONY: install run build test lint bench clean sample

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), \
		"Python 3.11 is required, this is " + sys.version.split()[0]' \
		|| (echo "Set PYTHON to a Python 3.11 interpreter: make PYTHON=python3.11 ..."; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make run: build the warehouse on the bundled sample (or RAW=path/to/file.csv)
run: install
	@mkdir -p build
	$(DBT) build $(DBT_FLAGS) $(if $(RAW),--vars '{raw_customers_path: "$(RAW)"}')
	@$(BIN)/python -m customer_personality summary --db $(CUSTOMER_PERSONALITY_DB)

## make test: the whole test suite (pytest, which also runs dbt build and its tests)
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests python_models bench
	$(BIN)/ruff format --check src tests python_models bench

## make sample: regenerate the bundled 2,240-row sample
sample: install
	$(BIN)/python -m customer_personality generate --rows 2240 \
		--out data/sample/marketing_campaign.csv --seed 42

clean:
	rm -rf target logs build/*.duckdb build/*.wal
