"""The commit of a build's snapshot with its warehouse (customer_personality.
warehouse.commit): the rename of the published file is the one commit point; before
it the history is as it was, after it the snapshot counts as committed even if the
run stops there; recover completes or drops what a stopped run left; a committed
date is never rewritten by accident."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from customer_personality.warehouse.commit import (
    committed_snapshots,
    finish_commit,
    prepare_commit,
    published_run_id,
    recover,
    same_snapshot,
)
from customer_personality.warehouse.history import (
    HistoryStoreError,
    open_store,
    read_store,
    staging_folder,
)

DATE = "2014-07-01"


def warehouse(path: Path, run_id: str) -> Path:
    """A published file as far as the commit reads it: build_info's invocation_id."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table build_info (section varchar, name varchar, value varchar)"
        )
        con.execute(
            "insert into build_info values ('build', 'invocation_id', ?)", [run_id]
        )
    return path


def stage(store, date: str = DATE, segments: str = "stars") -> Path:
    staged = staging_folder(store) / f"{date}.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select range as customer_id, '{segments}' as segment from range(5)) "
            "to ? (format parquet)",
            [str(staged)],
        )
    return staged


@pytest.fixture
def setup(tmp_path):
    store = open_store(tmp_path / "history", "shop")
    published = warehouse(tmp_path / "published.duckdb", "run-0")
    new = warehouse(tmp_path / "new.duckdb", "run-1")
    return store, published, new


def logged(store) -> list[str]:
    lines = (store.path / "history.log").read_text().splitlines()
    return [json.loads(line)["event"] for line in lines]


def test_published_run_id_reads_build_info(setup, tmp_path):
    _, published, _ = setup
    assert published_run_id(published) == "run-0"
    assert published_run_id(tmp_path / "missing.duckdb") is None


def test_a_commit_counts_from_the_rename_of_the_warehouse(setup):
    store, published, new = setup
    staged = stage(store)
    pending = prepare_commit(store, "run-1", staged, DATE, "append", published)
    assert pending["date"] == DATE and not pending["replaces"]
    assert committed_snapshots(store) == {}  # before the commit point: as it was
    new.rename(published)  # the commit point
    assert committed_snapshots(store) == {DATE: staged}  # after it: committed
    done = finish_commit(store.path)
    final = store.path / "segment_snapshots" / f"{DATE}.parquet"
    assert done.dates == (DATE,) and final.is_file() and not staged.parent.exists()
    assert committed_snapshots(read_store(store.path)) == {DATE: final}
    assert read_store(store.path).snapshots[DATE].rows == 5
    assert not (store.path / "pending.json").exists()
    assert logged(store)[-1] == "committed"


def test_recover_drops_a_commit_whose_warehouse_was_not_published(setup):
    store, published, _ = setup
    staged = stage(store)
    prepare_commit(store, "run-1", staged, DATE, "append", published)
    done = recover(store.path)
    assert any("never published" in line for line in done)
    assert read_store(store.path).dates == ()
    assert not (store.path / "pending.json").exists()
    assert not (store.path / "staging").exists() or not any(
        (store.path / "staging").iterdir()
    )
    assert logged(store)[-2:] == ["abandoned", "cleaned"]


@pytest.mark.parametrize("stopped_after_move", [False, True])
def test_recover_completes_a_commit_whose_warehouse_was_published(
    setup, stopped_after_move
):
    store, published, new = setup
    staged = stage(store)
    prepare_commit(store, "run-1", staged, DATE, "append", published)
    new.rename(published)
    if stopped_after_move:  # stopped inside finish_commit, after the file moved
        staged.rename(store.path / "segment_snapshots" / f"{DATE}.parquet")
    done = recover(store.path)
    assert any("completed the commit of snapshot 2014-07-01" in line for line in done)
    assert read_store(store.path).dates == (DATE,)
    assert (store.path / "segment_snapshots" / f"{DATE}.parquet").is_file()


def test_recover_removes_what_unpublished_builds_staged(setup):
    store, _, _ = setup
    stage(store)
    stage(store, "2014-08-01")
    done = recover(store.path)
    assert done == ["removed 2 snapshot(s) staged by builds that were not published"]
    assert list((store.path / "staging").iterdir()) == []
    assert recover(store.path) == []
    # a publish keeps the snapshot it is about to commit
    kept = stage(store)
    stage(store, "2014-08-01")
    assert recover(store.path, keep=kept.parent) == [
        "removed 1 snapshot(s) staged by builds that were not published"
    ]
    assert list((store.path / "staging").iterdir()) == [kept.parent]


def commit(store, published: Path, run_id: str, staged: Path, mode: str = "append"):
    pending = prepare_commit(store, run_id, staged, DATE, mode, published)
    warehouse(published, run_id)
    return pending and finish_commit(store.path)


def test_a_committed_date_is_kept_when_unchanged_and_refused_when_changed(setup):
    store, published, _ = setup
    commit(store, published, "run-1", stage(store))
    store = read_store(store.path)
    before = (store.path / "store.json").read_bytes()
    # the same segments again: nothing to commit
    assert (
        prepare_commit(store, "run-2", stage(store), DATE, "same_date", published) is None
    )
    assert logged(store)[-1] == "unchanged"
    # other segments under the same date: refused, nothing changed
    with pytest.raises(HistoryStoreError) as raised:
        prepare_commit(
            store, "run-3", stage(store, segments="leaky"), DATE, "same_date", published
        )
    assert "already holds snapshot 2014-07-01" in str(raised.value)
    assert "rebuild_snapshot: true" in str(raised.value)
    assert (store.path / "store.json").read_bytes() == before
    assert not (store.path / "pending.json").exists()


def test_a_rebuilt_date_replaces_its_snapshot_and_is_logged(setup):
    store, published, _ = setup
    commit(store, published, "run-1", stage(store))
    store = read_store(store.path)
    commit(store, published, "run-2", stage(store, segments="leaky"), mode="rebuild")
    final = store.path / "segment_snapshots" / f"{DATE}.parquet"
    with duckdb.connect() as con:
        segments = con.execute(
            "select distinct segment from read_parquet(?)", [str(final)]
        ).fetchall()
    assert segments == [("leaky",)]
    assert read_store(store.path).snapshots[DATE].run_id == "run-2"
    assert logged(store)[-1] == "replaced"


def test_same_snapshot_compares_rows_by_column_name(setup, tmp_path):
    store, _, _ = setup
    one, two = stage(store), stage(store)
    assert same_snapshot(one, two)
    assert not same_snapshot(one, stage(store, segments="leaky"))
    reordered = tmp_path / "reordered.parquet"
    with duckdb.connect() as con:
        con.execute(
            "copy (select 'stars' as segment, range as customer_id from range(5)) "
            "to ? (format parquet)",
            [str(reordered)],
        )
    assert same_snapshot(one, reordered)


def test_a_missing_staged_snapshot_stops_the_publish(setup, tmp_path):
    store, published, _ = setup
    with pytest.raises(HistoryStoreError, match="Nothing was published"):
        prepare_commit(
            store, "run-1", tmp_path / "gone.parquet", DATE, "append", published
        )


def test_an_unreadable_published_warehouse_stops_the_recovery(setup):
    store, published, new = setup
    staged = stage(store)
    prepare_commit(store, "run-1", staged, DATE, "append", published)
    with duckdb.connect(str(published)):  # held open for writing
        with pytest.raises(HistoryStoreError) as raised:
            recover(store.path)
    assert str(published) in str(raised.value) and "run again" in str(raised.value)
    assert (store.path / "pending.json").exists()  # nothing guessed
    assert recover(store.path)[0].startswith("dropped the commit of snapshot")


def test_a_commit_reads_a_spark_export_of_build_info(setup, tmp_path):
    store, _, _ = setup
    exported = tmp_path / "exports" / "build_info"
    exported.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            "copy (select 'build' as section, 'invocation_id' as name, 'run-9' as value) "
            "to ? (format parquet)",
            [str(exported / "part-0.parquet")],
        )
    assert published_run_id(exported) == "run-9"
    staged = stage(store)
    prepare_commit(store, "run-9", staged, DATE, "append", exported)
    assert committed_snapshots(store) == {DATE: staged}


def test_a_commit_waits_for_an_interrupted_one_and_for_the_history_it_read(setup):
    store, published, _ = setup
    prepare_commit(store, "run-1", stage(store), DATE, "append", published)
    with pytest.raises(HistoryStoreError, match="interrupted commit"):
        prepare_commit(store, "run-2", stage(store), DATE, "append", published)
    recover(store.path)
    with pytest.raises(HistoryStoreError) as raised:
        prepare_commit(
            store, "run-2", stage(store), DATE, "append", published, ("2014-06-01",)
        )
    assert "changed while this build ran" in str(raised.value)
    assert not (store.path / "pending.json").exists()
    assert prepare_commit(store, "run-2", stage(store), DATE, "append", published, ())
