"""The segment history store: where each build's segments are kept, outside the
warehouse the next build replaces.

A store is a directory (var history_path, default build/history) holding store.json
(STORE_FORMAT, STORE_VERSION) and segment_snapshots/<snapshot_date>.parquet, one file
per snapshot: every customer's segment, probabilities and model_version on that date,
written by the build (macro write_segment_snapshot). Building the same snapshot date
again writes the same file again, so it adds nothing. prepare_store makes a new store
and refuses one written by another version, or a directory that is not a store, with
a message naming the path: a store is never silently overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

STORE_FORMAT = "customer-personality segment history"
STORE_VERSION = 1
MANIFEST = "store.json"
SNAPSHOTS = "segment_snapshots"


class HistoryStoreError(ValueError):
    """A history store that cannot be written to."""


@dataclass(frozen=True)
class HistoryStore:
    path: Path
    snapshots: tuple[str, ...]  # the snapshot dates already stored, ascending

    @property
    def snapshot_dir(self) -> Path:
        return self.path / SNAPSHOTS


def _stored_dates(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(file.stem for file in folder.glob("*.parquet")))


def prepare_store(path: Path) -> HistoryStore:
    """The store at path, made when path does not exist or is an empty directory."""
    path = Path(path).resolve()
    manifest = path / MANIFEST
    if path.exists() and not path.is_dir():
        raise HistoryStoreError(f"history store {path} is a file, not a directory")
    if manifest.is_file():
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise HistoryStoreError(
                f"history store {path}: {manifest.name} is not readable ({error}); "
                "the store is left as it is"
            ) from None
        if not isinstance(found, dict) or found.get("format") != STORE_FORMAT:
            raise HistoryStoreError(
                f"history store {path}: {manifest.name} is not a segment history "
                "manifest; the store is left as it is (set var history_path elsewhere)"
            )
        if found.get("format_version") != STORE_VERSION:
            raise HistoryStoreError(
                f"history store {path} was written with format_version "
                f"{found.get('format_version')!r}; this version of the project writes "
                f"{STORE_VERSION}. The store is left as it is: migrate it or set var "
                "history_path to a new directory"
            )
    elif path.is_dir() and any(path.iterdir()):
        raise HistoryStoreError(
            f"history store {path} holds files but no {MANIFEST}: it is not a segment "
            "history store, and is left as it is (set var history_path elsewhere)"
        )
    else:
        path.mkdir(parents=True, exist_ok=True)
        manifest.write_text(
            json.dumps({"format": STORE_FORMAT, "format_version": STORE_VERSION}) + "\n",
            encoding="utf-8",
        )
    snapshots = path / SNAPSHOTS
    snapshots.mkdir(exist_ok=True)
    return HistoryStore(path, _stored_dates(snapshots))
