"""Damaged model configs: every one gives a summary or a clear error, never a traceback.

Configs that real Keras writes (``model.to_json()``: a CNN, a functional graph with
merges, a recurrent model with attention, a nested model) are damaged, seeded so that
every run sees the same: an entry deleted, a value replaced by one of another type or
out of range. Whatever comes out must be a summary that renders or a
:class:`ModelMathError`. (This fuzz found a layer config that is a list and a negative
tensor index in ``keras_history`` ending in Python tracebacks.)
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

import modelmath
from modelmath.errors import ModelMathError

MUTANTS = 150  # per model
_VALUES: list[Any] = [
    None, 0, -1, 1, 2.5, "", "x", "same", [], {}, [1], [None], {"a": 1}, True, 10**15, [0, 0],
    "float32", -5,
]  # fmt: skip


def _models(keras: Any) -> dict[str, Any]:
    layers = keras.layers
    cnn = keras.Sequential(
        [
            keras.Input((32, 32, 3)), layers.Conv2D(8, 3, padding="same"),
            layers.BatchNormalization(), layers.MaxPooling2D(), layers.Flatten(),
            layers.Dropout(0.2), layers.Dense(10),
        ],
        name="cnn",
    )  # fmt: skip
    i = keras.Input((20,))
    a, b = layers.Dense(8)(i), layers.Dense(8)(i)
    merged = layers.Concatenate()([layers.Concatenate()([a, b]), layers.Add()([a, b])])
    graph = keras.Model(i, layers.Dense(2)(merged), name="graph")
    ids = keras.Input((10,), dtype="int32")
    seq = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(
        layers.Embedding(100, 16)(ids)
    )
    pooled = layers.GlobalAveragePooling1D()(layers.MultiHeadAttention(2, 4)(seq, seq))
    recurrent = keras.Model(ids, layers.Dense(3)(pooled), name="recurrent")
    inner = keras.Sequential([keras.Input((16,)), layers.Dense(4)], name="inner")
    x = keras.Input((16,))
    nested = keras.Model(x, layers.Dense(2)(inner(x)), name="nested")
    return {m.name: json.loads(m.to_json()) for m in (cnn, graph, recurrent, nested)}


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Where each value of a JSON tree is, as keys and indices from its root."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _damaged(config: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(config)
    places = [p for p in _paths(config) if p]
    for _ in range(rng.choice([1, 1, 2])):
        place = rng.choice(places)
        parent: Any = out
        try:
            for key in place[:-1]:
                parent = parent[key]
            key = place[-1]
            if rng.random() < 0.3 and isinstance(parent, (dict, list)):
                del parent[key]
            else:
                parent[key] = rng.choice(_VALUES)
        except (KeyError, IndexError, TypeError):  # an earlier damage moved it
            continue
    return out


@pytest.fixture(scope="module")
def configs(keras: Any) -> dict[str, Any]:
    return _models(keras)


@pytest.mark.parametrize("name", ["cnn", "graph", "recurrent", "nested"])
def test_a_damaged_config_gives_a_summary_or_a_clear_error(
    name: str, configs: dict[str, Any]
) -> None:
    rng = random.Random(f"20261130 {name}")
    errors = 0
    for _ in range(MUTANTS):
        config = _damaged(configs[name], rng)
        try:
            for s in modelmath.summaries(config):
                str(s)
        except ModelMathError:  # anything else fails the test with its traceback
            errors += 1
    assert 0 < errors < MUTANTS, "the damage should break some configs and spare others"
