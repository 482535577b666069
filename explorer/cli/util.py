"""What every ``explorer`` command shares: the exit statuses and the one-line error."""
from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED_INPUT, EXIT_USAGE = 0, 1, 2


def _error(command: str, message: object) -> int:
    """One line on stderr, ``explorer COMMAND: message``, and the exit status of a usage or setup error."""
    print(f"explorer {command}: {message}", file=sys.stderr)
    return EXIT_USAGE
