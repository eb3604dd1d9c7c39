"""customer_personality.core.threads, single_threaded: the limit holds until the last
of several threads leaves."""

from __future__ import annotations

import threading

import numpy as np  # loads OpenBLAS, whose thread count the tests read
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from customer_personality.core.threads import single_threaded


def blas_threads() -> set[int]:
    pools = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    return {pool["num_threads"] for pool in pools}


@pytest.fixture(autouse=True)
def two_blas_threads():
    """A known starting point: two BLAS threads (so that one is a change)."""
    assert np.ones(1).sum() == 1 and blas_threads()
    with threadpool_limits(limits=2, user_api="blas"):
        assert blas_threads() == {2}
        yield


def test_limit_outlives_the_first_thread_to_leave():
    before = blas_threads()
    a_inside, a_left, b_checked = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with single_threaded():
            a_inside.set()
            b_entered.wait(5)
        a_left.set()

    def second():
        a_inside.wait(5)
        with single_threaded():
            b_entered.set()
            a_left.wait(5)
            seen["after_first_left"] = blas_threads()
        b_checked.set()

    b_entered = threading.Event()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert b_checked.is_set() and a_left.is_set()
    assert seen["after_first_left"] == {1}
    assert blas_threads() == before


def test_nested_use_in_one_thread_restores_once():
    before = blas_threads()
    with single_threaded():
        with single_threaded():
            assert blas_threads() == {1}
        assert blas_threads() == {1}
    assert blas_threads() == before
