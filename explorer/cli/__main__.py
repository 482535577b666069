"""``python -m explorer.cli``: the ``explorer`` command."""
import sys

from . import main

sys.exit(main())
