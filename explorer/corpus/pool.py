"""Worker processes that a bad input cannot take down with the whole run.

:func:`ordered_map` runs ``fn(item)`` for each item in worker processes and yields the results in the
order of the items. Each worker has its own pipe and one item at a time, so when a worker dies (the
system's out-of-memory killer, a crash in a parser's C code, a signal) exactly one item is known to be
lost: it yields :class:`Lost` for that item, starts a new worker and goes on. ``multiprocessing.Pool``
waits forever for the result of a worker that died, and a worker killed while waiting on its shared
task queue can leave the pool's shutdown deadlocked; nothing is shared here, and leaving the loop (an
error, Ctrl-C) kills the workers at once.

Workers ignore Ctrl-C and die on SIGTERM, are started with both held, and never outlive their parent
(:mod:`explorer.processes`, which the label import's workers share); each also closes the copies of the
parent's pipe ends that forking gave it, so the parent's death reads as the end of its pipe.

Two limits keep one item from costing the whole run its time or the machine its memory: ``time_limit``
(a worker busy on one item longer than that is killed and the item is :class:`Lost`, ``kind="time"``;
``fn`` may call :func:`beat` as it goes through the parts of an item, each part then having the limit)
and ``memory_limit`` (each worker's address space may grow that much beyond what it holds when it has
started, ``RLIMIT_AS``; an item whose ``fn`` runs out is :class:`Lost`, ``kind="memory"``, and the
worker is replaced: the memory it freed may still be held).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import signal
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

from ..processes import follow_parent, stops_held, worker_signals


@dataclass(frozen=True)
class Lost:
    """An item whose result never came back: why, in words; what happened (``kind``: "raised" when ``fn``
    raised, "died" when its worker died, "time" past the time limit, "memory" past the memory limit); and
    for "time" and "memory" the part of the item its worker was on (:func:`beat`; None when ``fn`` never
    said)."""

    reason: str
    kind: str = "died"
    part: int | None = None


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", perhaps for lack of memory" if name == "SIGKILL" else "")
    return f"exit status {exitcode}"


#: The parent's end of each live worker's pipe: a worker forked later holds copies of them, and closes them.
_PARENT_ENDS: list = []
#: In a worker: where it tells the parent which part of its item it is on, and since when (:func:`beat`).
_BEAT = None
#: In a worker with a memory limit: the bytes its address space may grow by (the limit asked for, or less
#: when the process was already under a lower one, ``ulimit -v``).
_ALLOWED: int | None = None


def in_worker() -> bool:
    """Whether this process is one of :func:`ordered_map`'s workers."""
    return _BEAT is not None


def beat(part: int) -> None:
    """Say, from ``fn`` in a worker, that it starts part ``part`` of its item (0, 1, ...): the time limit
    starts again, and an item lost to a limit names the part. Does nothing outside a worker."""
    if _BEAT is not None:
        _BEAT[0], _BEAT[1] = part, time.monotonic()


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(extra: int) -> None:
    """Let this process's address space grow by ``extra`` bytes at most (never raising a limit it has)."""
    global _ALLOWED
    held = _address_space()
    if held is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = held + extra
    for given in (soft, hard):
        if given != resource.RLIM_INFINITY:
            limit = min(limit, given)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _ALLOWED = max(0, limit - held)


def over_memory() -> str:
    """Why an item failed, in a worker whose ``fn`` ran out of memory: "needed more than N MB of memory"."""
    return f"needed more than {_ALLOWED / 2**20:.0f} MB of memory" if _ALLOWED is not None else "ran out of memory"


def _serve(conn, fn: Callable, initializer: Callable | None, initargs: tuple, inherited: tuple = (),
           parent: int | None = None, beats=None, memory_limit: int | None = None) -> None:
    """A worker's loop: an item in, ``(True, result)`` or ``(False, reason)`` out (``(None, reason)``: it ran
    out of memory), until the pipe closes."""
    global _BEAT
    for end in inherited:
        end.close()
    if parent is not None:
        follow_parent(parent)  # without a watchdog: the end of the pipe tells where the kernel cannot
    worker_signals()
    if initializer is not None:
        initializer(*initargs)
    _BEAT = beats
    if memory_limit is not None:
        _limit_memory(memory_limit)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, fn(item))
        except MemoryError:
            answer = (None, over_memory())
        except Exception as e:  # noqa: BLE001 - the parent decides; the worker lives on
            answer = (False, f"{type(e).__name__}: {e}".strip()[:300] or traceback.format_exc(limit=1))
        try:
            conn.send(answer)
        except MemoryError:  # the result was too large to send within the limit
            answer = (None, over_memory())
            conn.send(answer)
        if answer[0] is None:
            # Out of memory: what was freed may still be held (a fragmented heap), and would fail the next
            # item too. The parent replaces this worker.
            return


class _Worker:
    def __init__(self, ctx, fn: Callable, initializer: Callable | None, initargs: tuple,
                 memory_limit: int | None = None):
        self.conn, child = ctx.Pipe()
        forked = ctx.get_start_method() == "fork"
        inherited = (*_PARENT_ENDS, self.conn) if forked else ()
        self.beats = ctx.RawArray("d", 2)  # the part of its item it is on, and since when (:func:`beat`)
        self.process = ctx.Process(target=_serve, args=(child, fn, initializer, initargs, inherited, os.getpid(),
                                                        self.beats, memory_limit), daemon=True)
        with stops_held():
            self.process.start()
        child.close()
        _PARENT_ENDS.append(self.conn)
        self.index: int | None = None  # the item it is working on
        self.since = 0.0  # when it was handed that item

    def hand(self, index: int, item: Any) -> None:
        self.beats[0], self.beats[1] = -1, 0.0  # no part said yet
        self.index, self.since = index, time.monotonic()
        self.conn.send(item)

    def part(self) -> int | None:
        """The part of its item it said it is on (:func:`beat`), or None."""
        part = int(self.beats[0])
        return part if part >= 0 else None

    def started(self) -> float:
        """When it started the item, or the part of it that it is on."""
        return max(self.since, self.beats[1])

    def stop(self) -> None:
        if self.conn in _PARENT_ENDS:
            _PARENT_ENDS.remove(self.conn)
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], workers: int, *, initializer: Callable | None = None,
                initargs: tuple = (), context=None, window: int | None = None, time_limit: float | None = None,
                memory_limit: int | None = None) -> Iterator[Any]:
    """``fn(item)`` for every item, computed in ``workers`` processes, yielded in the order of ``items``.

    Parameters
    ----------
    fn : a function the workers can run (module-level, for a start method other than fork).
    workers : processes; each holds one item at a time.
    initializer, initargs : run once in each new worker.
    context : a multiprocessing context (default: the platform's).
    window : how many items may be handed out beyond the next one to yield (default: twice ``workers``),
        which bounds the results held while an earlier item is still being worked on.
    time_limit : seconds a worker may spend on one item (or on one part of it, when ``fn`` calls
        :func:`beat`); past that it is killed and replaced. None: no limit.
    memory_limit : bytes by which each worker's address space may grow once started (Linux). None: no limit.

    Yields
    ------
    The result of each item, or :class:`Lost` when its worker died, ``fn`` raised or a limit was reached.
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
            pool.append(_Worker(ctx, fn, initializer, initargs, memory_limit))
        for w in pool:
            if w.index is None and todo and todo[0][0] < following + window:
                w.hand(*todo.popleft())

    try:
        hand_out()
        while following < total:
            busy = [w for w in pool if w.index is not None]
            timeout = None
            if time_limit is not None and busy:
                timeout = max(0.0, min(w.started() for w in busy) + time_limit - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
            for w in busy:
                index = w.index
                late = time_limit is not None and time.monotonic() - w.started() > time_limit
                killed = False
                if w.conn in ready or w.process.sentinel in ready or (late and w.conn.poll()):
                    results[index] = _answer(w)
                elif late:
                    results[index] = Lost(f"took longer than {time_limit:g} s", "time", w.part())
                    killed = True  # by stop(), below; replaced by hand_out()
                else:
                    continue
                w.index = None
                if killed or not w.process.is_alive() or getattr(results[index], "kind", None) == "memory":
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
            if ok is None:
                return Lost(value, "memory", w.part())
            return value if ok else Lost(f"the parsing process raised {value}", "raised")
    except (EOFError, OSError):
        pass
    w.process.join()
    return Lost(f"the parsing process died while reading it ({_how(w.process.exitcode)})")
