"""Recurrent layers: SimpleRNN, LSTM, GRU, and RNN running a cell (SimpleRNNCell, LSTMCell,
GRUCell, StackedRNNCells), with return_sequences and return_state.

Every gate of a cell has an input kernel (C_in × U), a recurrent kernel (U × U) and a bias
(U); Keras stores the gates side by side, so an LSTM's kernel is C_in × 4·U.

>>> from modelmath.rules.base import LayerCall
>>> r = rnn_layer(LayerCall("lstm", "LSTM", {"units": 32}, ((None, 10, 8),)))
>>> sum(int(w.count.value) for w in r.weights), r.outputs[0].values
(5248, (None, 32))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from modelmath.expr import Expr, Num, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight, as_int
from modelmath.rules.inner import as_layer, inner_config
from modelmath.rules.registry import rule
from modelmath.rules.spatial import batch_dim

# The gates of each cell, in the order Keras stores their columns.
GATES = {
    "SimpleRNNCell": (),
    "LSTMCell": ("input", "forget", "cell candidate", "output"),
    "GRUCell": ("update", "reset", "candidate"),
}
CELL_OF_LAYER = {"SimpleRNN": "SimpleRNNCell", "LSTM": "LSTMCell", "GRU": "GRUCell"}


@dataclass(frozen=True)
class Cell:
    """What one cell contributes: weights, the sizes of its states, its output size."""

    weights: tuple[Weight, ...]
    states: tuple[Expr, ...]
    output: Expr
    words: str


def gate_cell(
    ctx: LayerCall, op: str, config: Mapping[str, Any], c_in: int, suffix: str = ""
) -> Cell:
    """SimpleRNNCell, LSTMCell or GRUCell reading ``c_in`` features per step."""
    units = as_int(config.get("units")) or 0
    if units <= 0:
        raise ctx.error(f"{op} needs a positive `units`", received=repr(config.get("units")))
    C = Sym(f"C_in{suffix}", c_in, "input features per time step")
    U = Sym(f"U{suffix}", units, "units (size of the hidden state)")
    gates = GATES[op]
    n = len(gates)
    width: Expr = U if n == 0 else Num(n) * U
    which = f"the {n} gates ({', '.join(gates)})" if n else "the hidden state"
    weights = [
        Weight("kernel", (C, width), meaning=f"input → {which}"),
        Weight("recurrent_kernel", (U, width), meaning=f"previous hidden state → {which}"),
    ]
    use_bias = config.get("use_bias", True) is not False
    reset_after = op == "GRUCell" and config.get("reset_after", True) is not False
    if use_bias and reset_after:
        weights.append(
            Weight(
                "bias",
                (Num(2), width),
                meaning="two biases per gate: one for the input, one for the recurrent "
                "projection (reset_after=True)",
            )
        )
    elif use_bias:
        weights.append(Weight("bias", (width,), meaning=f"one bias per unit of {which}"))
    bias_words = ""
    if use_bias:
        bias_words = f" + {'2 × ' if reset_after else ''}{units}"
    per_gate = f"{units} × ({c_in} + {units}){bias_words}"
    if n == 0:
        words = f"U × (C_in + U) + U biases = {per_gate}"
        if not use_bias:
            words = f"U × (C_in + U) = {per_gate}"
    else:
        words = f"{n} gates ({', '.join(gates)}) × (U × (C_in + U)"
        words += (" + 2·U biases" if reset_after else " + U biases") if use_bias else ""
        words += f") = {n} × ({per_gate})"
        if reset_after:
            words += "; reset_after=True keeps separate input and recurrent biases"
    states: tuple[Expr, ...] = (U, U) if op == "LSTMCell" else (U,)
    return Cell(tuple(weights), states, U, words)


def cell_from(ctx: LayerCall, op: str, config: Mapping[str, Any], c_in: int) -> Cell:
    """Any supported cell, StackedRNNCells included (each cell reads the previous output)."""
    if op in GATES:
        return gate_cell(ctx, op, config, c_in)
    if op == "StackedRNNCells":
        weights: list[Weight] = []
        states: list[Expr] = []
        words: list[str] = []
        size = c_in
        output: Expr = Num(c_in)
        for i, raw in enumerate(config.get("cells") or [], start=1):
            cell_op, cell_cfg = as_layer(ctx, raw, "cells")
            if cell_op not in GATES:
                raise ctx.error(f"has no formula for a {cell_op} inside StackedRNNCells")
            cell = gate_cell(ctx, cell_op, cell_cfg, size, suffix=f"_{i}")
            name = str(cell_cfg.get("name") or f"cell_{i}")
            weights += [
                Weight(f"{name}/{w.name}", w.shape, w.trainable, w.meaning) for w in cell.weights
            ]
            states += cell.states
            words.append(f"cell {i}: {cell.words}")
            output, size = cell.output, int(cell.output.value)
        if not words:
            raise ctx.error("StackedRNNCells needs at least one cell")
        return Cell(tuple(weights), tuple(states), output, "; ".join(words))
    raise ctx.error(f"has no formula for an RNN cell of type {op}")


def sequence_outputs(
    ctx: LayerCall, step: tuple[Expr | None, ...], states: tuple[tuple[Expr | None, ...], ...]
) -> tuple[OutputShape, ...]:
    """The output (every step or the last one) and, with return_state, each final state."""
    shape = ctx.inputs[0]
    batch = batch_dim(shape)
    steps = None if shape[1] is None else Sym("T", shape[1], "time steps")
    if ctx.get("return_sequences", False):
        main = OutputShape((batch, steps, *step), why="return_sequences=True: one output per step")
    else:
        main = OutputShape((batch, *step), why="return_sequences=False: the last step only")
    outs = [main]
    if ctx.get("return_state", False):
        outs += [OutputShape((batch, *s), why="return_state=True: a final state") for s in states]
    return tuple(outs)


@rule("SimpleRNN", "LSTM", "GRU", "RNN")
def rnn_layer(ctx: LayerCall) -> RuleResult:
    """A cell run over the time axis of a (batch, steps, features) input."""
    shape = ctx.inputs[0] if ctx.inputs else ()
    if len(shape) != 3:
        raise ctx.error(
            f"{ctx.op} expects a 3-D input (batch, steps, features)", received=f"input {shape}"
        )
    c_in = ctx.known(shape[2], "number of input features")
    if ctx.op == "RNN":
        op, cfg = inner_config(ctx, "cell")
        if op in ("SimpleRNNCell", "LSTMCell", "GRUCell") or op == "StackedRNNCells":
            cell = cell_from(ctx, op, cfg, c_in)
        else:
            raise ctx.error(f"has no formula for an RNN cell of type {op}")
    else:
        cell = gate_cell(ctx, CELL_OF_LAYER[ctx.op], ctx.config, c_in)
    outputs = sequence_outputs(ctx, (cell.output,), tuple((s,) for s in cell.states))
    return RuleResult(outputs, cell.weights, cell.words)
