"""MACs of PyTorch layers in the layer's own terms: N · output positions · |weight|.

The PyTorch frontend counts every contraction the traced pass dispatched
(:mod:`modelmath.torch_macs`); a row shows these formulas instead when their value
equals that count (they explain it, checked, never a second opinion). They take the
cost rules' input (:class:`~modelmath.costs.CostCall`) and are kept here, by the shape
rules' op names, rather than in the costs registry, whose tests check Keras layers.
Layouts are PyTorch's: channels first, ``weight``.

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("fc", "Linear", {"out_features": 8, "bias": True}, ((2, 5, 4),),
...                  framework="torch")
>>> linear(CostCall(call, find_rule("Linear")(call))).macs.value
320
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.conv import weight
from modelmath.expr import Expr, Quantity, Sym, product
from modelmath.graph import Shape
from modelmath.rules.spatial import spatial_axes

LayerCost = Callable[[CostCall], OpCost]
_COSTS: dict[str, LayerCost] = {}


def cost(*ops: str) -> Callable[[LayerCost], LayerCost]:
    def register(fn: LayerCost) -> LayerCost:
        for op in ops:
            _COSTS[op] = fn
        return fn

    return register


def find_layer_cost(op: str) -> LayerCost | None:
    """The MAC formula of a PyTorch layer (by its shape rule's op name), if any."""
    return _COSTS.get(op)


def _positions(c: CostCall, shape: Shape, rank: int, where: str) -> Expr:
    """H·W (or L, or D·H·W) of a channels-first shape, as named symbols."""
    sizes = shape[-rank:]
    return product(
        [
            Sym(name, int(size or 0), meaning)
            for (name, meaning), size in zip(_position_labels(rank, where), sizes)
        ]
    )


@lru_cache(maxsize=64)
def _position_labels(rank: int, where: str) -> tuple[tuple[str, str], ...]:
    """(name, meaning) of each spatial axis: ``H_out``, "output height". The same for every
    layer of a rank, so made once (a pure function of two small values)."""
    return tuple((f"{a.symbol}_{where}", f"{where}put {a.word}") for a in spatial_axes(rank))


@lru_cache(maxsize=64)
def _axis_labels(count: int) -> tuple[tuple[str, str], ...]:
    """(name, meaning) of axes 0 … count − 1: ``d_1``, "size of axis 1" (made once)."""
    return tuple((f"d_{i}", f"size of axis {i}") for i in range(count))


def _batch(c: CostCall, shape: Shape, rank: int) -> Expr:
    """N, or 1 for an unbatched input (PyTorch accepts (C, H, W))."""
    batched = len(shape) == rank + 2
    return Sym("N", int(shape[0] or 0) if batched else 1, "batch size")


@cost("Linear", "LazyLinear", "NonDynamicallyQuantizableLinear")
def linear(c: CostCall) -> OpCost:
    """Every input vector times the weight: (positions before the last axis) · C_in · U."""
    shape = c.call.inputs[0]
    lead = shape[:-1]
    rows = product(
        [
            Sym(name, int(d or 0), meaning)
            for (name, meaning), d in zip(_axis_labels(len(lead)), lead)
        ]
    )
    macs = rows * weight(c, "weight").count
    return OpCost(Quantity(macs, "every input vector times the weight: rows · U · C_in"))


@cost("Conv1d", "Conv2d", "Conv3d")
def conv(c: CostCall) -> OpCost:
    """N · output positions · |weight| (F · C_in/g · K_h · K_w)."""
    rank = int(c.call.op[-2])
    shape = c.call.inputs[0]
    out = c.result.outputs[0].values
    macs = _batch(c, shape, rank) * _positions(c, out, rank, "out") * weight(c, "weight").count
    why = "each output position applies the whole kernel: N · output positions · kernel size"
    return OpCost(Quantity(macs, why))


@cost("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
def conv_transpose(c: CostCall) -> OpCost:
    """N · input positions · |weight|: each input value is spread by the whole kernel."""
    rank = int(c.call.op[-2])
    shape = c.call.inputs[0]
    macs = _batch(c, shape, rank) * _positions(c, shape, rank, "in") * weight(c, "weight").count
    why = "each input position scatters the whole kernel: N · input positions · kernel size"
    return OpCost(Quantity(macs, why))
