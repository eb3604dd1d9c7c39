"""Committing a build's snapshot to the history store together with its warehouse.

Two files cannot be renamed in one step, so the commit is a journal with one commit
point, the rename of the published warehouse (or, on Spark, of its views file):

1. the build staged its snapshot at staging/<token>/<date>.parquet;
2. prepare_commit writes pending.json (run, date, staged file, published file);
3. the caller renames the new warehouse over the published one: the commit point;
4. finish_commit moves the staged snapshot into segment_snapshots/, records it in
   store.json and history.log, and removes pending.json and the staging folder.

A run stopped anywhere leaves a consistent history: before step 3 the published
warehouse is the old one, and pending.json is void; after it, the published
warehouse names the pending run (build_info's invocation_id), and the commit counts
as made. committed_snapshots reads the store that way at any moment, and recover
(run under the store's lock at the start of every run) completes or drops a
pending commit and removes what stopped runs staged.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb

from customer_personality.warehouse.history import (
    PENDING,
    SNAPSHOTS,
    STAGING,
    HistoryStore,
    HistoryStoreError,
    Snapshot,
    log_event,
    now,
    read_store,
    sync_dir,
    write_json,
    write_manifest,
)


def published_run_id(published: Path) -> str | None:
    """The invocation_id of the build a published warehouse holds (a DuckDB file; on
    Spark the exported build_info folder); None when nothing is published there. A
    published warehouse that cannot be read stops here, naming it: a commit is never
    guessed."""
    published = Path(published)
    if not published.exists():
        return None
    sql = "select value from {} where section = 'build' and name = 'invocation_id'"
    try:
        if published.is_dir():
            with duckdb.connect() as con:
                glob = str(published / "*.parquet").replace("'", "''")
                found = con.execute(sql.format(f"read_parquet('{glob}')")).fetchone()
        else:
            with duckdb.connect(str(published), read_only=True) as con:
                found = con.execute(sql.format("build_info")).fetchone()
    except duckdb.Error as error:
        raise HistoryStoreError(
            f"cannot read the published warehouse {published} to see whether the "
            f"commit in its history store's {PENDING} was made ({error}). Close the "
            "program that holds it open for writing, and run again; the history is "
            "left as it is"
        ) from None
    return None if found is None else str(found[0])


def read_pending(store_path: Path) -> dict | None:
    pending = Path(store_path) / PENDING
    if not pending.is_file():
        return None
    try:
        found = json.loads(pending.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None  # a torn write cannot happen (rename), but never trust it
    return found if isinstance(found, dict) and "run_id" in found else None


def _pending_committed(store_path: Path, pending: dict | None) -> bool:
    return pending is not None and published_run_id(Path(pending["published"])) == str(
        pending["run_id"]
    )


def _final_file(date: str) -> str:
    return f"{SNAPSHOTS}/{date}.parquet"


def committed_snapshots(store: HistoryStore) -> dict[str, Path]:
    """Date -> snapshot path of every committed snapshot, a commit past its commit
    point included (read only: safe while another run commits)."""
    found = {date: store.snapshot_path(date) for date in store.dates}
    pending = read_pending(store.path)
    if _pending_committed(store.path, pending):
        staged = Path(pending["staged"])
        final = store.path / _final_file(pending["date"])
        found[pending["date"]] = staged if staged.exists() else final
    return dict(sorted(found.items()))


def parquet_glob(path: Path) -> str:
    """A snapshot's files for read_parquet: the file, or a Spark folder's parts."""
    return str(path / "*.parquet") if path.is_dir() else str(path)


def same_snapshot(one: Path, other: Path) -> bool:
    """Two snapshots hold the same rows (the same columns, by name): segments,
    probabilities and model version."""
    try:
        return _same_rows(one, other)
    except duckdb.Error:  # columns of other types: not the same
        return False


def _same_rows(one: Path, other: Path) -> bool:
    with duckdb.connect() as con:
        con.execute("set threads = 1")
        frames = []
        for index, path in enumerate((one, other)):
            glob = parquet_glob(path).replace("'", "''")
            con.execute(f"create view s{index} as select * from read_parquet('{glob}')")
            frames.append(
                [row[0] for row in con.execute(f"describe s{index}").fetchall()]
            )
        if sorted(frames[0]) != sorted(frames[1]):
            return False
        columns = ", ".join(f'"{name}"' for name in sorted(frames[0]))
        differ = con.execute(
            f"select (select count(*) from (select {columns} from s0 except all "
            f"select {columns} from s1)) + (select count(*) from (select {columns} "
            f"from s1 except all select {columns} from s0))"
        ).fetchone()[0]
    return differ == 0


def prepare_commit(
    store: HistoryStore,
    run_id: str,
    staged: Path,
    date: str,
    mode: str,
    published: Path,
    read_dates: tuple[str, ...] | None = None,
) -> dict | None:
    """Step 2, under the store's lock: record the commit about to be made. Returns
    the pending record, or None when there is nothing to commit (the same rows are
    already committed under this date). A date already committed with other rows is
    refused unless the build was a rebuild; so is a build that read another history
    than the store now holds (read_dates: the committed dates it read)."""
    if (store.path / PENDING).exists():
        raise HistoryStoreError(
            f"history store {store.path} holds an interrupted commit ({PENDING}): run "
            "again with make run, which completes or drops it first. Nothing was "
            "published"
        )
    staged = Path(staged)
    if not staged.exists():
        raise HistoryStoreError(
            f"this build's snapshot {staged} is missing: it was not built with this "
            f"history store ({store.path}), or it was removed. Nothing was published"
        )
    committed = committed_snapshots(store)
    if read_dates is not None and tuple(sorted(committed)) != tuple(read_dates):
        raise HistoryStoreError(
            f"not published: the history of customer base '{store.base}' "
            f"({store.path}) changed while this build ran (it read "
            f"{', '.join(read_dates) or 'no snapshot'}; it holds "
            f"{', '.join(committed) or 'none'} now), so its migrations compare with "
            "the wrong month. Build again. The published warehouse and the history are "
            "left as they were"
        )
    if date in committed and mode != "rebuild":
        if same_snapshot(staged, committed[date]):
            log_event(store.path, "unchanged", date=date, run_id=run_id)
            return None
        raise HistoryStoreError(
            f"not published: the history of customer base '{store.base}' "
            f"({store.path}) already holds snapshot {date}, with other segments (or "
            "another campaign assignment) than this build's. A published snapshot is "
            "never rewritten by accident: set "
            "var rebuild_snapshot: true to replace it (logged in history.log), or var "
            "snapshot_date to the date this build stands for. The published warehouse "
            "and the history are left as they were"
        )
    pending = {
        "run_id": run_id,
        "date": date,
        "mode": mode,
        "replaces": date in committed,
        "staged": str(staged),
        "published": str(Path(published).resolve()),
        "prepared_at": now(),
    }
    write_json(store.path / PENDING, pending)
    return pending


def _rows(path: Path) -> int | None:
    try:
        with duckdb.connect() as con:
            return int(
                con.execute(
                    "select count(*) from read_parquet(?)", [parquet_glob(path)]
                ).fetchone()[0]
            )
    except duckdb.Error:
        return None


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def finish_commit(store_path: Path) -> HistoryStore:
    """Step 4, and the roll-forward of recover: idempotent wherever it stopped."""
    store_path = Path(store_path)
    pending = read_pending(store_path)
    store = read_store(store_path)
    if pending is None or store is None:
        raise HistoryStoreError(f"history store {store_path}: no commit to finish")
    date, run_id = pending["date"], str(pending["run_id"])
    staged = Path(pending["staged"])
    final = store_path / _final_file(date)
    aside = staged.parent / f"replaced-{date}.parquet"
    if staged.exists():
        if final.exists():
            _remove(aside)
            final.rename(aside)
        staged.rename(final)
        sync_dir(final.parent)
    snapshot = Snapshot(date, _final_file(date), run_id, now(), _rows(final))
    store = replace(store, snapshots={**store.snapshots, date: snapshot})
    write_manifest(store)
    event = "replaced" if pending.get("replaces") else "committed"
    log_event(
        store_path,
        event,
        date=date,
        run_id=run_id,
        rows=snapshot.rows,
        mode=pending.get("mode"),
    )
    (store_path / PENDING).unlink(missing_ok=True)
    _remove(staged.parent)
    return store


def recover(store_path: Path, keep: Path | None = None) -> list[str]:
    """Under the store's lock, before a run (or a publish): complete a commit that
    passed its commit point, drop one that did not, remove what stopped runs staged
    (but `keep`, the staging folder of the build being published). Returns what was
    done, for the run to say."""
    store_path = Path(store_path)
    if read_store(store_path) is None:
        return []
    done = []
    pending = read_pending(store_path)
    if (store_path / PENDING).exists():
        if _pending_committed(store_path, pending):
            finish_commit(store_path)
            done.append(
                f"completed the commit of snapshot {pending['date']} (its warehouse was "
                "published when the run stopped)"
            )
        else:
            (store_path / PENDING).unlink()
            what = f"snapshot {pending['date']}" if pending else "an unreadable commit"
            log_event(store_path, "abandoned", pending=pending)
            done.append(
                f"dropped the commit of {what}: its warehouse was never published"
            )
    staging = store_path / STAGING
    leftovers = sorted(
        item for item in (staging.iterdir() if staging.is_dir() else []) if item != keep
    )
    for folder in leftovers:
        _remove(folder)
    if leftovers:
        log_event(store_path, "cleaned", staged=[item.name for item in leftovers])
        done.append(
            f"removed {len(leftovers)} snapshot(s) staged by builds that were not "
            "published"
        )
    return done
