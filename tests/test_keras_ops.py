"""keras.ops operations in functional models, through the live-model and saved-config paths.

Keras records each operation on Keras tensors (``x / 255.0``, ``ops.mean(x, axis=1)``,
``ops.concatenate`` on its default axis 0) as a row with its settings in its config;
every row and the totals must equal Keras's, read from the live model and from the JSON
Keras writes. (The script path is held by the source corpus: keras_ops_functional.py.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from checks import assert_matches_keras, config_of
from keras_oracle import truth

import modelmath


def _models(keras: Any) -> dict[str, Any]:
    layers, ops = keras.layers, keras.ops
    inputs = keras.Input(shape=(12, 12))
    x = ops.expand_dims(inputs / 255.0, -1)
    x = layers.Conv2D(4, 3)(x ** 2 - ops.floor_divide(x, 2.0) % 3.0)
    pooled = ops.concatenate(
        [ops.mean(x, axis=(1, 2)), ops.max(x, axis=[1, 2]), ops.min(x, axis=1)[:, 0]], axis=-1
    )
    summed = ops.sum(x, axis=-1, keepdims=True)
    out = layers.Dense(3)(
        ops.concatenate([ops.relu(pooled), ops.exp(-ops.abs(pooled))])
    )
    images = keras.Model(inputs, [out, ops.prod(summed, axis=2), ops.cast(summed, "float16")])
    a, b = keras.Input(shape=(4, 6)), keras.Input(shape=(6, 4))
    scores = ops.matmul(a, ops.squeeze(ops.expand_dims(b, 1), axis=1))
    weights = ops.softmax(ops.transpose(scores, (0, 2, 1)) / 6.0**0.5, axis=-1)
    joined = ops.concatenate([ops.matmul(weights, a), ops.sqrt(ops.square(a))], axis=1)
    flat = ops.reshape(joined, (-1, 48))
    pairs = keras.Model(
        [a, b], [ops.log(ops.sigmoid(joined)), ops.transpose(joined), flat, ops.reshape(a, (2, -1))]
    )
    return {"images": images, "pairs": pairs}


@pytest.mark.parametrize("name", ["images", "pairs"])
def test_operations_match_keras_live_and_saved(keras: Any, name: str, tmp_path: Path) -> None:
    model = _models(keras)[name]
    expected = truth(model)
    assert_matches_keras(modelmath.summary(model), expected, f"{name} (live)")
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(config_of(model)))
    assert_matches_keras(modelmath.summary(path), expected, f"{name} (config file)")
