"""ZeroPadding, Cropping and UpSampling of every rank: sizes add, subtract or multiply."""

from __future__ import annotations

from typing import Any

from modelmath.expr import Expr, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult
from modelmath.rules.registry import rule
from modelmath.rules.spatial import assemble, axis_words, batch_dim, spatial_axes, split_channels


def _rank(op: str) -> int:
    return int(op.rstrip("D")[-1])


def _pairs(ctx: LayerCall, key: str, rank: int) -> list[tuple[int, int]]:
    """Keras accepts n, (a, b) per axis for 1-D, or ((a, b), (c, d)) for 2-D/3-D."""
    raw: Any = ctx.config.get(key, 1)
    if isinstance(raw, int):
        return [(raw, raw)] * rank
    items = list(raw)
    if rank == 1 and len(items) == 2 and all(isinstance(v, int) for v in items):
        return [(int(items[0]), int(items[1]))]
    if len(items) == rank and all(isinstance(v, int) for v in items):
        return [(int(v), int(v)) for v in items]
    if len(items) == rank and all(isinstance(v, (list, tuple)) and len(v) == 2 for v in items):
        return [(int(v[0]), int(v[1])) for v in items]
    raise ctx.error(f"`{key}` has an unexpected form", received=repr(raw))


def _resize(ctx: LayerCall, key: str, sign: int) -> RuleResult:
    rank = _rank(ctx.op)
    pairs = _pairs(ctx, key, rank)
    spatial, channels, channels_last = split_channels(ctx, rank)
    word = "padding" if sign > 0 else "cropping"
    dims: list[Expr | None] = []
    for size, axis, (a, b) in zip(spatial, spatial_axes(rank), pairs):
        if size is None:
            dims.append(None)
            continue
        W = Sym(axis.symbol, size, f"input {axis.word}")
        first = Sym(axis.name("a"), a, f"{word} before, along the {axis.word}")
        last = Sym(axis.name("b"), b, f"{word} after, along the {axis.word}")
        d = W + first + last if sign > 0 else W - first - last
        if d.value <= 0:
            raise ctx.error(f"crops away the whole {axis.word}", received=f"input {ctx.shape}")
        dims.append(d)
    C = None if channels is None else Sym("C", channels, "channels (unchanged)")
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, C, channels_last),
        axis_words(rank, channels_last),
        f"{key}={tuple(pairs) if rank > 1 else pairs[0]}",
    )
    return RuleResult((out,), (), "no weights")


@rule("ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D")
def zero_padding(ctx: LayerCall) -> RuleResult:
    """Zeros added before and after each spatial axis."""
    return _resize(ctx, "padding", +1)


@rule("Cropping1D", "Cropping2D", "Cropping3D")
def cropping(ctx: LayerCall) -> RuleResult:
    """Positions removed before and after each spatial axis."""
    return _resize(ctx, "cropping", -1)


@rule("UpSampling1D", "UpSampling2D", "UpSampling3D")
def upsampling(ctx: LayerCall) -> RuleResult:
    """Each spatial position repeated `size` times."""
    rank = _rank(ctx.op)
    key = "size"
    sizes = ctx.int_tuple(key, rank, 2)
    if ctx.op == "UpSampling1D":
        shape = ctx.require_rank(3)
        L = shape[1]
        s = Sym("s", sizes[0], "upsampling factor")
        d = None if L is None else Sym("L", L, "input length") * s
        kept = (batch_dim(shape), d, None if shape[2] is None else Sym("C", shape[2], "channels"))
        return RuleResult(
            (OutputShape(kept, ("batch", "length", "channels"), f"size={sizes[0]}"),), ()
        )
    spatial, channels, channels_last = split_channels(ctx, rank)
    dims: list[Expr | None] = []
    for size, axis, f in zip(spatial, spatial_axes(rank), sizes):
        dims.append(
            None
            if size is None
            else Sym(axis.symbol, size, f"input {axis.word}")
            * Sym(axis.name("s"), f, f"upsampling factor along the {axis.word}")
        )
    C = None if channels is None else Sym("C", channels, "channels (unchanged)")
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, C, channels_last),
        axis_words(rank, channels_last),
        f"size={sizes}",
    )
    return RuleResult((out,), (), "no weights")
