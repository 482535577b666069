"""What every ``explorer`` command shares: the exit statuses and the one-line error."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

EXIT_OK, EXIT_FAILED_INPUT, EXIT_USAGE = 0, 1, 2


def _error(command: str, message: object) -> int:
    """One line on stderr, ``explorer COMMAND: message``, and the exit status of a usage or setup error."""
    print(f"explorer {command}: {message}", file=sys.stderr)
    return EXIT_USAGE


@contextmanager
def audit_progress(enabled: bool | None) -> Iterator[Callable[[str, int, int], None] | None]:
    """A tqdm bar of the audit's steps on stderr (:data:`explorer.audit.audit.Progress`) on an interactive
    terminal; None in CI or when output is piped (unless ``enabled``)."""
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def tell(step: str, done: int, total: int) -> None:
        bar = bars.get(step)
        if bar is None:
            bar = bars[step] = tqdm(total=total, desc=f"audit: {step}", file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield tell
    finally:
        for bar in bars.values():
            bar.close()
