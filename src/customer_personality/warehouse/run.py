"""`make run`: one build at a time, from the vars to the published warehouse.

run holds the published warehouse's lock and its history store's lock for the whole
run (a second run stops at once, saying which build holds them), completes or drops
what a stopped run left (warehouse.commit.recover), builds into the working file with
dbt (a child process that dies with the run), publishes the warehouse with its
segment snapshot (the one commit point), then writes the exports, the report and the
summary. A run stopped anywhere leaves the published warehouse and the history as
they were before it or as they are after it; the next run completes normally.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from customer_personality.warehouse.commit import recover
from customer_personality.warehouse.history import resolve_base, resolve_store_path
from customer_personality.warehouse.lock import hold_locks, warehouse_lock_file


def run_vars(
    raw: str = "", segment_model: str = "", extra: str = "", contract: str = ""
) -> dict:
    """The dbt vars of `make run`: VARS (a YAML or JSON mapping), then RAW as
    raw_customers_path, CONTRACT as the input contract (the file's mapping, and its
    path for messages) and SEGMENT_MODEL as a frozen segment model, resolved."""
    variables = {}
    if extra.strip():
        try:
            variables = yaml.safe_load(extra)
        except yaml.YAMLError as error:
            raise ValueError(f"VARS is not a YAML mapping: {error}") from None
        if not isinstance(variables, dict):
            raise ValueError(
                f"VARS must be a mapping like '{{name: value}}', got {extra!r}"
            )
    if raw:
        variables["raw_customers_path"] = raw
    if contract:
        from customer_personality.contract import read_contract

        variables["input_contract"] = read_contract(Path(contract))
        variables["input_contract_file"] = contract
    if segment_model:
        model = Path(segment_model)
        if not model.is_file():
            raise FileNotFoundError(
                f"SEGMENT_MODEL {segment_model} is not a file: use "
                "SEGMENT_MODEL=published (the model of the published warehouse) or a "
                "file of `model export`"
            )
        variables["segment_model_mode"] = "frozen"
        variables["segment_model_path"] = str(model.resolve())
    return variables


def project_vars(project_dir: Path) -> dict:
    """The vars' defaults, as dbt_project.yml declares them."""
    with open(Path(project_dir) / "dbt_project.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle).get("vars") or {}


def history_store_of(variables: dict, project_dir: Path = Path(".")) -> Path:
    """The history store a build with these vars uses (as int_history_store resolves
    it), for the run's lock."""
    merged = {**project_vars(project_dir), **variables}
    contract = merged.get("input_contract") or {}
    base = resolve_base(
        merged.get("customer_base"),
        merged.get("raw_customers_path"),
        merged.get("raw_customers_relation"),
        contract.get("name") if isinstance(contract, dict) else None,
    )
    return resolve_store_path(
        merged.get("history_path"), merged.get("history_root"), base
    )


def _dying_with(parent: int):
    """The dbt child is killed when the run is (Linux: prctl PR_SET_PDEATHSIG); a run
    that died before the child asked for it is seen at once (the child exits)."""

    def set_up() -> None:  # pragma: no cover (runs in the child)
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
        except OSError:
            pass
        if os.getppid() != parent:
            os._exit(1)

    return set_up


def dbt_build(project_dir: Path, work_db: Path, variables: dict) -> int:
    """dbt build into work_db, in a child process; its exit code (negative: the
    signal that stopped it)."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        "--no-use-colors",
        "build",
        "--profiles-dir",
        str(project_dir),
        "--project-dir",
        str(project_dir),
        "--vars",
        json.dumps(variables, default=str),
    ]
    environment = {**os.environ, "CUSTOMER_PERSONALITY_DB": str(work_db)}
    return subprocess.call(
        command,
        env=environment,
        preexec_fn=_dying_with(os.getpid()),  # noqa: PLW1509
    )


@dataclass(frozen=True)
class RunPaths:
    published: Path
    work: Path
    exports: Path
    report: Path
    model_file: Path


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    paths: RunPaths,
    raw: str = "",
    contract: str = "",
    segment_model: str = "",
    extra: str = "",
    project_dir: Path = Path("."),
) -> int:
    """The whole `make run`; 0 when published, else the step's exit code."""
    from customer_personality.report import write_report
    from customer_personality.warehouse.publish import (
        export_marts,
        history_lock,
        publish,
        staged_snapshot,
    )
    from customer_personality.warehouse.summary import summarize

    model_file = ""
    if segment_model == "published":
        model_file = str(paths.model_file)
    elif segment_model:
        model_file = segment_model
    variables = run_vars(raw, "", extra, contract)
    store = history_store_of(variables, project_dir)
    notes: list[str] = []
    command = " ".join(sys.argv)
    locks = [
        (warehouse_lock_file(paths.published), str(paths.published.resolve())),
        history_lock(store),
    ]
    with hold_locks(locks, command, notes):
        for note in notes + recover(store):
            say(f"note: {note}")
        if segment_model == "published":
            from customer_personality.warehouse.model_export import describe, export_model

            model = export_model(paths.published, paths.model_file)
            say(f"exported {paths.model_file}: {describe(model)}")
        if model_file:
            variables = run_vars(raw, model_file, extra, contract)
        # The working file is rebuilt from nothing, and a copy a stopped publish left
        # beside the published file is removed.
        published = paths.published.resolve()
        copies = list(published.parent.glob(f".{published.name}.*.tmp*"))
        for leftover in [paths.work, Path(f"{paths.work}.wal"), *copies]:
            leftover.unlink(missing_ok=True)
        paths.work.parent.mkdir(parents=True, exist_ok=True)
        code = dbt_build(project_dir, paths.work, variables)
        if code != 0:
            how = (
                f"was stopped by signal {-code}" if code < 0 else f"failed (exit {code})"
            )
            say(
                f"error: the build {how}: nothing was published; the warehouse "
                f"{paths.published} and the history {store} are as they were"
            )
            return 1 if code < 0 else code
        staged = staged_snapshot(paths.work)
        if staged is not None and staged.store != store:
            raise ValueError(
                f"the build used the history store {staged.store}, not {store} that "
                "this run locked: nothing was published (set var history_path or "
                "history_root the same way for both)"
            )
        publish(paths.work, paths.published, locks_held=True)
        for path in export_marts(paths.published, paths.exports):
            print(f"exported {path}")
        report = write_report(
            paths.published, paths.report, progress=lambda line: say(f"report: {line}")
        )
        print(report)
    print(summarize(paths.published))
    return 0
