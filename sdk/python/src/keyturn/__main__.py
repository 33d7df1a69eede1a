"""``python -m keyturn …``: the command line (see ``keyturn.cli``)."""

import sys

from .cli import main

sys.exit(main())
