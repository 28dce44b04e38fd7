from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
pytest.importorskip(
    "torch", reason="PyTorch is the oracle for these tests; `make test` installs it"
)
