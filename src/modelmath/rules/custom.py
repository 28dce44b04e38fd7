"""Layers that run the user's own code: Lambda. Its output shape is known only when the
config states it (``output_shape``); modelmath never runs the function.

>>> from modelmath.rules.base import LayerCall
>>> lambda_layer(LayerCall("l", "Lambda", {"output_shape": [4]}, ((None, 8),))
...              ).outputs[0].values
(None, 4)
"""

from __future__ import annotations

from modelmath.expr import Expr, Num
from modelmath.rules.base import LayerCall, NoStaticFormula, OutputShape, RuleResult, Weight
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough


@rule("Lambda")
def lambda_layer(ctx: LayerCall) -> RuleResult:
    """The shape the config declares with ``output_shape``; no weights."""
    raw = ctx.config.get("output_shape")
    if not isinstance(raw, (list, tuple)) or not all(d is None or isinstance(d, int) for d in raw):
        raise NoStaticFormula(
            "Lambda runs Python code, so its output shape cannot be known without running it",
            layer=ctx.name,
            fix="Pass output_shape=(…) to the Lambda (without the batch axis), "
            "or use a built-in layer",
        )
    batch = passthrough(ctx.inputs[0][:1])[0] if ctx.inputs and ctx.inputs[0] else None
    dims: tuple[Expr | None, ...] = (batch, *(None if d is None else Num(d) for d in raw))
    return RuleResult(
        (OutputShape(dims, why="output_shape declared in the config"),), (), "no weights"
    )


@rule("modelmath.Weight")
def own_weight(ctx: LayerCall) -> RuleResult:
    """A weight that a Layer subclassed in a script creates itself with
    ``self.add_weight(shape=...)`` (the script reader states the shape it computed)."""
    shape = [int(d) for d in ctx.config["shape"]]
    name = str(ctx.config.get("weight_name", "variable"))
    weight = Weight(
        name,
        tuple(Num(d) for d in shape),
        bool(ctx.config.get("trainable", True)),
        meaning=f"add_weight(shape={tuple(shape)})",
    )
    dims: tuple[Expr | None, ...] = tuple(Num(d) for d in shape)
    why = "the weight's own shape"
    params_why = f"weight {name} of shape {tuple(shape)}"
    return RuleResult((OutputShape(dims, why=why),), (weight,), params_why)
