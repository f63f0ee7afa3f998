"""``python -m lib``: the command line (see :mod:`lib.cli`)."""

import sys

from lib.cli import main

sys.exit(main())
