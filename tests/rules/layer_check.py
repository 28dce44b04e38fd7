"""The one checking helper of the rule tests: a layer inside a model, summarized by
modelmath from the live model and from its saved config, compared with Keras row by row
(checks.assert_matches_keras) and on each row's trainable / non-trainable split."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from checks import assert_matches_keras
from keras_oracle import truth

import modelmath
from modelmath.model_summary import Summary


def trainable_split(model: Any) -> dict[str, tuple[int, int]]:
    """Keras's (trainable, non-trainable) parameter counts per layer, as summary() shows."""
    from keras.src.utils.summary_utils import count_params

    out = {}
    for layer in model.layers:
        if getattr(layer, "built", False):
            out[layer.name] = (
                count_params(layer.trainable_weights),
                count_params(layer.non_trainable_weights),
            )
    return out


def assert_rows_split(summary: Summary, model: Any, label: str) -> None:
    expected = trainable_split(model)
    for row in summary.rows:
        if row.name not in expected or row.trainable is None or row.non_trainable is None:
            continue
        ours = (int(row.trainable.value), int(row.non_trainable.value))
        assert ours == expected[row.name], f"{label}: {row.name} trainable split"


# Keras writes a few classes into configs under another name than the class's own, which
# its summary prints; the frontend keeps the config's name (reported as a frontend issue).
CONFIG_NAMES = {"GroupedQueryAttention": "GroupQueryAttention"}


def check_model(model: Any, label: str) -> None:
    """modelmath equals Keras on ``model``, read live and from ``model.to_json()``."""
    expected = truth(model)
    rows = tuple(replace(r, op=CONFIG_NAMES.get(r.op, r.op)) for r in expected.rows)
    expected = replace(expected, rows=rows)
    for how, source in (("live", model), ("config", json.loads(model.to_json()))):
        summary = modelmath.summary(source)
        assert_matches_keras(summary, expected, f"{label} ({how})")
        assert_rows_split(summary, model, f"{label} ({how})")
