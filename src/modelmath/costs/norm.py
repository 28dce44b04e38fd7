"""Normalization: element-wise work only (no MACs), per element of the input.

At inference BatchNormalization is y = a·x + b with a, b per channel (2 per element).
LayerNormalization and GroupNormalization compute the statistics: mean (1 add), centre
(1 subtract), variance (square and add: 2), normalize (1 multiply), then scale (1) and
shift (1) when enabled. Per-vector work (√, 1/σ) is not counted.

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("n", "LayerNormalization", {}, ((None, 5, 4),))
>>> norm(CostCall(call, find_rule("LayerNormalization")(call))).elementwise.value
140
"""

from __future__ import annotations

from modelmath.costs.base import CostCall, OpCost, per_element
from modelmath.costs.registry import cost
from modelmath.expr import Num, Quantity


def _has(c: CostCall, name: str) -> bool:
    return any(w.name == name for w in c.result.weights)


@cost(
    "BatchNormalization",
    "LayerNormalization",
    "GroupNormalization",
    "RMSNormalization",
    "UnitNormalization",
    "Normalization",
)
def norm(c: CostCall) -> OpCost:
    """Operations per element by layer type; see the module docstring."""
    op = c.call.op
    if op == "BatchNormalization":
        ops, words = 2, "y = a·x + b per element (inference; a, b folded per channel)"
    elif op in ("LayerNormalization", "GroupNormalization"):
        rms = bool(c.call.get("rms_scaling", False))
        ops = (2 if rms else 5) + _has(c, "gamma") + _has(c, "beta")
        words = (
            "mean of squares (2), normalize (1)"
            if rms
            else "mean (1), centre (1), variance (2), normalize (1)"
        ) + ", scale (1) and shift (1) when learned, per element"
    elif op == "RMSNormalization":
        ops, words = 4, "square and add (2), normalize (1), scale (1) per element"
    elif op == "UnitNormalization":
        ops, words = 3, "square and add (2), divide by the norm (1) per element"
    else:  # Normalization (preprocessing)
        ops, words = 2, "(x − mean) / √variance: subtract and divide per element"
    zero = Quantity(Num(0), "normalization multiplies no matrices")
    return OpCost(zero, per_element(c.in_elements(), ops, words))
