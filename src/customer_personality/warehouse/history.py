"""The segment history store: where each published build's segments are kept,
outside the warehouse the next build replaces. One store per customer base.

A store is a directory:

    store.json                          the manifest: format, format_version, base
                                        and the committed snapshots
                                        {date: {file, run_id, committed_at, rows}}
    segment_snapshots/<date>.parquet    a committed snapshot (a file written by
                                        DuckDB, a folder of part files by Spark)
    staging/<token>/<date>.parquet      a build's snapshot, not yet committed
    pending.json                        a commit under way (warehouse.commit)
    history.log                         one JSON line per commit, replacement,
                                        recovery and clean-up
    .lock                               held by the run that uses the store

A build only stages its snapshot; the publish step commits it with the warehouse
(warehouse.commit), so a build that fails, is killed or is not published leaves the
store as it was. The manifest is the truth: a file in segment_snapshots/ that it
does not list is not part of the history.

The store belongs to one customer base (resolve_store): var customer_base, else the
bundled sample's `sample`, else the input contract's name, else the input's name.
By default each base has its own store, <root>/<base> (root: var history_root or
$CUSTOMER_PERSONALITY_HISTORY, else build/history); var history_path names a store
exactly, and a store of another base is refused.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as date_type
from pathlib import Path

STORE_FORMAT = "customer-personality segment history"
STORE_VERSION = 2
MANIFEST = "store.json"
SNAPSHOTS = "segment_snapshots"
STAGING = "staging"
PENDING = "pending.json"
LOG = "history.log"
LOCK = ".lock"
DEFAULT_ROOT = "build/history"
ROOT_ENV = "CUSTOMER_PERSONALITY_HISTORY"
# The input `make run` reads when given none: its base is `sample`.
BUNDLED_SAMPLE = "data/sample/marketing_campaign.csv"
SAMPLE_BASE = "sample"


class HistoryStoreError(ValueError):
    """A history store that cannot be used as asked; the store is left as it is."""


@dataclass(frozen=True)
class Snapshot:
    date: str
    file: str  # relative to the store
    run_id: str
    committed_at: str
    rows: int | None = None

    def manifest_entry(self) -> dict:
        return {
            "file": self.file,
            "run_id": self.run_id,
            "committed_at": self.committed_at,
            "rows": self.rows,
        }


@dataclass(frozen=True)
class HistoryStore:
    path: Path
    base: str
    snapshots: dict[str, Snapshot] = field(default_factory=dict)  # date -> committed

    @property
    def snapshot_dir(self) -> Path:
        return self.path / SNAPSHOTS

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(sorted(self.snapshots))

    def snapshot_path(self, date: str) -> Path:
        return self.path / self.snapshots[date].file


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def base_name(text: str) -> str:
    """A base name as stored: lower case letters, digits and underscores."""
    name = re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower()).strip("_")
    if not name:
        raise HistoryStoreError(
            f"customer base {text!r} has no letters or digits: name it with var "
            "customer_base (letters, digits and underscores)"
        )
    return name


def input_name(raw_path: str | None, relation: str | None) -> str:
    """The name of an input: its relation, or its file name without the extension
    and without dates or other digits (`crm_export_2014-08.csv`: crm_export), or,
    when that leaves no letter, its folder's (`crm/2014-08.csv`: crm)."""
    if relation:
        return base_name(relation)
    path = Path(str(raw_path or ""))
    for name in (path.name.split(".")[0], path.parent.name):
        without_dates = re.sub(r"[^0-9A-Za-z]*[0-9]+", "", name).strip("-_. ")
        if re.search(r"[A-Za-z]", without_dates):
            return base_name(without_dates)
    return "customers"


def is_bundled_sample(raw_path: str | None, relation: str | None) -> bool:
    if relation or not raw_path:
        return False
    return Path(raw_path).resolve() == Path(BUNDLED_SAMPLE).resolve()


def resolve_base(
    customer_base: str | None,
    raw_path: str | None,
    relation: str | None,
    contract_name: str | None,
) -> str:
    """The customer base of a build (README "History"): var customer_base, else
    `sample` for the bundled sample, else the input contract's name, else the
    input's name."""
    if customer_base:
        return base_name(customer_base)
    if is_bundled_sample(raw_path, relation):
        return SAMPLE_BASE
    if contract_name:
        return base_name(contract_name)
    return input_name(raw_path, relation)


def resolve_store_path(
    history_path: str | None, history_root: str | None, base: str
) -> Path:
    """var history_path exactly; else <root>/<base>, root var history_root, else
    $CUSTOMER_PERSONALITY_HISTORY, else build/history."""
    if history_path:
        return Path(history_path).resolve()
    root = history_root or os.environ.get(ROOT_ENV) or DEFAULT_ROOT
    return (Path(root) / base).resolve()


def write_json(path: Path, content: object) -> None:
    """Write path atomically and durably: a temporary file, fsync, rename."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(content, indent=2, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    sync_dir(path.parent)


def sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def log_event(store_path: Path, event: str, **facts: object) -> None:
    """Append one line to the store's history.log."""
    line = json.dumps({"at": now(), "event": event, **facts}, sort_keys=True)
    with open(store_path / LOG, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _read_manifest(path: Path) -> dict | None:
    manifest = path / MANIFEST
    if not manifest.is_file():
        return None
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HistoryStoreError(
            f"history store {path}: {MANIFEST} is not readable ({error}); the store "
            "is left as it is"
        ) from None
    if not isinstance(found, dict) or found.get("format") != STORE_FORMAT:
        raise HistoryStoreError(
            f"history store {path}: {MANIFEST} is not a segment history manifest; the "
            "store is left as it is (set var history_path elsewhere)"
        )
    version = found.get("format_version")
    if version == 1:
        raise HistoryStoreError(
            f"history store {path} was written by an earlier version of the project "
            "(format_version 1: it records no customer base and no commits). It is "
            "left as it is: upgrade it once with `python -m customer_personality "
            f"history upgrade {path} --base <name> --in-place` (README "
            '"History"), or set var history_path to a new directory'
        )
    if version != STORE_VERSION:
        raise HistoryStoreError(
            f"history store {path} was written with format_version {version!r}; this "
            f"version of the project writes {STORE_VERSION}. The store is left as it "
            "is: set var history_path to a new directory"
        )
    return found


def _store_from(path: Path, found: dict) -> HistoryStore:
    snapshots = {
        date: Snapshot(
            date,
            entry["file"],
            entry.get("run_id", ""),
            entry.get("committed_at", ""),
            entry.get("rows"),
        )
        for date, entry in (found.get("snapshots") or {}).items()
    }
    return HistoryStore(path, str(found.get("base", "")), snapshots)


def write_manifest(store: HistoryStore) -> None:
    write_json(
        store.path / MANIFEST,
        {
            "format": STORE_FORMAT,
            "format_version": STORE_VERSION,
            "base": store.base,
            "snapshots": {
                date: store.snapshots[date].manifest_entry() for date in store.dates
            },
        },
    )


def read_store(path: Path) -> HistoryStore | None:
    """The store at path as its manifest says, or None when there is none yet."""
    path = Path(path).resolve()
    if path.exists() and not path.is_dir():
        raise HistoryStoreError(f"history store {path} is a file, not a directory")
    found = _read_manifest(path)
    return None if found is None else _store_from(path, found)


def open_store(path: Path, base: str, create: bool = True) -> HistoryStore:
    """The store at path for customer base `base`: made when path does not exist or
    is an empty directory (create), refused when it belongs to another base, was
    written by another version, or is not a store. Never overwritten."""
    path = Path(path).resolve()
    store = read_store(path)
    if store is not None:
        if store.base != base:
            raise HistoryStoreError(
                f"history store {path} holds the history of customer base "
                f"'{store.base}', and this build is of base '{base}'. The store is left "
                "as it is. If this input is the same customers under another name, "
                f"set var customer_base: {store.base} (or name: {store.base} in the "
                "input contract); to keep this base's history apart, leave var "
                "history_path unset (each base gets build/history/<base>) or point it "
                "at a new directory"
            )
        return store
    if path.is_dir() and not _not_yet_a_store(path):
        raise HistoryStoreError(
            f"history store {path} holds files but no {MANIFEST}: it is not a segment "
            "history store, and is left as it is (set var history_path elsewhere)"
        )
    if not create:
        return HistoryStore(path, base)
    path.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(path, base)
    write_manifest(store)  # first: a store is its manifest
    (path / SNAPSHOTS).mkdir(exist_ok=True)
    log_event(path, "created", base=base)
    return store


def _not_yet_a_store(path: Path) -> bool:
    """A directory that holds only what runs leave before a store's manifest exists:
    the lock, staged snapshots, an empty segment_snapshots/, a manifest being written
    (.store.json.<pid>.tmp) or the log of a creation that stopped."""
    for item in path.iterdir():
        if item.name in (STAGING, LOCK, LOG):
            continue
        if item.name == SNAPSHOTS and item.is_dir() and not any(item.iterdir()):
            continue
        if item.name.startswith(f".{MANIFEST}.") and item.name.endswith(".tmp"):
            continue
        return False
    return True


def upgrade_store(path: Path, base: str, in_place: bool = False) -> HistoryStore:
    """Upgrade a format_version 1 store (one store for every base, at
    build/history by default): its snapshots become base `base`'s store,
    <path>/<base> (in_place: path itself), each committed with run_id `upgraded`."""
    path = Path(path).resolve()
    manifest = path / MANIFEST
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HistoryStoreError(
            f"history store {path}: no readable {MANIFEST} ({error})"
        ) from None
    if not isinstance(found, dict) or found.get("format") != STORE_FORMAT:
        raise HistoryStoreError(f"{path} is not a segment history store")
    if found.get("format_version") != 1:
        raise HistoryStoreError(
            f"history store {path} has format_version {found.get('format_version')!r}: "
            "only format_version 1 is upgraded"
        )
    base = base_name(base)
    target = path if in_place else path / base
    if not in_place:  # each step can be run again where a stopped upgrade left it
        if (target / MANIFEST).exists():
            if not (path / SNAPSHOTS).exists():  # stopped before its last step
                manifest.unlink()
                return read_store(target)
            raise HistoryStoreError(
                f"{target} is a store already: both are left as they are"
            )
        target.mkdir(exist_ok=True)
        if (path / SNAPSHOTS).is_dir():
            if (target / SNAPSHOTS).exists():
                (target / SNAPSHOTS).rmdir()  # left empty by a stopped upgrade
            (path / SNAPSHOTS).rename(target / SNAPSHOTS)
    (target / SNAPSHOTS).mkdir(exist_ok=True)
    at = now()
    snapshots = {
        item.name.removesuffix(".parquet"): Snapshot(
            item.name.removesuffix(".parquet"), f"{SNAPSHOTS}/{item.name}", "upgraded", at
        )
        for item in sorted((target / SNAPSHOTS).glob("*.parquet"))
    }
    store = HistoryStore(target, base, snapshots)
    write_manifest(store)
    if not in_place:
        manifest.unlink()
    log_event(target, "upgraded", base=base, snapshots=sorted(snapshots), from_=str(path))
    return store


def refuse_earlier_root(store_path: Path) -> None:
    """The root above a base's store holding a store of the first version (one store
    for every base): its months would be silently left out; say how to upgrade."""
    root = Path(store_path).parent
    manifest = root / MANIFEST
    if not manifest.is_file():
        return
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return
    if isinstance(found, dict) and found.get("format_version") == 1:
        raise HistoryStoreError(
            f"{root} holds a segment history of an earlier version of the project (one "
            "store for every customer base); this version keeps one per base, "
            f"{root}/<base>. Upgrade it once, naming the base it holds: `python -m "
            f"customer_personality history upgrade {root} --base <name>` (README "
            '"History"). It is left as it is'
        )


def snapshot_day(text: str) -> str:
    """A snapshot date as the store names it, YYYY-MM-DD (var snapshot_date may be
    written 2014-08-01 or 20140801)."""
    try:
        return date_type.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise HistoryStoreError(
            f"var snapshot_date {text!r} is not a date: write it as YYYY-MM-DD"
        ) from None


@dataclass(frozen=True)
class SnapshotPlan:
    """Where this build's snapshot goes in the history: mode `append` (a date after
    every committed one), `same_date` (a date already committed: published only when
    its segments are the same, unless rebuilt), `rebuild` (var rebuild_snapshot: the
    date replaces or joins the history, logged); previous: the committed date just
    before it, which segment_migrations compares it with."""

    date: str
    mode: str
    previous: str | None
    dates: tuple[str, ...]  # the committed snapshots the build reads, in date order


def plan_snapshot(
    store: HistoryStore, committed: dict[str, Path], date: str, rebuild: bool
) -> SnapshotPlan:
    """The rule for this build's snapshot date (README "History"): after the latest,
    appended; equal to a committed date, kept only when unchanged unless rebuild;
    before the latest and not committed, refused unless rebuild."""
    dates = sorted(committed)
    latest = dates[-1] if dates else None
    if rebuild:
        mode = "rebuild"
    elif date in committed:
        mode = "same_date"
    elif latest is not None and date < latest:
        raise HistoryStoreError(
            f"snapshot date {date} is before the latest snapshot ({latest}) in the "
            f"history of customer base '{store.base}' at {store.path}. A build is "
            "compared with the snapshot before it, so the history only grows at its "
            "end: set var snapshot_date after "
            f"{latest}, or var rebuild_snapshot: true to add {date} in its place "
            "(logged in history.log). The store is left as it is"
        )
    else:
        mode = "append"
    before = [day for day in dates if day < date]
    return SnapshotPlan(
        date=date,
        mode=mode,
        previous=before[-1] if before else None,
        dates=tuple(day for day in dates if day != date),
    )


def staging_folder(store: HistoryStore) -> Path:
    """A new folder for this build's snapshot, under the store's staging/ (made with
    the store's directory: a build that is never published leaves only this, which
    the next run removes)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    token = f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder = store.path / STAGING / token
    folder.mkdir(parents=True)
    return folder


def spark_glob(store: Path, paths: list[Path]) -> str:
    """One path Spark reads every snapshot through: the store's directory, then its
    snapshots (files or folders, all inside it) as alternatives of a Hadoop glob,
    <store>/{segment_snapshots/a.parquet,staging/t/b.parquet}."""
    relative = [str(Path(path).relative_to(store)) for path in paths]
    if len(relative) == 1:
        return str(store / relative[0])
    return f"{store}/{{{','.join(relative)}}}"


CAMPAIGN_COLUMNS = ("campaign_action", "campaign_contact", "campaign_is_control")


def has_campaign(snapshot: Path) -> bool:
    """Whether a snapshot (a file, or a Spark folder of part files) records a
    campaign's assignment: the campaign columns int_segment_snapshot writes when the
    build has a campaign. Read from the Parquet schema only; an unreadable snapshot
    has none."""
    import pyarrow.parquet as pq

    snapshot = Path(snapshot)
    parts = sorted(snapshot.glob("*.parquet")) if snapshot.is_dir() else [snapshot]
    if not parts:
        return False
    try:
        names = set(pq.read_schema(parts[0]).names)
    except (OSError, ValueError):
        return False
    return all(name in names for name in CAMPAIGN_COLUMNS)
