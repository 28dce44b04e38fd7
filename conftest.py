"""Test-run set-up for the compiled build (setup.py compiles the PyTorch path's hot modules
in place, beside their sources).

- A compiled module older than its source would shadow it: the run stops and says how
  to build it again, instead of testing code that is no longer the source.
- pytest's doctest collection imports ``src/modelmath/x.py`` and finds the module that
  Python imports, the compiled ``x.*.so``: the same source, so the path check that would
  refuse it is turned off (its doctests then run on the compiled module).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SRC = Path(__file__).parent / "src" / "modelmath"

# Only for a compiled build. The check also guards against two test files of one name,
# which tests/test_compiled_build.py checks instead.
if any(SRC.rglob("*.so")):
    os.environ.setdefault("PY_IGNORE_IMPORTMISMATCH", "1")


def stale_compiled_modules(src: Path = SRC) -> list[str]:
    """Sources edited since their compiled module was built (none for a pure build)."""
    stale = []
    for built in src.rglob("*.so"):
        source = built.with_name(built.name.split(".", 1)[0] + ".py")
        if source.is_file() and source.stat().st_mtime > built.stat().st_mtime:
            stale.append(str(source.relative_to(src.parent)))
    return sorted(stale)


def pytest_configure(config: pytest.Config) -> None:
    stale = stale_compiled_modules()
    if stale:
        raise pytest.UsageError(
            f"compiled modules are older than their sources ({', '.join(stale)}): "
            "run `make test` (it builds them again) or "
            "`.venv/bin/python setup.py build_ext --inplace`"
        )
