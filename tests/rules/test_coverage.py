"""Every keras.layers class is covered or listed with a reason, and docs/coverage.md is
the generator's current output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelmath.coverage import keras_layer_classes, status, table

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def test_every_keras_layer_is_covered_or_explained(keras: Any) -> None:
    missing = [n for n in keras_layer_classes() if status(n)[0] == "missing"]
    assert not missing, f"keras.layers classes with neither a rule nor a reason: {missing}"


def test_coverage_doc_is_up_to_date(keras: Any) -> None:
    expected = table(keras_layer_classes(), keras.__version__)
    assert DOC.read_text() == expected, (
        "docs/coverage.md is out of date: run `python -m modelmath.coverage > docs/coverage.md`"
    )
