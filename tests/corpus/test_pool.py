"""Worker processes: results in the order of the items, a worker that dies costs its one item (and is
replaced), an exception is an item's result, and leaving early kills every worker."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time

import pytest

from explorer.corpus.pool import Lost, beat, ordered_map

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
    assert results[5] == Lost("the parsing process raised ValueError: five is bad", "raised")


def _sleep_on_2(n: int) -> int:
    if n == 2:
        time.sleep(60)
    return n


def _parts(parts: list[float]) -> int:
    """An item of parts, each taking its number of seconds."""
    for i, seconds in enumerate(parts):
        beat(i)
        time.sleep(seconds)
    return len(parts)


def _grab(megabytes: int) -> int:
    block = bytearray(megabytes * 2**20)
    return len(block) // 2**20


def test_an_item_past_the_time_limit_is_lost_its_worker_killed_and_the_others_kept():
    t0 = time.monotonic()
    results = list(ordered_map(_sleep_on_2, range(6), 2, context=FORK, time_limit=1))
    assert results == [0, 1, Lost("took longer than 1 s", "time"), 3, 4, 5]
    assert time.monotonic() - t0 < 20  # not the 60 s the item would take


def test_the_time_limit_holds_for_each_part_and_names_the_part_that_outran_it():
    # three parts of 0.6 s each (1.8 s in all) are within a limit of 1.5 s for each part; a part of 60 s is not
    results = list(ordered_map(_parts, [[0.6, 0.6, 0.6], [0.1, 60, 0.1]], 1, context=FORK, time_limit=1.5))
    assert results == [3, Lost("took longer than 1.5 s", "time", part=1)]


def test_an_item_past_the_memory_limit_is_lost_and_its_worker_replaced():
    results = list(ordered_map(_grab, [10, 2000, 10], 1, context=FORK, memory_limit=200 * 2**20))
    assert results == [10, Lost("needed more than 200 MB of memory", "memory"), 10]


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


ORPHAN = """
import os, sys, time
from explorer.corpus.pool import ordered_map
def slow(i):
    time.sleep(60)
    return i
for _ in ordered_map(slow, range(4), 2):
    pass
"""


def test_workers_end_when_their_parent_is_killed(tmp_path):
    """A worker must not outlive the ingest: an orphan kept the ingest's output pipes open (a caller
    reading them waited forever) and went on holding memory."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                   and _parent_of(p) == parent.pid]
        time.sleep(0.05)
    assert len(workers) == 2, "the workers did not start"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    # the pipes reach EOF only when no process holds them: no orphaned worker
    parent.communicate(timeout=10)
    deadline = time.monotonic() + 10  # the kernel's kill of an orphan is not instant
    while time.monotonic() < deadline and [pid for pid in workers if _state(pid) != "Z"]:
        time.sleep(0.05)
    assert [pid for pid in workers if _state(pid) != "Z"] == []


def _parent_of(proc) -> int | None:
    try:
        return int((proc / "stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _state(pid: int) -> str:
    from pathlib import Path

    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "Z"
