"""Worker processes that a bad input cannot take down with the whole run.

:func:`ordered_map` runs ``fn(item)`` for each item in worker processes and yields the results in the
order of the items. Each worker has its own pipe and one item at a time, so when a worker dies (the
system's out-of-memory killer, a crash in a parser's C code, a signal) exactly one item is known to be
lost: it yields :class:`Lost` for that item, starts a new worker and goes on. ``multiprocessing.Pool``
waits forever for the result of a worker that died, and a worker killed while waiting on its shared
task queue can leave the pool's shutdown deadlocked; nothing is shared here, and leaving the loop (an
error, Ctrl-C) kills the workers at once.

Workers ignore Ctrl-C (a terminal sends it to every process of the job: the parent handles it and ends
them) and die on SIGTERM; they are started with both signals blocked until they have those handlers,
so a signal arriving while one starts never runs the parent's handler in it. A worker never outlives
its parent: it closes the copies of the parent's pipe ends that forking gave it (so the parent's death
reads as the end of its pipe), and on Linux the kernel kills it when the parent dies (``PR_SET_PDEATHSIG``)
even while it is busy with an item. An orphan used to keep the parent's output pipes open, so whoever
read them waited forever.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator


@dataclass(frozen=True)
class Lost:
    """An item whose result never came back: why, in words."""

    reason: str


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", perhaps for lack of memory" if name == "SIGKILL" else "")
    return f"exit status {exitcode}"


_STOPS = {signal.SIGINT, signal.SIGTERM}
#: The parent's end of each live worker's pipe: a worker forked later holds copies of them, and closes them.
_PARENT_ENDS: list = []
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); then check it has not already."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the end of the pipe still tells
        pass
    if os.getppid() != parent:
        os._exit(1)


def _serve(conn, fn: Callable, initializer: Callable | None, initargs: tuple, inherited: tuple = (),
           parent: int | None = None) -> None:
    """A worker's loop: an item in, ``(True, result)`` or ``(False, reason)`` out, until the pipe closes."""
    for end in inherited:
        end.close()
    if parent is not None:
        _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, fn(item))
        except Exception as e:  # noqa: BLE001 - the parent decides; the worker lives on
            answer = (False, f"{type(e).__name__}: {e}".strip()[:300] or traceback.format_exc(limit=1))
        conn.send(answer)


class _Worker:
    def __init__(self, ctx, fn: Callable, initializer: Callable | None, initargs: tuple):
        self.conn, child = ctx.Pipe()
        forked = ctx.get_start_method() == "fork"
        inherited = (*_PARENT_ENDS, self.conn) if forked else ()
        self.process = ctx.Process(target=_serve, args=(child, fn, initializer, initargs, inherited, os.getpid()),
                                   daemon=True)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
        _PARENT_ENDS.append(self.conn)
        self.index: int | None = None  # the item it is working on

    def stop(self) -> None:
        if self.conn in _PARENT_ENDS:
            _PARENT_ENDS.remove(self.conn)
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], workers: int, *, initializer: Callable | None = None,
                initargs: tuple = (), context=None, window: int | None = None) -> Iterator[Any]:
    """``fn(item)`` for every item, computed in ``workers`` processes, yielded in the order of ``items``.

    Parameters
    ----------
    fn : a function the workers can run (module-level, for a start method other than fork).
    workers : processes; each holds one item at a time.
    initializer, initargs : run once in each new worker.
    context : a multiprocessing context (default: the platform's).
    window : how many items may be handed out beyond the next one to yield (default: twice ``workers``),
        which bounds the results held while an earlier item is still being worked on.

    Yields
    ------
    The result of each item, or :class:`Lost` when its worker died or ``fn`` raised.
    """
    ctx = context or mp.get_context()
    todo = deque(enumerate(items))
    total = len(todo)
    window = window or 2 * workers
    results: dict[int, Any] = {}
    pool: list[_Worker] = []
    following = 0  # the index yielded next
    def hand_out() -> None:  # before results are yielded, so workers go on while the caller uses them
        for w in [w for w in pool if w.index is None and not w.process.is_alive()]:
            pool.remove(w)  # died between items (a signal meant for it): replace it
            w.stop()
        while len(pool) < min(workers, len(todo) + sum(w.index is not None for w in pool)):
            pool.append(_Worker(ctx, fn, initializer, initargs))
        for w in pool:
            if w.index is None and todo and todo[0][0] < following + window:
                w.index, item = todo.popleft()
                w.conn.send(item)

    try:
        hand_out()
        while following < total:
            busy = [w for w in pool if w.index is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for w in busy:
                if w.conn in ready or w.process.sentinel in ready:
                    results[w.index] = _answer(w)
                    w.index = None
                    if not w.process.is_alive():
                        pool.remove(w)
                        w.stop()
            hand_out()
            while following in results:
                yield results.pop(following)
                following += 1
                hand_out()  # the window moved on
    finally:
        for w in pool:
            w.stop()


def _answer(w: _Worker) -> Any:
    """What the worker ``w`` sent back for its item, or :class:`Lost` when it died without answering."""
    try:
        if w.conn.poll():
            ok, value = w.conn.recv()
            return value if ok else Lost(f"the parsing process raised {value}")
    except (EOFError, OSError):
        pass
    w.process.join()
    return Lost(f"the parsing process died while reading it ({_how(w.process.exitcode)})")
