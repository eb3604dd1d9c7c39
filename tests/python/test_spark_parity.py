"""The same project on Apache Spark: `python -m customer_personality spark` (make spark)
builds every model and test on local Spark, and every table it exports (every mart,
the bin edges, the segment definitions) equals the DuckDB build's, column for column
and row for row: bit for bit, but for the segment probabilities, the segment and
cluster profiles' figures, the clusterings' quality figures, the principal
components, the response propensities and their decile means and the drift's PSI,
within 1e-9 (CLOSE_ENOUGH), and build_info's facts of the build itself. On the sample
and on the real file, built in one Spark process. The segment history on Spark reads a
store holding a DuckDB snapshot and counts who moved; DuckDB reads the store back.

Skips, saying why, where Spark cannot run (no Java, or the Spark extra missing). The
launcher's own pieces: test_spark_launcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE_FILE, forbid_unit, real_file_or_skip, spark_or_skip
from customer_personality.spark import REPORT_FILE, VIEWS_FILE, export_tables
from customer_personality.warehouse.history import read_store

pytestmark = pytest.mark.spark

# The raw input as a table of Spark's catalog (var raw_customers_relation).
CATALOG_TABLE = "crm.raw_customers"

# Spark export -> the DuckDB relation it must equal: every mart, the bin edges and
# the seed the report reads (spark.export_tables).
PARITY_TABLES = {
    table: f"{schema or 'main'}.{table}" for table, schema in export_tables(ROOT).items()
}
# The rows compared where a build's own facts differ by engine: build_info's build
# section (time, invocation, target) and versions (adapter, engine) are left out.
ROWS_COMPARED = {"build_info": "section in ('source', 'var', 'mart_rows')"}
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
        (
            "segment_probability",
            "response_propensity",
            "response_probability",
            "expected_profit",
        ),
    ),
    "campaign_economics": (("analysis", "group_name"), ("roi", "share_of_perfect")),
    "control_group_balance": (
        ("level", "segment", "action", "feature"),
        ("mean_*", "sd_*", "smd"),
    ),
    "campaign_readout": (
        ("level", "segment", "action"),
        ("*_rate", "uplift*", "p_value", "minimum_detectable_uplift", "incremental_*"),
    ),
    "response_model_deciles": (("ranking", "decile"), ("mean_propensity",)),
    "customer_segment_history": (("customer_id", "valid_from"), ("*probability*",)),
    "segment_drift": (("measure",), ("psi",)),
}
# Contract types each engine spells its own way: DuckDB's hugeint is Spark's
# decimal(38, 0) (spark__cast), read back from Parquet as such.
SAME_TYPES = {("HUGEINT", "DECIMAL(38,0)")}

# The Spark builds of one test run, in one process (one Spark start-up): for each,
# its raw file, export folder, history root and whether the data tests run too.
BUILDS = """
import json, os, sys
from pathlib import Path
from customer_personality import spark
from customer_personality.warehouse.run import run_vars

for raw, out, history, data_tests in json.loads(sys.argv[1]):
    os.environ["CUSTOMER_PERSONALITY_HISTORY"] = history
    code = spark.run(Path("."), run_vars(raw=raw), Path(out), data_tests=data_tests)
    if code != 0:
        sys.exit(code)
# The sample as a table of the session's catalog, read by staging and customers.
catalog = json.loads(sys.argv[2])
from pyspark.sql import SparkSession
session = SparkSession.builder.getOrCreate()
session.sql("create database if not exists crm")
session.sql("drop table if exists " + catalog["table"])
session.sql(
    "create table " + catalog["table"] + " using csv options (path '"
    + catalog["file"] + "', header 'true', sep '\\\\t')"
)
code = spark.build(
    Path("."), {"raw_customers_relation": catalog["table"]},
    select="+customers rejected_customers", command="run",
)
if code != 0:
    sys.exit(code)
for table in ("customers", "rejected_customers"):
    session.table("customer_personality." + table).write.mode("overwrite").parquet(
        catalog["out"] + "/" + table
    )
"""


def spark_builds(builds: list[tuple[str, Path, Path, bool]], catalog: Path) -> str:
    """Runs spark.run (what `make spark` runs) for each (raw, exports, history, data
    tests) in one process, in its own Spark folder, then reads the sample as a table
    of the catalog (CATALOG_TABLE) into customers and rejected_customers, exported
    under `catalog`; returns its output."""
    spark_or_skip()
    forbid_unit("run Spark")
    work = builds[0][1].parent
    env = {**os.environ, "CUSTOMER_PERSONALITY_SPARK_DIR": str(work / "spark")}
    plan = [(raw, str(out), str(history), tests) for raw, out, history, tests in builds]
    table = {"table": CATALOG_TABLE, "file": str(SAMPLE_FILE), "out": str(catalog)}
    done = subprocess.run(
        [sys.executable, "-c", BUILDS, json.dumps(plan), json.dumps(table)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    # each build, then the catalog run
    assert done.stdout.count("Completed successfully") == len(builds) + 1
    return done.stdout


def _close_columns(con, relation: str, patterns: tuple[str, ...]) -> list[str]:
    """The double columns of relation that match one of patterns (fnmatch)."""
    from fnmatch import fnmatch

    return [
        name
        for name, kind, *_ in con.sql(f"describe select * from {relation}").fetchall()
        if kind == "DOUBLE" and any(fnmatch(name, pattern) for pattern in patterns)
    ]


def _compare(db_path: Path, exports: Path, skip: tuple[str, ...] = ()) -> dict[str, int]:
    """Rows of each parity table but skip; fails on any column or value that differs
    (beyond TOLERANCE for the CLOSE_ENOUGH columns)."""
    con = duckdb.connect(str(db_path), read_only=True)
    rows = {}
    for table, relation in PARITY_TABLES.items():
        if table in skip:
            continue
        spark = f"read_parquet('{exports / table}/*.parquet')"
        if table in ROWS_COMPARED:
            # build_info's row counts of the skipped tables are skipped too.
            skipped = ", ".join(f"'{name}'" for name in skip)
            where = ROWS_COMPARED[table] + (f" and name not in ({skipped})" * bool(skip))
            relation = f"(select * from {relation} where {where})"
            spark = f"(select * from {spark} where {where})"
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


EARLIER = "2014-05-29"  # the month before the sample's snapshot (its reference date)


def _earlier_snapshot(sample_db: Path, history: Path) -> None:
    """The sample's history store (under the root `history`) holding a DuckDB-written
    snapshot a month before the sample's, in which every tenth customer held the next
    segment: the Spark build must read it, add its own snapshot (a folder) and count
    those customers as moved."""
    from dataclasses import replace

    from customer_personality.warehouse.history import (
        Snapshot,
        now,
        open_store,
        write_manifest,
    )

    store = open_store(history / "sample", "sample")
    con = duckdb.connect(str(sample_db), read_only=True)
    con.execute(
        f"""
        copy (
            select snapshot.* replace (
                case when customer_id % 10 = 0 then coalesce(
                    (select min_by(segment, segment_order) from seeds.segment_definitions
                     where segment_order > definitions.segment_order),
                    (select min_by(segment, segment_order) from seeds.segment_definitions)
                ) else snapshot.segment end as segment,
                date '{EARLIER}' as snapshot_date
            )
            from intermediate.int_segment_snapshot as snapshot
            inner join seeds.segment_definitions as definitions using (segment)
        ) to '{store.snapshot_dir}/{EARLIER}.parquet' (format parquet)
        """
    )
    con.close()
    entry = Snapshot(EARLIER, f"segment_snapshots/{EARLIER}.parquet", "earlier", now())
    write_manifest(replace(store, snapshots={EARLIER: entry}))


@pytest.fixture(scope="module")
def spark_exports(sample_db, tmp_path_factory) -> dict[str, Path]:
    """The sample (every model and data test, its history store holding an earlier
    DuckDB snapshot) and, when present, the real file (every model; its data tests
    run on DuckDB) built on Spark in one process: name -> exports."""
    work = tmp_path_factory.mktemp("spark")
    # As the DuckDB builds name them (build_info's source.path is compared too).
    builds = [(str(SAMPLE_FILE.relative_to(ROOT)), work / "sample", work / "h1", True)]
    _earlier_snapshot(sample_db, work / "h1")
    try:
        builds.append((str(real_file_or_skip()), work / "real", work / "h2", False))
    except pytest.skip.Exception:
        pass
    spark_builds(builds, work / "catalog")
    return {out.name: out for _, out, _, _ in builds} | {"catalog": work / "catalog"}


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
    assert rows["segment_drift"] == 4  # three features and the segment shares
    assert rows["build_vars"] > 0 and rows["build_info"] > rows["build_vars"]


def _check_views_and_report(exports: Path, customers: int) -> None:
    """The views file reads the exports as a DuckDB build's schemas; the report of
    the Spark build is written over it."""
    con = duckdb.connect(str(exports / VIEWS_FILE), read_only=True)
    assert con.sql("select count(*) from main.customers").fetchall() == [(customers,)]
    assert con.sql("select count(*) from seeds.segment_definitions").fetchall() == [(4,)]
    con.close()
    page = (exports / REPORT_FILE).read_text(encoding="utf-8")
    assert "What to do" in page and "Stars" in page


def test_spark_sample_equals_duckdb(sample_db, spark_exports):
    exports = spark_exports["sample"]
    # checked below: they read the history store, which holds an earlier snapshot
    history = ("customer_segment_history", "segment_migrations", "campaign_readout")
    rows = _compare(sample_db, exports, skip=history)
    _check_counts(rows)
    assert rows["rejected_customers"] > 0
    duck, spark = _reasons(sample_db, exports)
    assert spark == duck
    _check_views_and_report(exports, rows["customers"])


def test_spark_history_reads_a_duckdb_snapshot_and_counts_migrations(
    sample_db, spark_exports
):
    """Spark's segment_migrations and customer_segment_history over a store holding a
    DuckDB snapshot (a file) and Spark's own (a folder): every tenth customer moved,
    the rest stayed, as the two snapshots say."""
    exports = spark_exports["sample"]
    con = duckdb.connect(str(sample_db), read_only=True)
    expected = con.sql(
        """
        select
            case when customer_id % 10 = 0 then 'moved' else 'stayed' end as movement,
            count(*)
        from main.customer_segments
        group by all
        order by all
        """
    ).fetchall()
    found = con.sql(
        f"""
        select movement, sum(customers)::bigint, min(from_snapshot_date)::varchar
        from read_parquet('{exports}/segment_migrations/*.parquet')
        group by all
        order by all
        """
    ).fetchall()
    assert [row[:2] for row in found] == expected
    assert {row[2] for row in found} == {EARLIER}
    moved = dict(expected)["moved"]
    history = con.sql(
        f"""
        select count(*), count(*) filter (where is_current),
            count(distinct customer_id)
        from read_parquet('{exports}/customer_segment_history/*.parquet')
        """
    ).fetchall()[0]
    customers = sum(count for _, count in expected)
    assert history == (customers + moved, customers, customers)
    # The earlier snapshot's campaign (a DuckDB file), read out on Spark: its contacted
    # and control people of the strata holding a control, every one found again.
    snapshots = exports.parent / "h1" / "sample" / "segment_snapshots"
    earlier = snapshots / f"{EARLIER}.parquet"
    campaign = con.sql(
        f"""
        with assigned as (
            select segment, campaign_action, campaign_is_control as is_control
            from read_parquet('{earlier}')
            where campaign_contact or campaign_is_control
        ),
        held as (
            select segment, campaign_action from assigned
            group by all having bool_or(is_control)
        )
        select count(*) filter (where not is_control), count(*) filter (where is_control)
        from assigned inner join held using (segment, campaign_action)
        """
    ).fetchall()[0]
    readout = con.sql(
        f"""
        select contacted, control, customers_lost
        from read_parquet('{exports}/campaign_readout/*.parquet')
        where level = 'overall'
        """
    ).fetchall()
    assert campaign[1] > 0 and readout == [(campaign[0], campaign[1], 0)]
    # DuckDB reads the store as Spark left it: its file and Spark's folder.
    snapshots = exports.parent / "h1" / "sample" / "segment_snapshots"
    stored = con.sql(
        f"""
        select snapshot_date::varchar, count(*)
        from read_parquet('{snapshots}/**/*.parquet', union_by_name = true)
        group by all
        order by all
        """
    ).fetchall()
    assert [date for date, _ in stored][0] == EARLIER and len(stored) == 2
    assert [count for _, count in stored] == [customers, customers]
    assert (snapshots / f"{stored[1][0]}.parquet").is_dir()
    con.close()
    # Committed as on DuckDB: in the manifest, with nothing left staged.
    store = read_store(snapshots.parent)
    assert store.base == "sample" and store.dates == tuple(date for date, _ in stored)
    assert list((snapshots.parent / "staging").iterdir()) == []
    assert not (snapshots.parent / "pending.json").exists()


def test_spark_real_file_equals_duckdb(real_db, spark_exports):
    real_file_or_skip()
    exports = spark_exports["real"]
    rows = _compare(real_db, exports)
    _check_counts(rows)
    duck, spark = _reasons(real_db, exports)
    assert spark == duck
    _check_views_and_report(exports, rows["customers"])


def test_a_catalog_table_gives_the_file_builds_customers(sample_db, spark_exports):
    """The sample registered as a table of Spark's catalog (var raw_customers_relation,
    macro spark__raw_input_shape) gives the customers and rejected rows the DuckDB
    build of the file gives, and the rejected rows name the table."""
    con = duckdb.connect(str(sample_db), read_only=True)
    exports = spark_exports["catalog"]
    spark = f"read_parquet('{exports}/customers/*.parquet')"
    columns = "customer_id, segment, spending, income, education_level, wines_segment"
    for left, right in (("main.customers", spark), (spark, "main.customers")):
        differing = con.execute(
            f"select count(*) from (select {columns} from {left} "
            f"except all select {columns} from {right})"
        ).fetchone()[0]
        assert differing == 0
    count = "select count(*) from "
    assert (
        con.execute(count + spark).fetchone()
        == con.execute(count + "main.customers").fetchone()
    )
    rejected = f"read_parquet('{exports}/rejected_customers/*.parquet')"
    pairs = con.execute(
        "select spark.rejection_reason = duck.rejection_reason, spark.source_file "
        f"from {rejected} as spark inner join main.rejected_customers as duck "
        "using (raw_row_number)"
    ).fetchall()
    assert len(pairs) == con.execute(count + "main.rejected_customers").fetchone()[0]
    assert all(same for same, _ in pairs)
    assert {source for _, source in pairs} == {CATALOG_TABLE}
