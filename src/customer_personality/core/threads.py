"""One BLAS/OpenMP thread for model fitting, safe when dbt runs models side by side.

dbt runs Python models in threads of one process, and OpenBLAS (pthreads build) has
one thread pool for the whole process. With a plain `with threadpool_limits(1)` per
model, the first model to finish restores the original limit while a model in
another thread is still fitting: that model then runs multi-threaded (4-5x slower on
these small matrices, and k-means' partial sums can change in the last bits).
threadpoolctl also lets only one "controlling" thread change OpenBLAS's pool and
silently ignores the others. `single_threaded` therefore counts the threads inside
it: the first sets one thread, the last restores the original limits, and each
change is made under a lock after releasing threadpoolctl's controlling thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

try:  # threadpoolctl >= 3.6: only one thread may change OpenBLAS's shared pool
    from threadpoolctl import OpenBLASController
except ImportError:  # pragma: no cover - older threadpoolctl has no such rule
    OpenBLASController = None

_lock = threading.Lock()
_active = 0
_first = None


def _release_control() -> None:
    if OpenBLASController is not None and hasattr(
        OpenBLASController, "clear_controlling_thread"
    ):
        OpenBLASController.clear_controlling_thread(force=True)


@contextmanager
def single_threaded() -> Iterator[None]:
    """One BLAS and OpenMP thread inside the block, for every thread using it."""
    global _active, _first
    with _lock:
        # Applied by every entering thread: OpenMP's limit belongs to the calling
        # thread, OpenBLAS's to the process.
        _release_control()
        limiter = threadpool_limits(limits=1)
        _release_control()
        if _active == 0:
            _first = limiter
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _first is not None:
                _release_control()
                _first.restore_original_limits()
                _release_control()
                _first = None
