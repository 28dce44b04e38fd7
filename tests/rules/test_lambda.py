"""A Lambda is summarized only from a declared output_shape; without one modelmath never
runs the function and keeps the shapes the file states, marked as having no formula."""

from __future__ import annotations

from typing import Any

import modelmath
from modelmath.model_summary import RowStatus


def test_lambda_without_output_shape_keeps_stated_shapes(keras: Any) -> None:
    x = keras.Input((4,))
    y = keras.layers.Lambda(lambda t: t * 2)(x)
    model = keras.Model(x, keras.layers.Dense(3)(y))
    summary = modelmath.summary(model)
    row = summary.row("lambda")
    assert row.status is RowStatus.NO_RULE
    assert row.output_values == ((None, 4),)
    assert summary.row("dense").params is not None
    assert any("Lambda" in note for note in summary.notes)
