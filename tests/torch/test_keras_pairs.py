"""The same architecture in Keras and in PyTorch: the same numbers and the same formulas.

Formulas are compared as trees with the operands of + and · in a canonical order: each
framework writes a weight's factors in its own layout (Keras's kernel K_h×K_w×C_in×F,
PyTorch's weight F×C_in×K_h×K_w), and the sums and products are the same.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

import modelmath
from modelmath.expr import Expr, Num, Prod, Sum, Sym
from modelmath.module_summary import ModuleSummary


def canonical(e: Expr) -> str:
    """The formula with commutative operands sorted: equal for the same math."""
    if isinstance(e, Sym):
        return f"{e.name}={e.value}"
    if isinstance(e, Num):
        return str(e.value)
    parts = [canonical(c) for c in e.children]
    if isinstance(e, (Sum, Prod)):
        parts.sort()
    return f"{type(e).__name__}({', '.join(parts)})"


def torch_rows(s: ModuleSummary) -> list[Any]:
    return [r for r in s.rows if r.is_leaf and r.called]


def keras_rows(s: Any) -> list[Any]:
    return [r for r in s.rows if r.op != "InputLayer"]


def test_seed_cnn(keras: Any) -> None:
    layers = keras.layers
    km = keras.Sequential([
        keras.Input((150, 150, 3)),
        layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(512, activation="relu"), layers.Dense(1, "sigmoid"),
    ])  # fmt: skip
    tm = nn.Sequential(
        nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 17 * 17, 512), nn.ReLU(), nn.Linear(512, 1), nn.Sigmoid(),
    )  # fmt: skip
    ks = modelmath.summary(km, columns=["shape", "params", "macs"], batch=1)
    ts = modelmath.summary(tm, input_size=(1, 3, 150, 150))
    assert isinstance(ts, ModuleSummary)
    trows = [r for r in torch_rows(ts) if r.op not in ("ReLU", "Sigmoid")]
    krows = keras_rows(ks)
    assert [r.op for r in krows] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
        "Flatten", "Dense", "Dense",
    ]  # fmt: skip
    assert len(trows) == len(krows)
    for k, t in zip(krows, trows):
        # The same parameter counts, from the same formula.
        assert k.params.value == t.params.value, k.name
        assert canonical(k.params.expr) == canonical(t.params.expr), k.name
        # The same output sizes from the same formulas (channels last vs first).
        kdims = k.outputs[0].dims[1:]
        tdims = t.output_formulas[0].dims[1:]
        if len(kdims) == 3:
            tdims = (*tdims[1:], tdims[0])
        assert [d.value for d in kdims] == [d.value for d in tdims]
        for kd, td in zip(kdims, tdims):
            if not kd.is_leaf:
                assert canonical(kd) == canonical(td), k.name
        # The same MACs (Keras counts them with its cost rules, PyTorch by tracing).
        assert k.costs.macs.value == t.macs.value, k.name
    assert ks.totals.total.value == ts.totals.params.value


def test_gru(keras: Any) -> None:
    """Keras's GRU (reset_after=True) keeps two biases per gate, as PyTorch's does."""
    km = keras.Sequential([keras.Input((10, 8)), keras.layers.GRU(16, return_sequences=True)])
    tm = nn.GRU(8, 16, batch_first=True)
    ks = modelmath.summary(km, columns=["shape", "params", "macs"], batch=2)
    ts = modelmath.summary(tm, input_size=(2, 10, 8))
    assert isinstance(ts, ModuleSummary)
    (k,) = keras_rows(ks)
    t = ts.rows[0]
    assert k.params.value == t.params.value == 3 * 16 * (8 + 16) + 2 * 3 * 16
    assert k.outputs[0].values[1:] == t.output_formulas[0].values[1:]
    assert k.costs.macs.value == t.macs.value


def test_lstm_differs_by_the_second_bias(keras: Any) -> None:
    """PyTorch's LSTM adds bias_hh to bias_ih: 4·H more parameters than Keras's LSTM."""
    km = keras.Sequential([keras.Input((10, 8)), keras.layers.LSTM(16, return_sequences=True)])
    tm = nn.LSTM(8, 16, batch_first=True)
    ks = modelmath.summary(km, columns=["shape", "params", "macs"], batch=2)
    ts = modelmath.summary(tm, input_size=(2, 10, 8))
    assert isinstance(ts, ModuleSummary)
    (k,) = keras_rows(ks)
    t = ts.rows[0]
    assert t.params.value - k.params.value == 4 * 16
    assert k.outputs[0].values[1:] == t.output_formulas[0].values[1:]
    assert k.costs.macs.value == t.macs.value


def test_attention_block(keras: Any) -> None:
    inp = keras.Input((10, 32))
    out = keras.layers.MultiHeadAttention(num_heads=4, key_dim=8)(inp, inp)
    km = keras.Model(inp, out)
    tm = nn.MultiheadAttention(32, 4, batch_first=True)
    ks = modelmath.summary(km, columns=["shape", "params", "macs"], batch=2)
    x = torch.randn(2, 10, 32)
    ts = modelmath.summary(tm, input_data=[x, x, x])
    assert isinstance(ts, ModuleSummary)
    (k,) = keras_rows(ks)
    assert k.params.value == ts.totals.params.value == 4 * (32 * 32 + 32)
    assert k.outputs[0].values[1:] == ts.rows[0].output_formulas[0].values[1:]
    macs = pytest.approx(ts.totals.macs.value)
    assert k.costs.macs.value == macs
