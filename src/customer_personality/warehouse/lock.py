"""One build at a time on a warehouse and on a history store.

A lock is a file beside what it guards, held with flock(2) for the whole run: the
kernel releases it when the holding process ends, however it ends, so a lock left
by a killed run is never mistaken for a running build. The file also says who holds
it (PID, start time, command), for the message a second run prints, and, when the
holder stopped without releasing it, for the note that its lock was cleared.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from customer_personality.warehouse.history import now


class BuildRunning(RuntimeError):
    """Another build holds the lock of a warehouse or store this run needs."""


def _holder(handle) -> dict:
    handle.seek(0)
    try:
        found = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def _describe(holder: dict) -> str:
    return f"PID {holder.get('pid', '?')}, started at {holder.get('started_at', '?')}" + (
        f" on {holder['host']}" if holder.get("host") else ""
    )


@contextmanager
def hold_lock(lock_file: Path, guards: str, command: str, notes: list[str]) -> Iterator:
    """Hold lock_file for the duration, or raise BuildRunning naming the holder.
    guards: what the lock protects, for messages. A lock a stopped run left is
    cleared and said in notes."""
    lock_file = Path(lock_file)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_file, "a+", encoding="utf-8")  # noqa: SIM115 (held until exit)
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildRunning(
                f"another build ({_describe(_holder(handle))}) is running on {guards}: "
                "this run stops and changes nothing. Wait for it to finish, or stop it "
                "first"
            ) from None
        left = _holder(handle)
        if left.get("pid"):
            notes.append(
                f"cleared the lock of a run that stopped without finishing "
                f"({_describe(left)}) on {guards}"
            )
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "started_at": now(),
                    "host": socket.gethostname(),
                    "command": command,
                }
            )
        )
        handle.flush()
        os.fsync(handle.fileno())
        try:
            yield
        finally:  # ended, even by an error: nothing left to clear
            handle.seek(0)
            handle.truncate()
            handle.flush()
    finally:
        handle.close()  # releases the flock


@contextmanager
def hold_locks(
    locks: Sequence[tuple[Path, str]], command: str, notes: list[str]
) -> Iterator:
    """Hold every (lock_file, guards) in order, each released on exit."""
    with ExitStack() as stack:
        for lock_file, guards in locks:
            stack.enter_context(hold_lock(lock_file, guards, command, notes))
        yield


def warehouse_lock_file(published: Path) -> Path:
    published = Path(published).resolve()
    return published.with_name(f".{published.name}.lock")
