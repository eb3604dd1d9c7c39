"""Publishing the built warehouse for readers, and exporting the public marts.

dbt builds into a working file; `publish` copies it into a new file in a storage
format DuckDB 1.4 can open (BI tools bundle older DuckDB releases) and renames that
file over the published path in one atomic step. A reader that has the published file
open keeps reading the version it opened; a reader that opens it after the rename gets
the new one; nobody ever sees a half-built file, and readers never block the build.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

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


def publish(
    work_db: Path, published_db: Path, storage_version: str = STORAGE_VERSION
) -> Path:
    """Copy work_db into a fresh file readable by DuckDB `storage_version` and rename
    it over published_db atomically. Returns published_db.

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
        os.replace(staging, published_db)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    _say(f"published {published_db} (readable by DuckDB {storage_version[1:]})", started)
    return published_db


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
        missing = [table for table in tables if table not in present]
        if missing:
            raise ValueError(f"{db_path} has no table(s) {missing}: run the full build")
        for table in tables:
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
