"""customer_personality.spark.launcher: the spark command names a missing raw file, the
session submission it registers runs a compiled dbt Python model on the process's
SparkSession (both need pyspark and Java: spark tier), and the views file reads the
exports as a DuckDB build names them (DuckDB alone: unit tier)."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, spark_or_skip
from customer_personality.spark import VIEWS_FILE


@pytest.mark.spark
def test_spark_names_a_missing_file(tmp_path):
    spark_or_skip()
    done = subprocess.run(
        [sys.executable, "-m", "customer_personality", "spark"]
        + ["--raw", str(tmp_path / "nowhere.csv"), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "Raw customer file not found" in done.stderr
    assert "nowhere.csv" in done.stderr


def test_views_file_reads_exports_as_a_duckdb_build_names_them(tmp_path, monkeypatch):
    """views.duckdb: a mart as main.<mart>, the seed as seeds.<seed>, by absolute
    path (it reads from another directory), replacing an earlier file whole."""
    from customer_personality.spark import write_views

    folders = [
        tmp_path / "exports" / "customers",
        tmp_path / "exports" / "segment_definitions",
    ]
    for folder, rows in zip(folders, (3, 4), strict=True):
        folder.mkdir(parents=True)
        duckdb.sql(
            f"copy (select range as id from range({rows})) "
            f"to '{folder}/part-0.parquet' (format parquet)"
        )
    views = tmp_path / "exports" / VIEWS_FILE
    views.write_text("not a database")
    assert write_views(folders, views) == views
    monkeypatch.chdir(tmp_path.parent)
    con = duckdb.connect(str(views), read_only=True)
    assert con.sql("select count(*) from main.customers").fetchall() == [(3,)]
    assert con.sql("select count(*) from seeds.segment_definitions").fetchall() == [(4,)]
    con.close()
    assert [path.name for path in views.parent.iterdir() if path.is_file()] == [
        VIEWS_FILE
    ]


SUBMISSION_CHECK = """
import sys
from pyspark.sql import SparkSession
from dbt.adapters.spark.impl import SparkAdapter
from customer_personality.spark import SessionPythonJobHelper, register_session_submission

register_session_submission()
register_session_submission()  # twice: registered once
helpers = SparkAdapter.python_submission_helpers.fget(None)
assert helpers["session"] is SessionPythonJobHelper, helpers
assert "all_purpose_cluster" in helpers  # dbt-spark's own stay
assert SparkAdapter.default_python_submission_method.fget(None) == "session"
spark = (SparkSession.builder.master("local[1]")
    .config("spark.sql.warehouse.dir", sys.argv[1]).getOrCreate())
# What dbt-spark compiles: the model, then the table written from its result.
compiled = '''
import pandas
def model(dbt, session):
    return session.createDataFrame(pandas.DataFrame({"k": [1, 2, 3]}))
df = model(None, spark)
df.write.mode("overwrite").format("parquet").saveAsTable("submitted")
'''
SessionPythonJobHelper({"original_file_path": "x.py"}, None).submit(compiled)
print(sorted(row.k for row in spark.table("submitted").collect()))
"""


@pytest.mark.spark
def test_python_models_run_on_the_session(tmp_path):
    """The session submission method the launcher registers runs a compiled dbt
    Python model on the process's SparkSession (dbt-spark alone refuses it)."""
    spark_or_skip()
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    done = subprocess.run(
        [sys.executable, "-c", SUBMISSION_CHECK, str(tmp_path / "warehouse")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().splitlines()[-1] == "[1, 2, 3]"
