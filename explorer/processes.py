"""Worker processes that die with their parent, started with the stop signals held.

The ingest's workers (:mod:`explorer.corpus.pool`) and the label import's (:mod:`explorer.labels.workers`)
are forked by a process that handles Ctrl-C and SIGTERM itself (it stops its workers and cleans up). Each
worker must therefore:

- be started with SIGINT and SIGTERM blocked (:func:`stops_held`), so that a signal arriving while it is
  forked never runs the parent's handler in it (a traceback in the worker, or a pool broken half-way);
- then ignore Ctrl-C (a terminal sends it to every process of the job: the parent ends the workers) and
  die on SIGTERM, and unblock both (:func:`worker_signals`);
- never outlive its parent (:func:`follow_parent`): on Linux the kernel kills it when the parent dies
  (``PR_SET_PDEATHSIG``), even while it is busy; where that is not available, a watchdog thread may look.
  An orphan kept the parent's output pipes open (whoever read them waited forever) and held memory.

Imports nothing but the standard library: it sits in the bottom layer, beside :mod:`explorer.startup`.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

#: The signals that stop the parent: held while a worker starts, then ignored (SIGINT) or fatal (SIGTERM) in it.
STOPS = frozenset({signal.SIGINT, signal.SIGTERM})
#: Seconds between two looks of a worker's watchdog at its parent.
WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # from linux/prctl.h


@contextmanager
def stops_held() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread while workers are started (forked) inside the block; a
    signal that arrived meanwhile is delivered when the block ends, to the parent only."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def worker_signals() -> None:
    """In a worker, first thing: Ctrl-C left to the parent, SIGTERM ends it, both no longer blocked."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


def follow_parent(parent: int, watch: bool = False) -> None:
    """End this process when ``parent`` (the PID that started it) ends.

    On Linux the kernel sends SIGKILL at the parent's death (``prctl(PR_SET_PDEATHSIG)``). The check
    also runs once at once: the parent may have died before the request was made. With ``watch``, a
    daemon thread also checks every :data:`WATCH_SECONDS` that the parent is still this process's parent
    (an orphan is adopted by another process): for platforms without ``prctl``, and workers that have no
    pipe from the parent whose end would tell.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no C library to ask: the watchdog or the pipe alone
            pass
    if os.getppid() != parent:
        os._exit(1)
    if watch:
        threading.Thread(target=_watch, args=(parent,), name="explorer-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
