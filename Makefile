# The few commands a user needs. `make run` and `make test` work on a fresh clone
# with only Python 3.11 and make installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# dbt builds into WORK_DB; `make run` then publishes it atomically to PUBLISHED_DB,
# the file BI tools and analysts open (plain `dbt build` writes PUBLISHED_DB directly).
PUBLISHED_DB ?= build/customer_personality.duckdb
WORK_DB ?= $(dir $(PUBLISHED_DB))work/$(notdir $(PUBLISHED_DB))
EXPORTS_DIR ?= exports
# make run RAW=file.csv SEGMENT_MODEL=published|path/to/model.json VARS='{name: value}'
# SEGMENT_MODEL freezes the segment model: `published` is the model of PUBLISHED_DB
# as it is before this run (exported to MODEL_FILE first), a path an exported file.
RAW ?=
# CONTRACT=my_contract.yml: the input contract of RAW (README "Your own data")
CONTRACT ?=
SEGMENT_MODEL ?=
VARS ?=
MODEL_FILE ?= $(dir $(PUBLISHED_DB))segment_model.json
DBT := $(BIN)/dbt --no-use-colors
DBT_FLAGS := --profiles-dir . --project-dir .
# The DuckDB release BI tools bundle, for the compatibility test.
DUCKDB_OLD_VENV := .venv-duckdb14
DUCKDB_OLD_VERSION := 1.4.5

.PHONY: help install install-spark run spark build test test-fast test-setup lint docs bench bench-segments clean sample
.DEFAULT_GOAL := help

## make help: this list of commands
help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## //'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), \
		"Python 3.11 is required, this is " + sys.version.split()[0]' \
		|| (echo "Set PYTHON to a Python 3.11 interpreter: make PYTHON=python3.11 ..."; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make run: build the warehouse on the bundled sample (or RAW=path/to/file.csv),
## publish it with its segment snapshot, write the exports and the report, and say
## what it holds; one run at a time (README "History");
## SEGMENT_MODEL=published|FILE scores with a frozen model, VARS='{...}' sets dbt vars
run: install
	$(BIN)/python -m customer_personality run --raw '$(RAW)' --contract '$(CONTRACT)' \
		--segment-model '$(SEGMENT_MODEL)' --vars '$(VARS)' \
		--db $(PUBLISHED_DB) --work $(WORK_DB) --exports $(EXPORTS_DIR) \
		--report $(dir $(PUBLISHED_DB))report.html --model-file $(MODEL_FILE)

SPARK_STAMP := $(VENV)/.installed-spark
SPARK_EXPORTS_DIR ?= $(EXPORTS_DIR)/spark

# The Spark extra (dbt-spark, pyspark) and Java: Debian's JRE when root and missing.
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,spark]'
	@touch $(SPARK_STAMP)

install-spark: $(SPARK_STAMP)
	@if ! command -v java >/dev/null 2>&1 && [ -z "$$JAVA_HOME" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's Java 17 for Spark"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq openjdk-17-jre-headless >/dev/null) \
			|| echo "Java could not be installed: Spark cannot run here"; \
		else echo "Java missing and not root: install Java 17 for Spark"; fi; \
	fi

## make spark: build and test the project on Apache Spark (local[*], RAW=file.csv),
## in build/spark; export its tables as Parquet under exports/spark/, with
## views.duckdb over them and the report
spark: install-spark
	$(BIN)/python -m customer_personality spark --raw '$(RAW)' --contract '$(CONTRACT)' \
		--vars '$(VARS)' \
		--out $(SPARK_EXPORTS_DIR)

## make test: the whole test suite (pytest, which also runs dbt build and its tests):
## every tier, unit, build, spark and browser, on two workers (a test file to each)
test: install test-setup install-spark
	$(BIN)/python -m pytest -n 2 --dist loadfile

## make test-fast: the unit tier alone (the package's functions, no dbt build), under
## a minute; `pytest -m build` (or spark, browser) runs another tier
test-fast: install
	$(BIN)/python -m pytest -m unit -q

# What the browser and compatibility tests need: Debian's chromium (when root and
# missing) and DuckDB $(DUCKDB_OLD_VERSION) in a separate virtual environment.
test-setup: $(DUCKDB_OLD_VENV)/.installed
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's chromium for the report browser test"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: the browser test will skip"; \
		else echo "chromium missing and not root: the browser test will skip"; fi; \
	fi

$(DUCKDB_OLD_VENV)/.installed:
	$(PYTHON) -m venv $(DUCKDB_OLD_VENV)
	$(DUCKDB_OLD_VENV)/bin/python -m pip install --quiet duckdb==$(DUCKDB_OLD_VERSION)
	@touch $@

## make lint: ruff (Python) and sqlfluff (SQL, .sqlfluff) over the project
lint: install
	$(BIN)/ruff check src tests models bench
	$(BIN)/ruff format --check src tests models bench
	$(BIN)/sqlfluff lint models macros tests analyses --processes 0

## make sample: regenerate the bundled 2,240-row sample
sample: install
	$(BIN)/python -m customer_personality generate --rows 2240 \
		--out data/sample/marketing_campaign.csv --seed 42

## make docs: dbt's documentation site of the built warehouse (every model, column,
## test and the lineage) as one file, target/static_index.html; run `make run` first
docs: install
	@test -f $(PUBLISHED_DB) || (echo "no warehouse at $(PUBLISHED_DB): run make run first"; exit 1)
	CUSTOMER_PERSONALITY_DB=$(PUBLISHED_DB) $(DBT) docs generate --static $(DBT_FLAGS)
	@echo "open target/static_index.html in a browser"

## make clean: remove the build, the exports and dbt's target and logs
clean:
	rm -rf target logs build/*.duckdb build/*.wal build/work build/spark exports

## make bench: full build vs the notebook pipeline at 10k, 100k and 1M customers
## (BENCH_ROWS=10000000 for ten million); results in bench/results/
bench: install
	$(BIN)/python bench/run.py

## make bench-segments: the segment methods compared (stability, outliers, shares, 1M)
bench-segments: install
	$(BIN)/python bench/segment_methods.py
