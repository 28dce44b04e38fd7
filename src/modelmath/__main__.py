"""`python -m modelmath` runs the command line."""

from modelmath.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
