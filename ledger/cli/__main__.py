"""`python -m ledger.cli` runs the command (tests run it so, to use the code under test)."""

import sys

from ledger.cli import main

sys.exit(main())
