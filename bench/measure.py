"""Run one command and report its wall time and peak memory as JSON on stdout's last line.

Peak memory is the largest resident set of the command's process tree, sampled every
50 ms from /proc (the dbt process runs the Python models in-process, so this is
essentially dbt's own peak), and at least getrusage's max RSS of the child.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def _tree_rss(pid: int) -> int:
    """Resident bytes of pid and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            rss = next(line for line in status.splitlines() if line.startswith("VmRSS"))
            total += int(rss.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def main() -> int:
    command = sys.argv[1:]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stderr=sys.stderr, stdout=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    output = process.stdout.read()
    wall = time.perf_counter() - started
    peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
    sys.stdout.write(output)
    print(
        json.dumps({"returncode": process.returncode, "wall_s": wall, "peak_bytes": peak})
    )
    return process.returncode


if __name__ == "__main__":
    raise SystemExit(main())
