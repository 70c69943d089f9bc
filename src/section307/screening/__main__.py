"""``python -m section307.screening [screen] ENTRIES --watchlist WATCHLIST [...]``."""

import sys

from section307.screening.cli import main

sys.exit(main())
