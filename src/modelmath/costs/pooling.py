"""Pooling: no MACs; per output element, a max window of K values takes K − 1
comparisons and an average takes K − 1 adds and a division (K operations).

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("p", "MaxPooling2D", {"pool_size": 2}, ((None, 4, 4, 3),))
>>> pooling(CostCall(call, find_rule("MaxPooling2D")(call))).elementwise.value
36
"""

from __future__ import annotations

from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.registry import cost
from modelmath.expr import Expr, Num, Quantity, Sym, product
from modelmath.rules.spatial import spatial_axes

_ZERO_WHY = "pooling multiplies nothing"


def _rank(op: str) -> int:
    return int(op.rstrip("D")[-1])


def _is_max(op: str) -> bool:
    return "Max" in op


def _window_ops(op: str, window: Expr) -> Expr:
    return window - 1 if _is_max(op) else window


def _words(op: str) -> str:
    if _is_max(op):
        return "K − 1 comparisons per output element (K = window size)"
    return "K − 1 adds and 1 division per output element (K = window size)"


@cost(
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
)
def pooling(c: CostCall) -> OpCost:
    """Output elements × (pool window − 1) for max, × window for average."""
    rank = _rank(c.call.op)
    pool = c.call.int_tuple("pool_size", rank, 2)
    window = product(
        Sym(a.name("K"), k, f"pool {a.word}") for a, k in zip(spatial_axes(rank), pool)
    )
    ew = c.out_elements() * _window_ops(c.call.op, window)
    return OpCost(Quantity(Num(0), _ZERO_WHY), Quantity(ew, _words(c.call.op)))


@cost(
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
)
def global_pooling(c: CostCall) -> OpCost:
    """The window is every spatial position: N · C · (positions − 1 or positions)."""
    rank = _rank(c.call.op)
    shape = c.call.inputs[0]
    channels_last = c.call.get("data_format", "channels_last") != "channels_first"
    spatial = shape[1:-1] if channels_last else shape[2:]
    channels = shape[-1] if channels_last else shape[1]
    sizes = [c.call.known(s, "spatial size") for s in spatial]
    window = product(Sym(a.symbol, s, f"input {a.word}") for a, s in zip(spatial_axes(rank), sizes))
    C = Sym("C", c.call.known(channels, "number of channels"), "channels")
    ew = c.batch * C * _window_ops(c.call.op, window)
    return OpCost(Quantity(Num(0), _ZERO_WHY), Quantity(ew, _words(c.call.op)))


def _adaptive_reads(size: int, out: int) -> int:
    """Σ of the window sizes along one axis: window i is [⌊i·W/O⌋, ⌈(i+1)·W/O⌉)."""
    return sum(-(-((i + 1) * size) // out) - (i * size) // out for i in range(out))


@cost(
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
)
def adaptive_pooling(c: CostCall) -> OpCost:
    """Windows of varying size: N · C · Π_axes (Σ window sizes) reads, less one per output
    element for max (comparisons), or as many for average (adds and a division)."""
    rank = _rank(c.call.op)
    shape = c.call.inputs[0]
    channels_last = c.call.get("data_format", "channels_last") != "channels_first"
    spatial = shape[1:-1] if channels_last else shape[2:]
    channels = shape[-1] if channels_last else shape[1]
    outs = c.call.int_tuple("output_size", rank)
    reads = product(
        Sym(
            f"R_{a.sub or 'l'}",
            _adaptive_reads(c.call.known(s, "spatial size"), o),
            f"sum of the window sizes along the {a.word}",
        )
        for a, s, o in zip(spatial_axes(rank), spatial, outs)
    )
    C = Sym("C", c.call.known(channels, "number of channels"), "channels")
    per_sample = C * reads
    if _is_max(c.call.op):
        per_sample = per_sample - C * product(Num(o) for o in outs)
    ew = c.batch * per_sample
    return OpCost(Quantity(Num(0), _ZERO_WHY), Quantity(ew, _words(c.call.op)))
