"""What real Keras says about a model: the oracle every Keras test compares with.

Keras runs on its torch backend with weights on the `meta` device, so even EfficientNetB7
builds in about a second and allocates no weight memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("KERAS_TORCH_DEVICE", "meta")

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class KerasRow:
    name: str
    op: str
    outputs: tuple[Shape, ...]
    params: int


@dataclass(frozen=True)
class KerasTruth:
    rows: tuple[KerasRow, ...]
    total: int
    trainable: int
    non_trainable: int
    total_bytes: float


def _shapes(outputs: Any) -> tuple[Shape, ...]:
    from keras import tree

    return tuple(tuple(t.shape) for t in tree.flatten(outputs))


def truth(model: Any) -> KerasTruth:
    """Rows and totals exactly as Keras's summary computes them."""
    from keras.src.models import Functional, Sequential
    from keras.src.utils.summary_utils import count_params, weight_memory_size

    if isinstance(model, Sequential) or not isinstance(model, Functional):
        layers = model.layers
    else:
        layers = model._operations
    rows = []
    for layer in layers:
        nodes = layer._inbound_nodes
        outputs = _shapes(nodes[-1].output_tensors) if nodes else ()
        # Operations (x + y in functional code) have no weights and no `built`.
        params = layer.count_params() if getattr(layer, "built", False) else 0
        rows.append(KerasRow(layer.name, type(layer).__name__, outputs, params))
    trainable = count_params(model.trainable_weights)
    non_trainable = count_params(model.non_trainable_weights)
    size = weight_memory_size(model.trainable_weights) + weight_memory_size(
        model.non_trainable_weights
    )
    return KerasTruth(tuple(rows), trainable + non_trainable, trainable, non_trainable, size)


def summary_text(model: Any, line_length: int | None = None, **options: Any) -> str:
    """Keras's own `model.summary()` text, captured (options: expand_nested, …)."""
    lines: list[str] = []
    model.summary(print_fn=lambda s, **_: lines.append(s), line_length=line_length, **options)
    return "".join(lines)


def application_names() -> list[str]:
    """Every model builder in keras.applications."""
    import keras

    return sorted(
        n
        for n in dir(keras.applications)
        if n[:1].isupper() and callable(getattr(keras.applications, n))
    )


def build_application(name: str) -> Any:
    import keras

    return getattr(keras.applications, name)(weights=None)
