"""Running one hostile input under limits: a memory cap, a time cap, and what it cost.

Every test in ``tests/hostile`` runs the real ``explorer`` command (or a short Python snippet) in a
child process whose address space is capped (``RLIMIT_AS``) and whose wall time is capped, so a
regression that eats memory or hangs fails its test instead of taking the machine down. The issue's
targets: any single bad input stays under 1 GB and 30 s.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1024 * 2**20  # bytes of address space: the 1 GB per bad input
TIME_LIMIT = 30.0  # seconds
EXPLORER = [sys.executable, "-m", "explorer.cli"]


@dataclass
class Outcome:
    """What one limited run did: exit status, output, wall seconds and the child's peak resident memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def assert_clean(self) -> None:
        """No traceback reached the user, and the limits held."""
        assert "Traceback (most recent call last)" not in self.output, self.output[-3000:]
        assert "MemoryError" not in self.output, self.output[-3000:]
        assert self.seconds < TIME_LIMIT, f"took {self.seconds:.1f} s"


def _limit(memory: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        os.setsid()  # its own group, so a timeout ends the workers too
    return apply


def run_limited(args: list[str], *, cwd: str | Path | None = None, memory: int = MEMORY_LIMIT,
                timeout: float = TIME_LIMIT, stdin: bytes | None = None,
                env: dict[str, str] | None = None) -> Outcome:
    """Run ``args`` under the memory and time limits; a run past the time limit is killed and fails.

    ``peak_mb`` is the largest resident set of the process and the children it waited for (Linux
    ``ru_maxrss`` of the grandchild tree as reported to this process: measured by a wrapper that runs
    the command and reports its own ``RUSAGE_CHILDREN``).
    """
    wrapper = ("import resource,subprocess,sys;"
               "r=subprocess.run(sys.argv[1:]);"
               "sys.stderr.write('\\n@@peak_kb=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
               "sys.exit(r.returncode)")
    full_env = {**os.environ, "CI": "true", **(env or {})}
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *args], cwd=cwd, env=full_env,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limit(memory))
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        raise AssertionError(f"{args}: still running after {timeout} s; output so far:\n"
                             f"{(out + err).decode(errors='replace')[-3000:]}")
    seconds = time.monotonic() - t0
    text = err.decode(errors="replace")
    peak = 0.0
    if "@@peak_kb=" in text:
        text, _, tail = text.rpartition("\n@@peak_kb=")
        peak = int(tail.strip()) / 1024
    return Outcome(proc.returncode, out.decode(errors="replace"), text, seconds, peak)


def explorer(*args: str, **kwargs) -> Outcome:
    """``explorer ARGS`` under the limits (see :func:`run_limited`)."""
    return run_limited([*EXPLORER, *args], **kwargs)
