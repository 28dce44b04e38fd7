"""Every layer family against Keras: one table of cases, one checking helper.

Each case builds one layer in a small functional model; the numbers modelmath works out
from the architecture must equal Keras's for output shapes, parameters, the trainable
split and bytes, with every formula evaluating to its own number.
"""

from __future__ import annotations

from typing import Any

import pytest
from layer_cases import CASES, Case
from layer_check import check_model


def build(case: Case) -> Any:
    import keras

    shapes = case.inputs if isinstance(case.inputs[0], tuple) else (case.inputs,)
    inputs = [keras.Input(batch_shape=s, dtype=case.dtype) for s in shapes]
    layer = case.make(keras.layers)
    if case.call == "list":
        y = layer(inputs, **case.kwargs)
    elif case.call == "args":
        y = layer(*inputs, **case.kwargs)
    elif case.call == "key_mask":  # attention: query, value, key=…, attention_mask=…
        q, v, k, m = inputs
        y = layer(q, v, key=k, attention_mask=m, **case.kwargs)
    elif case.call == "named":  # attention with every tensor passed by keyword
        y = layer(query=inputs[0], value=inputs[1], **case.kwargs)
    elif case.call == "initial_state":
        y = layer(inputs[0], initial_state=inputs[1:], **case.kwargs)
    else:
        y = layer(inputs[0], **case.kwargs)
    model = keras.Model(inputs, y)
    if case.frozen:
        layer.trainable = False
    return model


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_layer_matches_keras(keras: Any, case: Case) -> None:
    check_model(build(case), case.id)
