"""Normalization layers: BatchNormalization, LayerNormalization, and the preprocessing
Normalization whose statistics Keras stores as non-trainable weights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from modelmath.expr import Expr, Sym
from modelmath.rules.base import LayerCall, RuleResult, Weight
from modelmath.rules.registry import rule
from modelmath.rules.shaping import same_shape


def _axes(ctx: LayerCall, raw: Any) -> list[int]:
    return sorted(ctx.axes(raw, "axis", len(ctx.shape)))


def _param_shape(ctx: LayerCall, axes: Sequence[int]) -> tuple[Expr, ...]:
    shape = ctx.shape
    names = ["C"] if len(axes) == 1 else [f"d_{a}" for a in axes]
    return tuple(
        Sym(n, ctx.known(shape[a], f"size on axis {a}"), f"size of the normalized axis {a}")
        for n, a in zip(names, axes)
    )


@rule("BatchNormalization")
def batch_norm(ctx: LayerCall) -> RuleResult:
    """gamma and beta (trainable), moving_mean and moving_variance (not trained)."""
    axes = _axes(ctx, ctx.get("axis", -1))
    shape = _param_shape(ctx, axes)
    weights = []
    if ctx.get("scale", True):
        weights.append(Weight("gamma", shape, meaning="scale per channel"))
    if ctx.get("center", True):
        weights.append(Weight("beta", shape, meaning="offset per channel"))
    weights += [
        Weight("moving_mean", shape, trainable=False, meaning="running mean, not trained"),
        Weight("moving_variance", shape, trainable=False, meaning="running variance, not trained"),
    ]
    n = len(weights)
    c = shape[0].value if len(shape) == 1 else "·".join(str(s.value) for s in shape)
    words = f"{n} vectors of {c}: " + ", ".join(w.name for w in weights)
    words += "; the moving statistics are non-trainable"
    result = same_shape(ctx)
    return RuleResult(result.outputs, tuple(weights), words)


@rule("LayerNormalization")
def layer_norm(ctx: LayerCall) -> RuleResult:
    """gamma (scale) and beta (offset) over the normalized axes."""
    axes = _axes(ctx, ctx.get("axis", -1))
    shape = _param_shape(ctx, axes)
    rms = bool(ctx.get("rms_scaling", False))
    weights = []
    if ctx.get("scale", True) or rms:
        weights.append(Weight("gamma", shape, meaning="scale"))
    if ctx.get("center", True) and not rms:
        weights.append(Weight("beta", shape, meaning="offset"))
    words = " + ".join(w.name for w in weights) or "no weights (center=False, scale=False)"
    result = same_shape(ctx)
    return RuleResult(result.outputs, tuple(weights), words)


@rule("Normalization")
def normalization(ctx: LayerCall) -> RuleResult:
    """Preprocessing: (x − mean)/√variance. Without a given mean Keras stores mean, variance
    and a sample count as non-trainable weights; with one, it stores none."""
    axes = _axes(ctx, ctx.get("axis", -1) if ctx.config.get("axis", -1) is not None else ())
    result = same_shape(ctx)
    if ctx.config.get("mean") is not None:
        return RuleResult(result.outputs, (), "mean and variance given as constants: no weights")
    shape = _param_shape(ctx, axes) if axes else ()
    weights = (
        Weight("mean", shape, trainable=False, meaning="adapted mean"),
        Weight("variance", shape, trainable=False, meaning="adapted variance"),
        Weight("count", (), trainable=False, meaning="samples seen", dtype="int32"),
    )
    return RuleResult(result.outputs, weights, "mean, variance and count, all non-trainable")


@rule("GroupNormalization")
def group_norm(ctx: LayerCall) -> RuleResult:
    """Statistics over groups of channels; gamma and beta per channel."""
    axes = _axes(ctx, ctx.get("axis", -1))
    C = _param_shape(ctx, axes)[0]
    groups = ctx.positive_int("groups", 32)
    g = int(C.value) if groups == -1 else groups
    if g <= 0 or g > C.value or C.value % g:
        raise ctx.error(
            f"needs channels divisible into groups={groups}", received=f"{C.value} channels"
        )
    weights = []
    if ctx.get("scale", True):
        weights.append(Weight("gamma", (C,), meaning="scale per channel"))
    if ctx.get("center", True):
        weights.append(Weight("beta", (C,), meaning="offset per channel"))
    words = " + ".join(w.name for w in weights) or "no weights (center=False, scale=False)"
    result = same_shape(ctx, f"same shape; statistics over {g} groups of {int(C.value) // g}")
    return RuleResult(result.outputs, tuple(weights), words)


@rule("RMSNormalization")
def rms_norm(ctx: LayerCall) -> RuleResult:
    """x / √(mean(x²) + ε) times a learned scale over the normalized axes."""
    shape = _param_shape(ctx, _axes(ctx, ctx.get("axis", -1)))
    result = same_shape(ctx)
    return RuleResult(
        result.outputs, (Weight("scale", shape, meaning="scale"),), "one scale per feature"
    )


@rule("UnitNormalization")
def unit_norm(ctx: LayerCall) -> RuleResult:
    """Each vector divided by its L2 norm along `axis`: nothing learned."""
    result = same_shape(ctx, "same shape, rescaled to unit length")
    return RuleResult(result.outputs, (), "no weights")
