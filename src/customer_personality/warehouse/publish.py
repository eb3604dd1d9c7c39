"""Publishing the built warehouse for readers, with its segment snapshot, and
exporting the public marts.

dbt builds into a working file; `publish` copies it into a new file in a storage
format DuckDB 1.4 can open (BI tools bundle older DuckDB releases) and renames that
file over the published path in one atomic step. A reader that has the published file
open keeps reading the version it opened; a reader that opens it after the rename gets
the new one; nobody ever sees a half-built file, and readers never block the build.
That rename is also the commit point of the build's segment snapshot, which enters
the history store with it (warehouse.commit) or not at all.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from customer_personality.warehouse.commit import finish_commit, prepare_commit, recover
from customer_personality.warehouse.connection import INTERMEDIATE_SCHEMA, MARTS_SCHEMA
from customer_personality.warehouse.history import open_store
from customer_personality.warehouse.lock import hold_locks, warehouse_lock_file
from customer_personality.warehouse.summary import skipped_marts

# DuckDB 1.4 is the oldest release the published file must open in.
STORAGE_VERSION = "v1.4.0"
EXPORT_TABLES: tuple[str, ...] = (
    "customers",
    "customer_segments",
    "segment_profiles",
    "association_rules",
    "customer_actions",
    "customer_duplicates",
)
EXPORT_FORMATS: tuple[str, ...] = ("parquet", "csv")


def _say(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@dataclass(frozen=True)
class StagedSnapshot:
    """A build's snapshot waiting for its publish (int_history_store's row)."""

    run_id: str
    store: Path
    base: str
    date: str
    mode: str
    staged: Path
    read_dates: tuple[str, ...]


def read_staged_snapshot(
    query: Callable[[str], list[tuple]], marts: str, intermediate: str
) -> StagedSnapshot | None:
    """The snapshot a build staged, from its tables (query runs SQL on its engine);
    None when the build makes no history (build_info lists its marts as skipped)."""
    facts = dict(
        query(
            f"select name, value from {marts}.build_info "
            "where section = 'skipped' or (section = 'build' and name = 'invocation_id')"
        )
    )
    if "segment_migrations" in facts:
        return None
    path, base, date, mode, staged, read = query(
        "select history_path, customer_base, cast(snapshot_date as string), "
        f"snapshot_mode, staging_path, committed_dates from {intermediate}."
        "int_history_store"
    )[0]
    return StagedSnapshot(
        str(facts["invocation_id"]),
        Path(path),
        base,
        date,
        mode,
        Path(staged),
        tuple(json.loads(read)),
    )


def staged_snapshot(work_db: Path) -> StagedSnapshot | None:
    """The snapshot the DuckDB build in work_db staged, or None."""
    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.Error as error:
        raise ValueError(
            f"cannot open the built warehouse {work_db} ({error}): is a build still "
            "writing it? Nothing was published"
        ) from None
    with con:
        return read_staged_snapshot(
            lambda sql: con.execute(sql).fetchall(), MARTS_SCHEMA, INTERMEDIATE_SCHEMA
        )


def history_lock(store: Path) -> tuple[Path, str]:
    return Path(store) / ".lock", f"the history store {store}"


def publish(
    work_db: Path,
    published_db: Path,
    storage_version: str = STORAGE_VERSION,
    locks_held: bool = False,
) -> Path:
    """Copy work_db into a fresh file readable by DuckDB `storage_version` and rename
    it over published_db atomically, committing the build's segment snapshot to its
    history store with it. Returns published_db. locks_held: the caller (a run) holds
    the warehouse's and the store's locks; else publish takes them.

    Both files must have the same name (stem): views refer to their tables through the
    database name, which DuckDB takes from the file name.
    """
    work_db, published_db = Path(work_db), Path(published_db)
    if not work_db.exists():
        raise FileNotFoundError(f"no built warehouse at {work_db}: run dbt build first")
    if work_db.resolve() == published_db.resolve():
        raise ValueError("the working and the published file must differ")
    if work_db.stem != published_db.stem:
        raise ValueError(
            f"the working file ({work_db.name}) and the published file "
            f"({published_db.name}) must have the same name: views refer to the "
            "database by its file name"
        )
    snapshot = staged_snapshot(work_db)
    if locks_held:
        return _publish(work_db, published_db, storage_version, snapshot)
    locks = [(warehouse_lock_file(published_db), str(published_db.resolve()))]
    locks += [history_lock(snapshot.store)] if snapshot else []
    notes: list[str] = []
    with hold_locks(locks, "publish", notes):
        notes += recover(snapshot.store, snapshot.staged.parent) if snapshot else []
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return _publish(work_db, published_db, storage_version, snapshot)


def _publish(
    work_db: Path,
    published_db: Path,
    storage_version: str,
    snapshot: StagedSnapshot | None,
) -> Path:
    started = time.perf_counter()
    published_db.parent.mkdir(parents=True, exist_ok=True)
    staging = published_db.with_name(f".{published_db.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    try:
        with duckdb.connect() as con:
            con.execute(f"attach {_quote(work_db)} as work (read_only)")
            con.execute(
                f"attach {_quote(staging)} as published "
                f"(storage_version '{storage_version}')"
            )
            con.execute("copy from database work to published")
            con.execute("detach published")
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        commit_with(
            snapshot,
            published_db,
            lambda: os.replace(staging, published_db),
            lambda: _say(
                f"published {published_db} (readable by DuckDB {storage_version[1:]})",
                started,
            ),
        )
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    return published_db


def commit_with(
    snapshot: StagedSnapshot | None,
    published: Path,
    make_visible: Callable[[], None],
    said: Callable[[], None] = lambda: None,
) -> None:
    """Publish with the snapshot: record the commit (the store's pending.json), then
    make_visible() (the rename that publishes: the commit point), then complete it.
    A date committed with other segments stops here, before anything is visible."""
    pending = None
    if snapshot is not None:
        store = open_store(snapshot.store, snapshot.base)
        pending = prepare_commit(
            store,
            snapshot.run_id,
            snapshot.staged,
            snapshot.date,
            snapshot.mode,
            published,
            snapshot.read_dates,
        )
    make_visible()
    said()
    if snapshot is None:
        return
    if pending is not None:
        finish_commit(snapshot.store)
    else:  # the same segments were already committed under this date
        shutil.rmtree(snapshot.staged.parent, ignore_errors=True)
    what = (
        "unchanged, already in"
        if pending is None
        else ("replaced in" if pending["replaces"] else "committed to")
    )
    print(
        f"snapshot {snapshot.date} {what} the history of customer base "
        f"'{snapshot.base}' ({snapshot.store})",
        file=sys.stderr,
    )


def export_marts(
    db_path: Path,
    out_dir: Path,
    tables: Sequence[str] = EXPORT_TABLES,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> list[Path]:
    """Write each table as <out_dir>/<table>.<format>; each file appears atomically."""
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `make run` first")
    unknown = set(formats) - set(EXPORT_FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s) {sorted(unknown)}: use parquet, csv")
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with duckdb.connect(str(db_path), read_only=True) as con:
        present = {row[0] for row in con.execute("show tables").fetchall()}
        skipped = skipped_marts(con) if "build_info" in present else {}
        missing = [
            table for table in tables if table not in present and table not in skipped
        ]
        if missing:
            raise ValueError(f"{db_path} has no table(s) {missing}: run the full build")
        for table in tables:
            if table in skipped:
                _say(f"not exported {table}: {skipped[table]}", started)
                continue
            for fmt in formats:
                target = out_dir / f"{table}.{fmt}"
                partial = out_dir / f".{table}.{fmt}.tmp"
                options = "format parquet" if fmt == "parquet" else "format csv, header"
                con.execute(
                    f'copy (select * from "{table}") to {_quote(partial)} ({options})'
                )
                os.replace(partial, target)
                written.append(target)
            _say(f"exported {table}", started)
    return written
