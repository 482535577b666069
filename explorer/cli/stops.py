"""Ctrl-C and SIGTERM while a command runs: raised where Python runs, as one kind of exception.

Both signals end a command the same way (the ingest's writer and the label import clean up as the
exception passes), with one line and the exit status 128 + the signal's number (130: Ctrl-C, 143: SIGTERM).
A stop raised where Python drops exceptions (a finaliser, a fork handler) is remembered and raised again
by :meth:`StopSignals.check`, which long loops call between items.
"""
from __future__ import annotations

import signal
import sys
import threading


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM (``signum``), raised where the command is, so that it cleans up as it ends."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class StopSignals:
    """Ctrl-C and SIGTERM while a command runs (main thread only): raised at once as :class:`Stopped`, and
    remembered, so that one raised where Python drops exceptions is raised again by :meth:`check`."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.previous: dict = {}

    def __enter__(self) -> "StopSignals":
        if threading.current_thread() is threading.main_thread():
            self.previous = {s: signal.signal(s, self._received) for s in (signal.SIGINT, signal.SIGTERM)}
            self.unraisable = sys.unraisablehook
            sys.unraisablehook = self._dropped
        return self

    def _dropped(self, unraisable) -> None:
        """Where Python drops the raised stop (printing it as "Exception ignored"): silently, as it is
        remembered and raised again."""
        if not isinstance(unraisable.exc_value, Stopped):
            self.unraisable(unraisable)

    def _received(self, signum, frame) -> None:
        self.received.append(signum)
        raise Stopped(signum)

    def check(self) -> None:
        if self.received:
            raise Stopped(self.received[0])

    def __exit__(self, *exc) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        if self.previous:
            sys.unraisablehook = self.unraisable


def signal_number(stop: KeyboardInterrupt) -> int:
    """The signal a stop came from (a plain KeyboardInterrupt is Ctrl-C)."""
    return getattr(stop, "signum", signal.SIGINT)
