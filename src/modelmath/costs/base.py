"""What a cost rule sees (:class:`CostCall`) and returns (:class:`OpCost`).

A cost rule is a pure function of one layer call: the :class:`LayerCall` its shape rule
saw (config and input shapes), the :class:`RuleResult` that rule returned (weights and
output shapes) and the batch size. It never sees a framework object.

MACs count only multiply-accumulates of contractions (matrix products, convolutions,
einsums, attention's score and weighted-sum products); everything done element by
element (bias adds, activations, normalization, pooling, softmax, merging) is counted in
``elementwise`` and enters the FLOPs only: FLOPs = 2 · MACs + element-wise operations.

>>> from modelmath.rules.base import LayerCall, RuleResult
>>> c = CostCall(LayerCall("d", "Dense", {"units": 2}, ((None, 5, 3),)), RuleResult(()), 4)
>>> c.batch.value, c.positions(c.call.inputs[0], drop_last=True).value
(4, 5)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from modelmath.expr import Expr, Num, Quantity, Sym, product
from modelmath.fastinit import fast_frozen_init
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, RuleResult


@fast_frozen_init  # built for every layer a cost rule sees
@dataclass(frozen=True)
class CostCall:
    """One layer call, everything a cost rule may read."""

    call: LayerCall
    result: RuleResult
    default_batch: int = 1  # used where the model leaves the batch axis free (None)
    batch_expr: Expr | None = None  # a wrapper's batch: N·T for TimeDistributed's inner layer

    @property
    def batch(self) -> Expr:
        """N: the model's own batch size when it fixes one, else the one asked for."""
        if self.batch_expr is not None:
            return self.batch_expr
        shapes = self.call.inputs or tuple(o.values for o in self.result.outputs)
        fixed = shapes[0][0] if shapes and shapes[0] else None
        if fixed is not None:
            return Sym("N", fixed, "batch size (fixed by the model)")
        return Sym("N", self.default_batch, "batch size")

    def positions(self, shape: Shape, *, drop_last: bool = False, what: str = "") -> Expr:
        """Product of the non-batch axes of ``shape`` (without the last one if asked), as
        symbols; a free (None) axis is an error: its cost would be unknown."""
        axes = shape[1:-1] if drop_last else shape[1:]
        factors: list[Expr] = []
        for i, d in enumerate(axes, start=1):
            if d is None:
                raise self.call.error(
                    f"needs a known size on axis {i} to count its operations",
                    received=f"input {shape}",
                    fix="Give the input a fixed size (--input-shape)",
                )
            factors.append(Num(d))
        return product(factors)

    def out_elements(self, index: int = 0) -> Expr:
        """Elements of output ``index`` for the whole batch: N · (its non-batch sizes)."""
        shape = self.result.outputs[index].values
        return self.batch * self.positions(shape)

    def in_elements(self, index: int = 0) -> Expr:
        """Elements of input ``index`` for the whole batch."""
        return self.batch * self.positions(self.call.inputs[index])


@fast_frozen_init
@dataclass(frozen=True)
class OpCost:
    """What one layer call costs: MACs and the element-wise operations, each explained."""

    macs: Quantity
    elementwise: Quantity = field(default_factory=lambda: Quantity(Num(0), "none counted"))


def no_ops(why: str) -> OpCost:
    """A layer that only moves, copies or drops data: nothing to count."""
    zero = Quantity(Num(0), why)
    return OpCost(zero, zero)


def per_element(count: Expr, ops: int, words: str) -> Quantity:
    """``ops`` element-wise operations on each of ``count`` elements."""
    if ops == 1:
        return Quantity(count, words)
    return Quantity(Num(ops) * count, words)
