"""The commands of the monthly workflow: `run` (what `make run` does) and `history`
(show a segment history store, or upgrade one of an earlier version)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _run(args: argparse.Namespace) -> int:
    from customer_personality.warehouse.run import RunPaths, run

    published = Path(args.db)
    paths = RunPaths(
        published=published,
        work=Path(args.work) if args.work else published.parent / "work" / published.name,
        exports=Path(args.exports),
        report=Path(args.report) if args.report else published.parent / "report.html",
        model_file=Path(args.model_file)
        if args.model_file
        else published.parent / "segment_model.json",
    )
    return run(
        paths,
        raw=args.raw,
        contract=args.contract,
        segment_model=args.segment_model,
        extra=args.vars,
        project_dir=Path(args.project_dir),
    )


def add_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="build, test and publish the warehouse with its segment snapshot, then "
        "write the exports, the report and the summary (make run)",
    )
    run.add_argument("--raw", default="", help="the input file (RAW)")
    run.add_argument("--contract", default="", help="an input contract (CONTRACT)")
    run.add_argument(
        "--segment-model",
        default="",
        help="published (the published warehouse's model) or a model file",
    )
    run.add_argument("--vars", default="", help="a YAML mapping of vars (VARS)")
    run.add_argument(
        "--db", default="build/customer_personality.duckdb", help="the published file"
    )
    run.add_argument("--work", default="", help="the working file dbt builds")
    run.add_argument("--exports", default="exports", help="the export folder")
    run.add_argument("--report", default="", help="the HTML report")
    run.add_argument(
        "--model-file", default="", help="where SEGMENT_MODEL=published goes"
    )
    run.add_argument("--project-dir", default=".", help="the dbt project")
    run.set_defaults(handler=_run)


def _history_show(args: argparse.Namespace) -> int:
    from customer_personality.warehouse.commit import committed_snapshots, read_pending
    from customer_personality.warehouse.history import read_store

    store = read_store(Path(args.store))
    if store is None:
        raise FileNotFoundError(f"no segment history store at {args.store}")
    committed = committed_snapshots(store)
    print(f"history store {store.path}: customer base '{store.base}'")
    for date in committed:
        entry = store.snapshots.get(date)
        rows = f"{entry.rows:,} customers" if entry and entry.rows is not None else ""
        when = f", committed {entry.committed_at}" if entry else " (being committed)"
        print(f"  {date}  {rows}{when}")
    if not committed:
        print("  no snapshot yet")
    if read_pending(store.path) and len(committed) == len(store.snapshots):
        print("  a commit was stopped before its warehouse was published: the next run")
        print("  drops it")
    if args.log and (store.path / "history.log").is_file():
        log = store.path / "history.log"
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:  # a line a killed run left half-written
                print(f"  log: (unreadable line of {log}: {line[:60]!r})")
                continue
            print(f"  log: {event.pop('at', '?')} {event.pop('event', '?')} {event}")
    return 0


def _history_upgrade(args: argparse.Namespace) -> int:
    from customer_personality.warehouse.history import upgrade_store

    store = upgrade_store(Path(args.store), args.base, in_place=args.in_place)
    print(
        f"upgraded {store.path}: customer base '{store.base}', "
        f"{len(store.snapshots)} snapshot(s) committed"
    )
    return 0


def add_history(commands: argparse._SubParsersAction) -> None:
    history = commands.add_parser(
        "history", help="show a segment history store, or upgrade an earlier one"
    )
    actions = history.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="the base and committed snapshots of a store")
    show.add_argument("store", help="the store's directory (build/history/<base>)")
    show.add_argument("--log", action="store_true", help="also print history.log")
    show.set_defaults(handler=_history_show)
    upgrade = actions.add_parser(
        "upgrade", help="upgrade a store of format_version 1 in place"
    )
    upgrade.add_argument("store", help="the store's directory")
    upgrade.add_argument("--base", required=True, help="the customer base it holds")
    upgrade.add_argument(
        "--in-place",
        action="store_true",
        help="keep the store where it is (a history_path); else it becomes the base's "
        "store under it, <store>/<base>",
    )
    upgrade.set_defaults(handler=_history_upgrade)
