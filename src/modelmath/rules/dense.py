"""Dense: a kernel from the last input axis to `units`, plus one bias per unit."""

from __future__ import annotations

from modelmath.expr import Expr, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight, plural
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough


@rule("Dense")
def dense(ctx: LayerCall) -> RuleResult:
    """Kernel C_in × units plus `units` biases; acts on the last axis only."""
    shape = ctx.shape
    if len(shape) < 2:
        raise ctx.error("expects an input of at least 2 dimensions", received=str(shape))
    c_in = ctx.known(shape[-1], "last input dimension")
    units = int(ctx.get("units"))
    C = Sym("C_in", c_in, "input features (last axis)")
    U = Sym("U", units, "units")
    weights = [Weight("kernel", (C, U), meaning="one weight per input feature per unit")]
    words = f"kernel {plural(c_in, 'input')} × {plural(units, 'unit')}"
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (U,), meaning="one bias per unit"))
        words += f", + {plural(units, 'bias', 'biases')}"
    dims: tuple[Expr | None, ...] = (*passthrough(shape[:-1]), U)
    why = "the last axis becomes `units`"
    axes = ("batch", *(f"axis {i}" for i in range(1, len(shape) - 1)), "units")
    return RuleResult((OutputShape(dims, axes, why),), tuple(weights), words)
