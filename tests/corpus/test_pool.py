"""Worker processes: results in the order of the items, a worker that dies costs its one item (and is
replaced), an exception is an item's result, and leaving early kills every worker."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time

import pytest

from explorer.corpus.pool import Lost, ordered_map

FORK = mp.get_context("fork")


def _square(n: int) -> int:
    time.sleep(0.01 * (n % 3))  # finish out of order
    return n * n


def _die_on_3(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    if n == 5:
        raise ValueError("five is bad")
    return n


def _pid(_: int) -> int:
    return os.getpid()


def test_results_come_in_the_order_of_the_items():
    assert list(ordered_map(_square, range(20), 3, context=FORK)) == [n * n for n in range(20)]


def test_a_dead_worker_costs_its_item_only_and_is_replaced():
    results = list(ordered_map(_die_on_3, range(8), 2, context=FORK))
    assert results[:3] == [0, 1, 2] and results[4] == 4 and results[6:] == [6, 7]
    assert results[3] == Lost("the parsing process died while reading it (killed by SIGKILL, perhaps for lack of memory)")
    assert results[5] == Lost("the parsing process raised ValueError: five is bad")


def test_leaving_early_kills_every_worker():
    results = ordered_map(_pid, range(100), 2, context=FORK)
    pids = {next(results), next(results)}
    results.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            for _ in range(100):  # reaped by the pool: gone, not a zombie
                os.kill(pid, 0)
                time.sleep(0.01)


def test_nothing_to_do_starts_no_worker():
    assert list(ordered_map(_pid, [], 4, context=FORK)) == []
