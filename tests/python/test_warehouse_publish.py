"""customer_personality.warehouse.publish, publishing a built warehouse for readers:
atomic (a reader keeps a consistent file while `make run` republishes it), readable
by DuckDB 1.4, and exports that round-trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE_FILE, connect, scalar
from customer_personality.warehouse.publish import EXPORT_TABLES, export_marts, publish

pytestmark = pytest.mark.build

OLD_DUCKDB_PYTHON = ROOT / ".venv-duckdb14" / "bin" / "python"


@pytest.fixture(scope="module")
def published(sample_db, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("published") / sample_db.name
    return publish(sample_db, target)


def relations(db_path: Path) -> dict[str, int]:
    with connect(db_path) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables order by 1, 2"
        ).fetchall()
        return {
            f"{schema}.{name}": con.execute(
                f'select count(*) from "{schema}"."{name}"'
            ).fetchone()[0]
            for schema, name in names
        }


def test_published_file_has_every_relation_and_macro(sample_db, published):
    assert relations(published) == relations(sample_db)
    # The scoring macros survive publishing: a high-value senior customer is a Star,
    # and every customer scores to the segment the build gave them.
    assert scalar(published, "select score_segment(90000, 20, 1500)") == "Stars"
    rescored = scalar(
        published,
        "select count(*) filter (where score_segment(income, seniority_months, "
        "spending) = segment) from customers",
    )
    assert rescored == scalar(sample_db, "select count(*) from customers")


def test_publish_refuses_a_mismatched_name(sample_db, tmp_path):
    with pytest.raises(ValueError, match="same name"):
        publish(sample_db, tmp_path / "other.duckdb")


def test_published_file_opens_in_duckdb_14(published):
    if not OLD_DUCKDB_PYTHON.exists():
        pytest.skip(f"{OLD_DUCKDB_PYTHON} missing: `make test-setup` installs DuckDB 1.4")
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "names = con.execute('select table_schema, table_name "
        "from information_schema.tables order by 1, 2').fetchall()\n"
        "counts = {f'{s}.{n}': con.execute(f'select count(*) from \"{s}\".\"{n}\"')"
        ".fetchone()[0] for s, n in names}\n"
        "segment = con.execute('select score_segment(90000, 20, 1500)').fetchone()[0]\n"
        "print(json.dumps({'version': duckdb.__version__, 'counts': counts, "
        "'segment': segment}))\n"
    )
    result = subprocess.run(
        [str(OLD_DUCKDB_PYTHON), "-c", script, str(published)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["version"].startswith("1.4")
    assert seen["counts"] == relations(published)
    for mart in EXPORT_TABLES + ("segment_model", "cluster_evaluation", "aha_moments"):
        assert seen["counts"][f"main.{mart}"] > 0
    assert seen["segment"] == scalar(published, "select score_segment(90000, 20, 1500)")


def test_exports_round_trip(published, tmp_path):
    written = export_marts(published, tmp_path / "exports")
    assert len(written) == 2 * len(EXPORT_TABLES)
    with duckdb.connect() as con:
        for table in EXPORT_TABLES:
            rows = scalar(published, f"select count(*) from {table}")
            parquet = tmp_path / "exports" / f"{table}.parquet"
            csv = tmp_path / "exports" / f"{table}.csv"
            assert con.execute(f"select count(*) from '{parquet}'").fetchone()[0] == rows
            assert con.execute(f"select count(*) from '{csv}'").fetchone()[0] == rows
    with connect(published) as con:
        stored = con.execute("select * from customers order by customer_id").fetchall()
        exported = con.execute(
            f"select * from '{tmp_path / 'exports' / 'customers.parquet'}' "
            "order by customer_id"
        ).fetchall()
    assert stored == exported


READER = """
import duckdb, json, sys, time
con = duckdb.connect(sys.argv[1], read_only=True)
sql = ("select (select count(*) from customers),"
       " (select count(*) from customer_segments),"
       " (select count(*) from customer_actions)"
       " + (select count(*) from customer_duplicates),"
       " (select count(*) from customer_scores)")
first = con.execute(sql).fetchone()
print("ready", flush=True)
checks, inconsistent = 0, 0
stop = sys.argv[2]
import os
while not os.path.exists(stop):
    row = con.execute(sql).fetchone()
    checks += 1
    if row != first or len(set(row)) != 1:
        inconsistent += 1
    time.sleep(0.05)
print(json.dumps({"first": first, "checks": checks, "inconsistent": inconsistent}))
"""


def test_reader_does_not_block_make_run_and_stays_consistent(published, tmp_path):
    """A reader holds the published file open read-only while `make run` rebuilds and
    republishes it: the run succeeds, the reader keeps a consistent old version, and
    a new reader sees the new one."""
    rows = SAMPLE_FILE.read_text().splitlines(keepends=True)
    smaller = tmp_path / "smaller.tsv"
    smaller.write_text("".join(rows[:-300]))
    before = scalar(published, "select count(*) from customers")
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "ready"
        env = {**os.environ, "MAKEFLAGS": ""}
        started = time.perf_counter()
        run = subprocess.run(
            [
                "make",
                "run",
                f"PUBLISHED_DB={published}",
                f"RAW={smaller}",
                f"EXPORTS_DIR={tmp_path / 'exports'}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        elapsed = time.perf_counter() - started
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["checks"] > 0
    assert seen["inconsistent"] == 0
    assert seen["first"][0] == before
    after = scalar(published, "select count(*) from customers")
    assert after < before, "a new reader sees the rebuilt warehouse"
    assert elapsed < 300
