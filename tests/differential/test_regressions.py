"""Replay every model that differential testing once found wrong (regressions/*.json)."""

from __future__ import annotations

import sys
from pathlib import Path

# The rule tests' checking helper (tests/rules/layer_check.py); no conftest.py here, since
# a second module named conftest would shadow tests/conftest.py for other test files.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "rules"))

from typing import Any

import pytest
from layer_check import check_model

CASES = sorted((Path(__file__).parent / "regressions").glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_regression(keras: Any, path: Path) -> None:
    model = keras.models.model_from_json(path.read_text())
    check_model(model, path.stem)
