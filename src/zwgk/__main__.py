"""`python -m zwgk`: the `zwgk` command."""

import sys

from zwgk.cli import main

sys.exit(main())
