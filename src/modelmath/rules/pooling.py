"""Poolings: Max/Average pooling of every rank, and their global forms."""

from __future__ import annotations

from modelmath.expr import Expr, Num, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult
from modelmath.rules.registry import rule
from modelmath.rules.spatial import (
    assemble,
    axis_words,
    batch_dim,
    check_positive,
    padding_words,
    spatial_axes,
    split_channels,
    window_output,
)


def _rank(op: str) -> int:
    return int(op.rstrip("D")[-1])


@rule(
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
def pooling(ctx: LayerCall) -> RuleResult:
    """A window of pool_size slides with strides (pool_size unless given); no weights."""
    rank = _rank(ctx.op)
    pool = ctx.int_tuple("pool_size", rank, 2, positive=True)
    strides_raw = ctx.config.get("strides")
    strides = pool if strides_raw is None else ctx.int_tuple("strides", rank, positive=True)
    padding = str(ctx.get("padding", "valid")).lower()
    if padding not in ("valid", "same"):
        raise ctx.error("padding must be 'valid' or 'same'", received=repr(padding))
    spatial, channels, channels_last = split_channels(ctx, rank)
    dims = [
        window_output(size, axis, kernel=k, stride=s, dilation=1, padding=padding, window="pool")
        for size, axis, k, s in zip(spatial, spatial_axes(rank), pool, strides)
    ]
    if padding != "same":  # as Keras: 'same' keeps a size of 0 as 0
        check_positive(ctx, dims, f"pool_size {'×'.join(map(str, pool))} and padding='{padding}'")
    C = None if channels is None else Sym("C", channels, "channels (unchanged)")
    why = f"pool_size={pool[0] if len(set(pool)) == 1 else pool}, " + padding_words(
        padding, strides
    )
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, C, channels_last), axis_words(rank, channels_last), why
    )
    return RuleResult((out,), (), "pooling has no weights")


@rule(
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
def global_pooling(ctx: LayerCall) -> RuleResult:
    """Pools over all spatial positions: one value per channel (kept as 1s with keepdims)."""
    rank = _rank(ctx.op)
    spatial, channels, channels_last = split_channels(ctx, rank)
    C = None if channels is None else Sym("C", channels, "channels (unchanged)")
    keepdims = bool(ctx.get("keepdims", False))
    batch = batch_dim(ctx.shape)
    if keepdims:
        ones: list[Expr | None] = [Num(1) for _ in spatial]
        dims = assemble(batch, ones, C, channels_last)
        axes = axis_words(rank, channels_last)
        why = "keepdims=True keeps each spatial axis as 1"
    else:
        dims = (batch, C)
        axes = ("batch", "channels")
        why = "one value per channel"
    return RuleResult((OutputShape(dims, axes, why),), (), "pooling has no weights")


@rule(
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
)
def adaptive_pooling(ctx: LayerCall) -> RuleResult:
    """Windows sized to give exactly `output_size` positions, whatever the input size."""
    rank = _rank(ctx.op)
    sizes = ctx.int_tuple("output_size", rank, positive=True)
    _, channels, channels_last = split_channels(ctx, rank)
    C = None if channels is None else Sym("C", channels, "channels (unchanged)")
    dims: list[Expr | None] = [
        Sym(a.name("O"), s, f"output_size along the {a.word}")
        for a, s in zip(spatial_axes(rank), sizes)
    ]
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, C, channels_last),
        axis_words(rank, channels_last),
        f"output_size={sizes[0] if len(set(sizes)) == 1 else sizes}",
    )
    return RuleResult((out,), (), "pooling has no weights")
