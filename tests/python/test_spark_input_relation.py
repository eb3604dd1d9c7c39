"""The raw input as a table of Spark's catalog (var raw_customers_relation, macro
spark__raw_input_shape): the bundled sample registered as a catalog table gives the
customers and rejected rows the DuckDB build of the file gives, and the rows name the
table they came from. Skips, saying why, where Spark cannot run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, SAMPLE_FILE, forbid_unit, spark_or_skip

pytestmark = pytest.mark.spark

TABLE = "crm.raw_customers"
# In one process: dbt's session starts with the seeds, the sample becomes a catalog
# table of that session, the staging and customers models read it, and the two
# tables are written as Parquet for DuckDB to compare.
SCRIPT = """
import json, sys
from pathlib import Path
from customer_personality.spark import launcher
plan = json.loads(sys.argv[1])
root = Path(".")
if launcher.build(root, {}, command="seed") != 0:
    sys.exit(1)
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.sql("create database if not exists crm")
spark.sql("drop table if exists " + plan["table"])
spark.sql(
    "create table " + plan["table"] + " using csv options (path '" + plan["file"]
    + "', header 'true', sep '\\\\t')"
)
code = launcher.build(
    root, {"raw_customers_relation": plan["table"]},
    select="+customers rejected_customers", command="run",
)
if code != 0:
    sys.exit(code)
for table in ("customers", "rejected_customers"):
    spark.table("customer_personality." + table).write.mode("overwrite").parquet(
        plan["out"] + "/" + table
    )
"""


def test_a_catalog_table_gives_the_file_builds_customers(sample_db, tmp_path):
    spark_or_skip()
    forbid_unit("run Spark")
    env = {**os.environ, "CUSTOMER_PERSONALITY_SPARK_DIR": str(tmp_path / "spark")}
    env["CUSTOMER_PERSONALITY_HISTORY"] = str(tmp_path / "history")
    plan = {"table": TABLE, "file": str(SAMPLE_FILE), "out": str(tmp_path / "out")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(plan)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    con = duckdb.connect(str(sample_db), read_only=True)
    spark = f"read_parquet('{tmp_path}/out/customers/*.parquet')"
    columns = "customer_id, segment, spending, income, education_level, wines_segment"
    for left, right in (("main.customers", spark), (spark, "main.customers")):
        differing = con.execute(
            f"select count(*) from (select {columns} from {left} "
            f"except all select {columns} from {right})"
        ).fetchone()[0]
        assert differing == 0
    assert (
        con.execute(f"select count(*) from {spark}").fetchone()[0]
        == con.execute("select count(*) from main.customers").fetchone()[0]
    )
    rejected = f"read_parquet('{tmp_path}/out/rejected_customers/*.parquet')"
    pairs = con.execute(
        f"select spark.rejection_reason = duck.rejection_reason, spark.source_file "
        f"from {rejected} as spark inner join main.rejected_customers as duck "
        "using (raw_row_number)"
    ).fetchall()
    assert (
        len(pairs)
        == con.execute("select count(*) from main.rejected_customers").fetchone()[0]
    )
    assert all(same for same, _ in pairs)
    assert {source for _, source in pairs} == {TABLE}
