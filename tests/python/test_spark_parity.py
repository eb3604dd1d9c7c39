"""The same project on Apache Spark: `python -m customer_personality spark` (make spark)
builds and tests the Spark selection on local Spark, and its exported tables equal
the DuckDB build's, column for column and row for row: the kept customers with every
derived field, bin and segment, the rejected rows and their reasons, the frequent
itemsets and the rules, the segment model and its stability, every customer's
cluster, feature importance, the focus product's rules, the duplicate IDs, the
statistics, the scores, the aha moments, the response model's evaluation and deciles
and the bin edges bit for bit; the segment probabilities, the segment and cluster
profiles' figures, the clusterings' quality figures, the principal components and the
response propensities and their decile means within 1e-9 (CLOSE_ENOUGH). On the sample
and on the real file.

Skips, saying why, where Spark cannot run (no Java, or the Spark extra missing)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE_FILE, real_file_or_skip

# Spark export -> the DuckDB relation it must equal.
PARITY_TABLES = {
    "customers": "main.customers",
    "rejected_customers": "main.rejected_customers",
    "customer_segments": "main.customer_segments",
    "frequent_itemsets": "main.frequent_itemsets",
    "association_rules": "main.association_rules",
    "segment_profiles": "main.segment_profiles",
    "segment_model": "main.segment_model",
    "cluster_evaluation": "main.cluster_evaluation",
    "customer_clusters": "main.customer_clusters",
    "cluster_profiles": "main.cluster_profiles",
    "segment_stability": "main.segment_stability",
    "feature_importance": "main.feature_importance",
    "customer_projection": "main.customer_projection",
    "product_consumer_rules": "main.product_consumer_rules",
    "customer_duplicates": "main.customer_duplicates",
    "segment_statistics": "main.segment_statistics",
    "customer_scores": "main.customer_scores",
    "aha_moments": "main.aha_moments",
    "customer_actions": "main.customer_actions",
    "response_model_evaluation": "main.response_model_evaluation",
    "response_model_deciles": "main.response_model_deciles",
    "int_bin_edges": "intermediate.int_bin_edges",
}
# Per table, its key and the columns compared within TOLERANCE (relative to the
# value when above 1) instead of exactly: the segment probabilities (a softmax of the
# same log densities), every double of the profiles, and the clusterings' quality
# figures and principal components (the standardizer's exact decimal means are
# rounded to doubles by each engine: 1e-10 apart at most on the sample, the same
# clusters).
TOLERANCE = 1e-9
CLOSE_ENOUGH = {
    "customers": (("customer_id",), ("segment_probability",)),
    "customer_segments": (("customer_id",), ("segment_probability", "probability_*")),
    "segment_profiles": (("segment",), ("*",)),
    "cluster_profiles": (("clustering", "cluster"), ("*",)),
    "cluster_evaluation": (("algorithm", "k", "parameter"), ("*",)),
    "customer_projection": (("customer_id",), ("*",)),
    "customer_actions": (
        ("customer_id",),
        ("segment_probability", "response_propensity"),
    ),
    "response_model_deciles": (("ranking", "decile"), ("mean_propensity",)),
}
# Contract types each engine spells its own way: DuckDB's hugeint is Spark's
# decimal(38, 0) (spark__cast), read back from Parquet as such.
SAME_TYPES = {("HUGEINT", "DECIMAL(38,0)")}


def _spark_or_skip() -> None:
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed (make install-spark): Spark parity skipped")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java (make install-spark installs it as root): Spark skipped")


def spark_build(raw: Path, work: Path) -> Path:
    """Runs the Spark build of `raw` in its own Spark folder; returns the exports."""
    _spark_or_skip()
    exports = work / "exports"
    env = {**os.environ, "CUSTOMER_PERSONALITY_SPARK_DIR": str(work / "spark")}
    done = subprocess.run(
        [sys.executable, "-m", "customer_personality", "spark", "--raw", str(raw)]
        + ["--out", str(exports)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "Completed successfully" in done.stdout
    return exports


def _close_columns(con, relation: str, patterns: tuple[str, ...]) -> list[str]:
    """The double columns of relation that match one of patterns (fnmatch)."""
    from fnmatch import fnmatch

    return [
        name
        for name, kind, *_ in con.sql(f"describe select * from {relation}").fetchall()
        if kind == "DOUBLE" and any(fnmatch(name, pattern) for pattern in patterns)
    ]


def _compare(db_path: Path, exports: Path) -> dict[str, int]:
    """Rows of each parity table; fails on any column or value that differs (beyond
    TOLERANCE for the CLOSE_ENOUGH columns)."""
    con = duckdb.connect(str(db_path), read_only=True)
    rows = {}
    for table, relation in PARITY_TABLES.items():
        spark = f"read_parquet('{exports / table}/*.parquet')"
        duck_types = con.sql(f"describe select * from {relation}").fetchall()
        spark_types = con.sql(f"describe select * from {spark}").fetchall()
        assert [c[0] for c in spark_types] == [c[0] for c in duck_types], table
        for duck_column, spark_column in zip(duck_types, spark_types, strict=True):
            types = (duck_column[1], spark_column[1])
            assert types[0] == types[1] or types in SAME_TYPES, (table, duck_column)
        keys, patterns = CLOSE_ENOUGH.get(table, ((), ()))
        close = _close_columns(con, relation, patterns)
        on = " and ".join(f"duck.{k} is not distinct from spark.{k}" for k in keys)
        exact = ", ".join(c[0] for c in duck_types if c[0] not in close)
        for left, right in ((relation, spark), (spark, relation)):
            extra = con.sql(
                f"select {exact} from {left} except all select {exact} from {right} "
                "limit 5"
            ).fetchall()
            assert extra == [], f"{table}: rows of {left} not in {right}: {extra}"
        for column in close:
            worst = con.sql(
                f"select max(abs(duck.{column} - spark.{column}) "
                f"/ greatest(1, abs(duck.{column}))), "
                f"count(*) filter (where (duck.{column} is null) != "
                f"(spark.{column} is null)), count(*) from {relation} as duck "
                f"inner join {spark} as spark on {on}"
            ).fetchall()[0]
            assert (worst[0] or 0) <= TOLERANCE and worst[1] == 0, (table, column, worst)
            duck_rows = con.sql(f"select count(*) from {relation}").fetchall()[0][0]
            assert worst[2] == duck_rows, f"{table}: {keys} do not pair the rows"
        rows[table] = con.sql(f"select count(*) from {spark}").fetchall()[0][0]
    con.close()
    return rows


def _reasons(db_path: Path, exports: Path) -> tuple[list, list]:
    con = duckdb.connect(str(db_path), read_only=True)
    query = "select rejection_reason, count(*) from {} group by all order by all"
    duck = con.sql(query.format("main.rejected_customers")).fetchall()
    spark = con.sql(
        query.format(f"read_parquet('{exports}/rejected_customers/*.parquet')")
    ).fetchall()
    con.close()
    return duck, spark


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory) -> Path:
    # As the DuckDB build names it (rejected_customers.source_file is compared too).
    sample = SAMPLE_FILE.relative_to(ROOT)
    return spark_build(sample, tmp_path_factory.mktemp("spark_sample"))


def _check_counts(rows: dict[str, int]) -> None:
    """Every raw row kept or rejected; every kept customer segmented; rules found."""
    assert rows["customers"] + rows["rejected_customers"] == 2240
    assert rows["customer_segments"] == rows["customers"]
    assert rows["int_bin_edges"] == 9  # age, income, seniority and six products
    assert rows["association_rules"] > 0 and rows["frequent_itemsets"] > 0
    assert rows["segment_profiles"] == 4  # Stars, High potential, ...
    assert rows["segment_model"] > 0 and rows["cluster_evaluation"] > 0
    assert rows["customer_clusters"] > 0 and rows["cluster_profiles"] > 0
    assert rows["segment_stability"] == 4 and rows["feature_importance"] > 0
    assert rows["customer_projection"] == rows["customers"]
    assert rows["customer_scores"] == rows["customers"]
    assert rows["customer_actions"] > 0 and rows["segment_statistics"] > 0
    assert rows["response_model_evaluation"] == 2  # the model and the RFM score


def test_spark_sample_equals_duckdb(sample_db, sample_exports):
    rows = _compare(sample_db, sample_exports)
    _check_counts(rows)
    assert rows["rejected_customers"] > 0
    duck, spark = _reasons(sample_db, sample_exports)
    assert spark == duck


def test_spark_real_file_equals_duckdb(real_db, tmp_path_factory):
    real = real_file_or_skip()
    exports = spark_build(real, tmp_path_factory.mktemp("spark_real"))
    _check_counts(_compare(real_db, exports))
    duck, spark = _reasons(real_db, exports)
    assert spark == duck


def test_spark_names_a_missing_file(tmp_path):
    _spark_or_skip()
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


def test_python_models_run_on_the_session(tmp_path):
    """The session submission method the launcher registers runs a compiled dbt
    Python model on the process's SparkSession (dbt-spark alone refuses it)."""
    _spark_or_skip()
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
