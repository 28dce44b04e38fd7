"""`python -m modelmath` runs the command line."""

from modelmath.cli import main

raise SystemExit(main())
