"""The segment history store (customer_segment_history, segment_migrations) through
the monthly flow: month 1 fitted and its model exported; month 2 (5% of customers
spending more, 3% new, the rest unchanged) built into a fresh warehouse file with the
model frozen. The history store outside the warehouse carries month 1 into month 2:
unchanged customers keep segment and probabilities, segment_migrations counts exactly
the customers who changed segment, the history grows by one row per changed or new
customer, and rebuilding month 2 adds nothing. Refitting instead records a new
model_version, and replaces month 2 in the history only when asked to (var
rebuild_snapshot). Each build enters the history when it is published, as `make run`
does. On the bundled sample and, when present, the real Kaggle file. A bad model file,
or a store of another format version, fails the build naming it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLE_FILE, connect, query, real_file_or_skip, run_dbt, scalar
from customer_personality.report import write_report
from customer_personality.segments.model_file import ModelFileError, read_model_file
from customer_personality.warehouse.history import read_store
from customer_personality.warehouse.model_export import export_model
from customer_personality.warehouse.publish import publish
from helpers.history import month_two

pytestmark = pytest.mark.build

MONTH_2 = "2014-07-29"
SEGMENTS = (
    "select customer_id, segment, segment_probability, probability_stars, "
    "probability_high_potential, probability_leaky_bucket, probability_need_attention "
    "from customer_segments order by customer_id"
)


def build(db: Path, raw: Path, history: Path, **variables) -> None:
    """Build into db's working file (deleted first: history lives outside) and
    publish it to db with its snapshot, as `make run` does."""
    work = db.parent / "work" / db.name
    work.unlink(missing_ok=True)
    run_dbt(
        "build",
        work,
        {
            "raw_customers_path": str(raw),
            "history_path": str(history),
            **variables,
        },
        tests=False,
    )
    publish(work, db)


def frame(db: Path, sql: str) -> pd.DataFrame:
    with connect(db) as con:
        return con.execute(sql).df()


@pytest.fixture(scope="module", params=["sample", "real"])
def source(request) -> Path:
    return SAMPLE_FILE if request.param == "sample" else real_file_or_skip()


def test_frozen_month_two_keeps_unchanged_customers_and_counts_migrations(
    source, tmp_path
):
    history, db = tmp_path / "history", tmp_path / "warehouse.duckdb"
    # The real file's next month is the same base (the contract's name) whatever its
    # file is called; the bundled sample's base is `sample`, so its month 2 is named.
    base = {"customer_base": "sample"} if source == SAMPLE_FILE else {}
    build(db, source, history, **base)
    first = frame(db, SEGMENTS).set_index("customer_id")
    version = scalar(db, "select any_value(model_version) from segment_model")
    rows_one = scalar(db, "select count(*) from customer_segment_history")
    month_one = scalar(
        db, "select max(valid_from)::varchar from customer_segment_history"
    )
    assert rows_one == len(first)
    assert scalar(db, "select count(*) from segment_migrations") == 0
    model_file = tmp_path / "segment_model.json"
    export_model(db, model_file)
    assert read_model_file(model_file).model_version == version

    raw_two = tmp_path / "month_2.csv"
    raised, new = month_two(source, raw_two)
    frozen = {
        **base,
        "segment_model_mode": "frozen",
        "segment_model_path": str(model_file),
        "snapshot_date": MONTH_2,
    }
    build(db, raw_two, history, **frozen)
    assert query(db, "select distinct model_version from segment_model") == [(version,)]
    second = frame(db, SEGMENTS).set_index("customer_id")
    unchanged = first.index.difference(list(raised))
    # Every unchanged customer keeps segment and probabilities, bit for bit.
    pd.testing.assert_frame_equal(first.loc[unchanged], second.loc[unchanged])
    assert new <= set(second.index) and len(new) > 0.02 * len(first)
    both = first.index.intersection(second.index)
    moved = int((first.loc[both, "segment"] != second.loc[both, "segment"]).sum())
    assert moved > 0, "raising spending moves some customers"
    migrations = {
        (movement, count)
        for movement, count in query(
            db, "select movement, sum(customers) from segment_migrations group by 1"
        )
    }
    assert ("moved", moved) in migrations
    assert ("new", len(set(second.index) - set(first.index))) in migrations
    assert {movement for movement, _ in migrations} <= {"moved", "stayed", "new"}
    dates = query(
        db,
        "select distinct from_snapshot_date::varchar, "
        "to_snapshot_date::varchar from segment_migrations",
    )
    assert dates == [(month_one, MONTH_2)]
    rows_two = scalar(db, "select count(*) from customer_segment_history")
    assert rows_two == rows_one + moved + len(new)
    assert scalar(
        db, "select count(*) from customer_segment_history where is_current"
    ) == len(second)
    # The report's migration view says the same.
    page = write_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{moved:,} customers changed segment" in page
    # Building month 2 again adds nothing: the same segments under a committed date.
    manifest = (history / "store.json").read_bytes()
    build(db, raw_two, history, **frozen)
    assert scalar(db, "select count(*) from customer_segment_history") == rows_two
    assert (history / "store.json").read_bytes() == manifest
    print(
        f"{source.name}: {len(first):,} customers in month 1; month 2 {len(second):,} "
        f"({len(raised):,} raised, {len(new):,} new): {moved:,} moved, history "
        f"{rows_one:,} -> {rows_two:,} rows, model {version}"
    )

    # Refitting month 2 instead (asked for: rebuild_snapshot) replaces it in the
    # history, logged; it records a new model_version, and every customer it scores
    # starts a row under it.
    refit_history = tmp_path / "refit_history"
    shutil.copytree(history, refit_history)
    build(
        db, raw_two, refit_history, snapshot_date=MONTH_2, rebuild_snapshot=True, **base
    )
    assert read_store(refit_history).dates == (month_one, MONTH_2)
    log = (refit_history / "history.log").read_text().splitlines()
    assert json.loads(log[-1])["event"] == "replaced"
    refit = scalar(db, "select any_value(model_version) from segment_model")
    assert refit != version
    assert query(
        db, "select distinct model_version from customer_segment_history where is_current"
    ) == [(refit,)]
    assert scalar(db, "select count(*) from customer_segment_history") == rows_one + len(
        second
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "does not exist"),
        ("not json {", "is not a model file (not JSON"),
        (json.dumps({"format": "other"}), "is not a model file"),
        ("edit", "is corrupt: its parameters give model_version"),
        ("features", "was fitted on the features"),
    ],
)
def test_a_bad_model_file_fails_the_build_naming_the_file(
    sample_db, tmp_path, content, problem
):
    model_file = tmp_path / "model.json"
    if content in ("edit", "features"):
        export_model(sample_db, model_file)
        document = json.loads(model_file.read_text())
        if content == "edit":
            document["parameters"][0]["value"] += 1.0
        else:
            document["features"] = ["income", "recency_days", "spending"]
            # the digest covers the parameters only: this file reads, but not here
        model_file.write_text(json.dumps(document))
    elif content is not None:
        model_file.write_text(content)
    with pytest.raises(ModelFileError, match="segment model file"):
        read_model_file(model_file, ("income", "seniority_months", "spending"))
    result = run_dbt(
        "build",
        tmp_path / "frozen.duckdb",
        {"segment_model_mode": "frozen", "segment_model_path": str(model_file)},
        select="+int_segment_model",
        tests=False,
        check=False,
    )
    assert not result.success
    assert str(model_file) in result.output and problem in result.output


def test_a_store_of_another_version_is_never_overwritten(tmp_path):
    history = tmp_path / "history"
    (history / "segment_snapshots").mkdir(parents=True)
    manifest = history / "store.json"
    manifest.write_text(
        json.dumps(
            {"format": "customer-personality segment history", "format_version": 99}
        )
    )
    result = run_dbt(
        "build",
        tmp_path / "warehouse.duckdb",
        {"history_path": str(history)},
        select="+int_history_store",
        tests=False,
        check=False,
    )
    assert not result.success
    assert "format_version 99" in result.output and str(history) in result.output
    assert json.loads(manifest.read_text())["format_version"] == 99
    assert list((history / "segment_snapshots").iterdir()) == []
