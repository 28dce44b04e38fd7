"""Where the project's files are, for tests in any folder.

Kept out of conftest.py: several folders have their own conftest.py, and a plain
``from conftest import ...`` would find whichever was imported first.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
