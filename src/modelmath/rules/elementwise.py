"""Layers that keep their input's shape and have no weights: activations, dropout,
noise, rescaling, identity, and the ones Keras applications define for themselves."""

from __future__ import annotations

from modelmath.expr import Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight
from modelmath.rules.merge import broadcast
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough, same_shape


@rule(
    "Activation",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softmax",
    "ThresholdedReLU",
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "Rescaling",
    "Identity",
    "ActivityRegularization",
    "Masking",
)
def same_shape_no_weights(ctx: LayerCall) -> RuleResult:
    """Applied element by element: same shape out, nothing learned."""
    result = same_shape(ctx, "element-wise: same shape as the input")
    return RuleResult(result.outputs, (), "no weights")


@rule("LayerScale")
def layer_scale(ctx: LayerCall) -> RuleResult:
    """keras.applications' ConvNeXt LayerScale: one learned scale per channel (gamma)."""
    dim = Sym("C", ctx.positive_int("projection_dim"), "projection_dim (channels)")
    result = same_shape(ctx, "element-wise scaling: same shape as the input")
    return RuleResult(
        result.outputs,
        (Weight("gamma", (dim,), meaning="scale per channel"),),
        f"one scale per channel: {dim.value}",
    )


@rule("CustomScaleLayer")
def custom_scale(ctx: LayerCall) -> RuleResult:
    """keras.applications' InceptionResNetV2 residual: inputs[0] + inputs[1] · scale."""
    if len(ctx.inputs) != 2:
        raise ctx.error("takes a list of 2 inputs", received=f"{len(ctx.inputs)} inputs")
    shape = broadcast(ctx, ctx.inputs)
    why = "shortcut + scale · residual, element-wise"
    return RuleResult((OutputShape(passthrough(shape), why=why),), (), "no weights")


@rule("PReLU")
def prelu(ctx: LayerCall) -> RuleResult:
    """One learned slope per input element, shared along `shared_axes`."""
    shape = ctx.shape
    shared = {int(a) % len(shape) for a in (ctx.get("shared_axes") or [])}
    dims = []
    for i, d in enumerate(shape[1:], start=1):
        if i in shared:
            dims.append(Sym(f"1_{i}", 1, f"axis {i} shared"))
        else:
            dims.append(Sym(f"d_{i}", ctx.known(d, f"size on axis {i}"), f"size on axis {i}"))
    result = same_shape(ctx)
    return RuleResult(
        result.outputs,
        (Weight("alpha", tuple(dims), meaning="slope"),),
        "one negative slope per position not shared",
    )
