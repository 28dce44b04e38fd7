"""Shape rules of torch's recurrent layers and cells (``torch.lstm``, ``torch.gru``,
``torch.rnn_tanh``/``rnn_relu`` and their ``*_cell`` forms), registered into
:data:`~modelmath.frontends.torch_module.shape_rules.HANDLERS`.

Off the CPU and CUDA (so on meta) torch runs a recurrent layer step by step in ATen's
composite code (``aten/src/ATen/native/RNN.cpp``): each step of each direction of each
layer applies ``linear`` to the hidden state and to the step's input — an ``addmm``, or
an ``mm`` without biases — in the cell's own order (hidden first for LSTM and the plain
RNN, input first for GRU), and an LSTM with projections then multiplies the new hidden
state by ``w_hr`` (an ``mm``). Layers run in turn, each direction's steps after the
other's. The rules list those contractions in that order. Packed sequences are refused:
their steps depend on the batch sizes' values, which a shape does not carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    Handler,
    _bind,
    _new,
    _sym,
)
from modelmath.frontends.torch_module.symbolic import (
    _FLOAT_TYPES,
    SymTensor,
    Unsupported,
    contiguous_strides,
)

_GATES = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}


def _linear(x: tuple[int, int], w: SymTensor, bias: bool, aten: list[AtenOp]) -> None:
    """The contraction ``at::linear`` of a matrix dispatches: addmm with a bias, else mm."""
    out, inner = w._shape
    aten.append(AtenOp("addmm" if bias else "mm", (x, (inner, out)), (x[0], out)))


def _check_weights(
    w_ih: SymTensor,
    w_hh: SymTensor,
    biases: Sequence[SymTensor],
    gates: int,
    size_in: int,
    hidden: int,
    size_h: int,
    dtype: torch.dtype,
) -> None:
    """The weights of one cell have the shapes and dtype torch's cell expects."""
    if (
        w_ih._shape != (gates * hidden, size_in)
        or w_hh._shape != (gates * hidden, size_h)
        or any(b._shape != (gates * hidden,) for b in biases)
        or any(t.dtype != dtype for t in (w_ih, w_hh, *biases))
    ):
        raise Unsupported("recurrent weights of other shapes or dtypes")


def _float(x: SymTensor) -> torch.dtype:
    if x.dtype not in _FLOAT_TYPES:
        raise Unsupported("a recurrent layer of a non-float dtype")
    return x.dtype


def _positive(*sizes: int) -> None:
    if any(s <= 0 for s in sizes):
        raise Unsupported("a recurrent layer of an empty size")


_LAYER_NAMES = (
    "input",
    "hx",
    "params",
    "has_biases",
    "num_layers",
    "dropout",
    "train",
    "bidirectional",
    "batch_first",
)


def _layer(kind: str) -> Handler:
    gates = _GATES[kind]

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, _LAYER_NAMES, (_MISSING,) * len(_LAYER_NAMES))
        x_, hx, params, has_biases, layers, dropout, train, bidirectional, batch_first = bound
        if not all(isinstance(v, bool) for v in (has_biases, train, bidirectional, batch_first)):
            # the packed form (data, batch_sizes, hx, params, …) lands here: its arguments
            # shift by one, so a flag is a list or a number
            raise Unsupported("a recurrent layer's flags that are not bools (a packed sequence?)")
        if not isinstance(layers, int) or isinstance(layers, bool) or layers < 1:
            raise Unsupported("a recurrent layer's number of layers")
        if not isinstance(dropout, (int, float)) or isinstance(dropout, bool):
            raise Unsupported("a recurrent layer's dropout")
        x = _sym(x_)
        dtype = _float(x)
        if x.dim() != 3:
            raise Unsupported("a recurrent layer's input that is not 3-d")
        steps, batch, size_in = (
            (x._shape[1], x._shape[0], x._shape[2]) if batch_first else (x._shape)
        )
        dirs = 2 if bidirectional else 1
        # hidden states: one tensor, or (h, c) for an LSTM
        if kind == "lstm":
            if not isinstance(hx, (list, tuple)) or len(hx) != 2:
                raise Unsupported("an LSTM's hidden state that is not (h, c)")
            h, c = _sym(hx[0]), _sym(hx[1])
        else:
            h, c = _sym(hx), None
        if h.dim() != 3 or (c is not None and c.dim() != 3):
            raise Unsupported("a recurrent layer's hidden state that is not 3-d")
        size_h = h._shape[2]
        hidden = size_h if c is None else c._shape[2]
        # ATen's own test for projections: h and c of different widths
        proj = c is not None and size_h != hidden
        if h._shape != (layers * dirs, batch, size_h) or (
            c is not None and c._shape != (layers * dirs, batch, hidden)
        ):
            raise Unsupported("a recurrent layer's hidden state of another shape")
        if h.dtype != dtype or (c is not None and c.dtype != dtype):
            raise Unsupported("a recurrent layer's hidden state of another dtype")
        _positive(steps, batch, size_in, size_h, hidden)
        per_cell = 2 + (2 if has_biases else 0) + (1 if proj else 0)
        if not isinstance(params, (list, tuple)) or len(params) != per_cell * layers * dirs:
            raise Unsupported("a recurrent layer's weights of another count")
        weights = [_sym(p) for p in params]
        step_ops: list[AtenOp] = []
        layer_in = size_in
        for layer in range(layers):
            for d in range(dirs):
                cell = weights[(layer * dirs + d) * per_cell : (layer * dirs + d + 1) * per_cell]
                w_ih, w_hh = cell[0], cell[1]
                biases = cell[2:4] if has_biases else []
                _check_weights(w_ih, w_hh, biases, gates, layer_in, hidden, size_h, dtype)
                step_ops.clear()
                if proj:
                    w_hr = cell[-1]
                    if w_hr._shape != (size_h, hidden) or w_hr.dtype != dtype:
                        raise Unsupported("an LSTM's projection of another shape")
                if kind == "gru":
                    _linear((batch, layer_in), w_ih, has_biases, step_ops)
                    _linear((batch, size_h), w_hh, has_biases, step_ops)
                else:
                    _linear((batch, size_h), w_hh, has_biases, step_ops)
                    _linear((batch, layer_in), w_ih, has_biases, step_ops)
                if proj:
                    step_ops.append(
                        AtenOp("mm", ((batch, hidden), (hidden, size_h)), (batch, size_h))
                    )
                aten.extend(step_ops * steps)
            layer_in = dirs * size_h
        out_shape = (steps, batch, dirs * size_h)
        strides = contiguous_strides(out_shape)
        if batch_first:  # the time-major result, transposed back
            output = SymTensor((batch, steps, dirs * size_h), dtype, (strides[1], strides[0], 1))
        else:
            output = SymTensor(out_shape, dtype, strides)
        if c is None:
            return output, _new(h._shape, dtype)
        return output, _new(h._shape, dtype), _new(c._shape, dtype)

    return handler


def _cell(kind: str) -> Handler:
    gates = _GATES[kind]
    names = ("input", "hx", "w_ih", "w_hh", "b_ih", "b_hh")
    defaults = (_MISSING, _MISSING, _MISSING, _MISSING, None, None)

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x_, hx, w_ih_, w_hh_, b_ih, b_hh = _bind(args, kwargs, names, defaults)
        x, w_ih, w_hh = _sym(x_), _sym(w_ih_), _sym(w_hh_)
        dtype = _float(x)
        if kind == "lstm":
            if not isinstance(hx, (list, tuple)) or len(hx) != 2:
                raise Unsupported("an LSTM cell's hidden state that is not (h, c)")
            states = [_sym(hx[0]), _sym(hx[1])]
        else:
            states = [_sym(hx)]
        if x.dim() != 2 or w_ih.dim() != 2 or w_hh.dim() != 2:
            raise Unsupported("a recurrent cell's input that is not a matrix")
        batch, size_in = x._shape
        hidden = w_hh._shape[1]
        for s in states:
            # the new state's layout follows the old one's in GRU's arithmetic: keep it simple
            if s._shape != (batch, hidden) or s._stride != contiguous_strides(s._shape):
                raise Unsupported("a recurrent cell's hidden state of another shape or layout")
            if s.dtype != dtype:
                raise Unsupported("a recurrent cell's hidden state of another dtype")
        if (b_ih is None) != (b_hh is None):
            raise Unsupported("a recurrent cell with one bias of two")
        biases = [] if b_ih is None else [_sym(b_ih), _sym(b_hh)]
        _positive(batch, size_in, hidden)
        _check_weights(w_ih, w_hh, biases, gates, size_in, hidden, hidden, dtype)
        if kind == "gru":
            _linear((batch, size_in), w_ih, bool(biases), aten)
            _linear((batch, hidden), w_hh, bool(biases), aten)
        else:
            _linear((batch, hidden), w_hh, bool(biases), aten)
            _linear((batch, size_in), w_ih, bool(biases), aten)
        if kind == "lstm":
            return _new((batch, hidden), dtype), _new((batch, hidden), dtype)
        return _new((batch, hidden), dtype)

    return handler


for _kind in _GATES:
    HANDLERS[getattr(torch, _kind)] = _layer(_kind)
    HANDLERS[getattr(torch, f"{_kind}_cell")] = _cell(_kind)
