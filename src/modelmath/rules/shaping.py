"""Layers that only move or regroup values: Flatten, Reshape, Permute, RepeatVector,
and the shared helpers that name dimensions passed through unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from modelmath.expr import Expr, Num, Sym, product
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, as_int, fmt_shape
from modelmath.rules.registry import rule


def passthrough(shape: Sequence[int | None]) -> tuple[Expr | None, ...]:
    """Dimensions copied from the input: the batch as N, the others as plain numbers."""
    out: list[Expr | None] = []
    for i, d in enumerate(shape):
        if d is None:
            out.append(None)
        elif i == 0:
            out.append(Sym("N", d, "batch size"))
        else:
            out.append(Num(d))
    return tuple(out)


def same_shape(ctx: LayerCall, why: str = "same shape as the input") -> RuleResult:
    return RuleResult((same_output(ctx.shape, why),), ())


# Shapes repeat throughout a model (every activation after a convolution): the output of a
# layer that keeps its input's shape is a pure function of (shape, words), and immutable.
_SAME_OUTPUTS: dict[tuple[Shape, str], OutputShape] = {}
_SAME_OUTPUTS_LIMIT = 4096


def same_output(shape: Shape, why: str) -> OutputShape:
    """``OutputShape(passthrough(shape), why=why)``, shared for shapes of exact ints."""
    if type(shape) is not tuple:
        return OutputShape(passthrough(shape), why=why)
    for d in shape:  # 1 == True == 1.0 as keys: only plain ints and None are shared
        if d is not None and type(d) is not int:
            return OutputShape(passthrough(shape), why=why)
    key = (shape, why)
    out = _SAME_OUTPUTS.get(key)
    if out is None:
        if len(_SAME_OUTPUTS) >= _SAME_OUTPUTS_LIMIT:
            _SAME_OUTPUTS.clear()
        out = _SAME_OUTPUTS[key] = OutputShape(passthrough(shape), why=why)
    return out


def _feature_names(shape: Shape) -> list[tuple[str, str]]:
    if len(shape) == 4:
        return [("H", "height"), ("W", "width"), ("C", "channels")]
    if len(shape) == 3:
        return [("T", "steps"), ("C", "features")]
    if len(shape) == 5:
        return [("D", "depth"), ("H", "height"), ("W", "width"), ("C", "channels")]
    return [(f"d_{i}", f"axis {i}") for i in range(1, len(shape))]


@rule("Flatten")
def flatten(ctx: LayerCall) -> RuleResult:
    """All non-batch axes multiplied into one."""
    shape = ctx.shape
    rest = shape[1:]
    if any(d is None for d in rest):
        flat: Expr | None = None
    else:
        names = _feature_names(shape)
        if ctx.get("data_format", "channels_last") == "channels_first" and len(shape) in (4, 5):
            names = [names[-1], *names[:-1]]
        flat = product(Sym(n, d, m) for (n, m), d in zip(names, rest) if d is not None)
    batch = passthrough(shape[:1])[0] if shape else None
    return RuleResult(
        (OutputShape((batch, flat), ("batch", "features"), "all non-batch axes multiplied"),), ()
    )


@rule("Reshape")
def reshape(ctx: LayerCall) -> RuleResult:
    """The same values regrouped into `target_shape`; one -1 is solved for."""
    if "newshape" in ctx.config:  # keras.ops.reshape, an operation of the same class name
        return _reshape_operation(ctx)
    shape = ctx.shape
    raw = ctx.get("target_shape", ())
    found = [as_int(t) for t in raw] if isinstance(raw, (list, tuple)) else [None]
    target = [t for t in found if t is not None]
    if len(target) != len(found):
        raise ctx.error("`target_shape` must be a tuple of ints", received=f"target_shape={raw!r}")
    size_known = all(d is not None for d in shape[1:])
    total = 1
    for d in shape[1:]:
        total *= d or 1
    if target.count(-1) > 1:
        raise ctx.error("target_shape may hold at most one -1", received=str(tuple(target)))
    fixed = 1
    for t in target:
        if t != -1:
            fixed *= t
    dims: list[Expr | None] = []
    for t in target:
        if t == -1:
            if not size_known:
                dims.append(None)
                continue
            if fixed == 0 or total % fixed:
                raise ctx.error(
                    f"cannot fill -1: {total} values do not divide into {fixed}",
                    received=f"input {fmt_shape(shape)}, target_shape {tuple(target)}",
                )
            dims.append(Num(total) // Num(fixed))
        else:
            dims.append(Num(t))
    if size_known and -1 not in target and fixed != total:
        raise ctx.error(
            f"target_shape {tuple(target)} holds {fixed} values but the input holds {total}",
            received=f"input {fmt_shape(shape)}",
            fix="Make the product of target_shape equal the input size, or use -1 for one axis",
        )
    batch = passthrough(shape[:1])[0]
    return RuleResult((OutputShape((batch, *dims), why=f"target_shape={tuple(target)}"),), ())


def _reshape_operation(ctx: LayerCall) -> RuleResult:
    """``keras.ops.reshape(x, newshape)``: the whole shape, batch axis included, regrouped
    as NumPy does; one -1 is solved for (unknown when an input size is)."""
    shape = ctx.shape
    raw = ctx.config.get("newshape")
    found = [as_int(t) for t in raw] if isinstance(raw, (list, tuple)) else [as_int(raw)]
    new = [t for t in found if t is not None and t >= -1]
    if len(new) != len(found) or new.count(-1) > 1:
        raise ctx.error(
            "`newshape` must be sizes, at most one of them -1", received=f"newshape={raw!r}"
        )
    total = None if any(d is None for d in shape) else prod(d or 0 for d in shape)
    fixed = prod(t for t in new if t != -1)
    dims: list[int | None] = []
    for t in new:
        if t != -1:
            dims.append(t)
        elif total is None:
            dims.append(None)
        elif fixed == 0 or total % fixed:
            raise ctx.error(
                f"cannot fill -1: {total} values do not divide into {fixed}",
                received=f"input {fmt_shape(shape)}, newshape {tuple(new)}",
            )
        else:
            dims.append(total // fixed)
    if total is not None and -1 not in new and fixed != total:
        raise ctx.error(
            f"newshape {tuple(new)} holds {fixed} values but the input holds {total}",
            received=f"input {fmt_shape(shape)}",
        )
    why = f"newshape={tuple(new)}, the batch axis included"
    return RuleResult((OutputShape(passthrough(tuple(dims)), why=why),), ())


@rule("Permute")
def permute(ctx: LayerCall) -> RuleResult:
    """Axes reordered by `dims` (1-based, batch excluded)."""
    shape = ctx.shape
    order = [int(d) for d in ctx.get("dims", ())]
    if sorted(order) != list(range(1, len(shape))):
        raise ctx.error("dims must be a permutation of 1..rank-1", received=str(tuple(order)))
    kept = passthrough(shape)
    return RuleResult(
        (OutputShape((kept[0], *(kept[i] for i in order)), why=f"dims={tuple(order)}"),), ()
    )


@rule("RepeatVector")
def repeat_vector(ctx: LayerCall) -> RuleResult:
    """(N, C) becomes (N, n, C)."""
    shape = ctx.require_rank(2)
    n = Sym("n", ctx.positive_int("n"), "repetitions")
    kept = passthrough(shape)
    return RuleResult((OutputShape((kept[0], n, kept[1]), why=f"n={n.value}"),), ())
