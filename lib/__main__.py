"""``python -m lib``: the command line (see :mod:`lib.cli`)."""

import sys

from .cli import main

sys.exit(main())
