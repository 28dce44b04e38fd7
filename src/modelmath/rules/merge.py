"""Merge layers: element-wise (Add, Subtract, Multiply, Average, Maximum, Minimum)
and Concatenate."""

from __future__ import annotations

from modelmath.expr import Expr, Num, Sym, total
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, fmt_shape
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough


def _need_list(ctx: LayerCall, at_least: int) -> None:
    if len(ctx.inputs) < at_least:
        raise ctx.error(
            f"needs a list of at least {at_least} inputs",
            received=f"{len(ctx.inputs)} input(s)",
            fix=f"Call it on a list: {ctx.op}()([a, b])",
        )


def broadcast(ctx: LayerCall, shapes: tuple[Shape, ...]) -> Shape:
    """NumPy-style broadcasting of the non-batch axes, as Keras's merge layers do."""
    out: list[int | None] = list(shapes[0][1:])
    for shape in shapes[1:]:
        a, b = out, list(shape[1:])
        if len(a) < len(b):
            a, b = b, a
        merged = a[: len(a) - len(b)]
        for i, j in zip(a[len(a) - len(b) :], b):
            if i is None or j is None:
                merged.append(None)
            elif i == 1:
                merged.append(j)
            elif j == 1 or i == j:
                merged.append(i)
            else:
                raise ctx.error(
                    "needs inputs of the same shape (or sizes of 1 that broadcast)",
                    received=", ".join(fmt_shape(s) for s in shapes),
                )
        out = merged
    batches = {s[0] for s in shapes if s} - {None}
    batch = batches.pop() if len(batches) == 1 else None
    return (batch, *out)


def numpy_broadcast(ctx: LayerCall, shapes: tuple[Shape, ...]) -> Shape:
    """NumPy broadcasting of whole shapes (axes aligned from the right), as keras.ops do:
    ``x + y`` on tensors of shapes (None, 200, 32) and (200, 32) is (None, 200, 32)."""
    rank = max(len(s) for s in shapes)
    out: list[int | None] = [1] * rank
    for shape in shapes:
        padded = [1] * (rank - len(shape)) + list(shape)
        for i, (a, b) in enumerate(zip(out, padded)):
            if a == 1 or a == b:
                out[i] = b
            elif b == 1:
                continue
            elif a is None or b is None:
                out[i] = a if b is None else b
            else:
                raise ctx.error(
                    "needs shapes that broadcast (equal sizes, or 1, from the last axis)",
                    received=", ".join(fmt_shape(s) for s in shapes),
                )
    return tuple(out)


@rule("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")
def elementwise_merge(ctx: LayerCall) -> RuleResult:
    """Inputs combined element by element: the output has their common shape."""
    if ctx.extra.get("operation") and ctx.inputs:  # x + y: keras.ops broadcasting
        shape = numpy_broadcast(ctx, ctx.inputs)
        why = f"{ctx.op.lower()} of {len(ctx.inputs)} tensors, broadcast as NumPy does"
        return RuleResult((OutputShape(passthrough(shape), why=why),), (), "no weights")
    _need_list(ctx, 1 if ctx.op != "Subtract" else 2)
    shape = broadcast(ctx, ctx.inputs)
    why = f"{ctx.op.lower()} of {len(ctx.inputs)} inputs of the same shape"
    return RuleResult((OutputShape(passthrough(shape), why=why),), (), "merging has no weights")


@rule("Concatenate")
def concatenate(ctx: LayerCall) -> RuleResult:
    """Inputs joined along `axis`: that axis is the sum of theirs, the others must match."""
    _need_list(ctx, 1)
    rank = len(ctx.inputs[0])
    axis = ctx.integer("axis", -1)
    if not -rank <= axis < rank:
        raise ctx.error(
            f"axis {axis} is outside inputs of rank {rank}", received=str(ctx.inputs[0])
        )
    axis %= rank
    for s in ctx.inputs:
        others_ok = len(s) == rank and all(
            a is None or b is None or a == b
            for k, (a, b) in enumerate(zip(s, ctx.inputs[0]))
            if k not in (0, axis)
        )
        if not others_ok:
            raise ctx.error(
                f"needs inputs whose shapes match except on the concatenation axis {axis}",
                received=", ".join(fmt_shape(x) for x in ctx.inputs),
            )
    dims: list[Expr | None] = list(passthrough(ctx.inputs[0]))
    sizes = [s[axis] for s in ctx.inputs]
    if any(v is None for v in sizes):
        dims[axis] = None
    else:
        dims[axis] = total(
            Sym(f"C_{i + 1}", v, f"size of input {i + 1} on axis {axis}")
            for i, v in enumerate(sizes)
            if v is not None
        )
    for k in range(1, rank):
        if k != axis and dims[k] is None:
            known = [d for d in (s[k] for s in ctx.inputs) if d is not None]
            dims[k] = Num(known[0]) if known else None
    return RuleResult(
        (OutputShape(tuple(dims), why=f"joined along axis {axis}"),), (), "merging has no weights"
    )


@rule("Dot")
def dot(ctx: LayerCall) -> RuleResult:
    """Dot product of two inputs along `axes`: those axes vanish, the rest are joined."""
    if len(ctx.inputs) != 2:
        raise ctx.error("takes a list of 2 inputs", received=f"{len(ctx.inputs)} input(s)")
    a, b = ctx.inputs
    raw = ctx.config.get("axes", -1)
    if isinstance(raw, int):
        axes = [raw % len(a), raw % len(b)] if raw < 0 else [raw, raw]
    else:
        axes = [int(raw[0]), int(raw[1])]
    if a[axes[0]] is not None and b[axes[1]] is not None and a[axes[0]] != b[axes[1]]:
        raise ctx.error(
            f"needs equal sizes on the dot axes {tuple(axes)}",
            received=", ".join(fmt_shape(s) for s in ctx.inputs),
        )
    left = list(passthrough(a))
    right = list(passthrough(b))
    left.pop(axes[0])
    right.pop(axes[1])
    right.pop(0)
    dims: list[Expr | None] = left + right
    if len(dims) == 1:
        dims.append(Num(1))
    why = f"axes={tuple(axes)} summed away"
    return RuleResult((OutputShape(tuple(dims), why=why),), (), "merging has no weights")


@rule("Matmul")
def matmul(ctx: LayerCall) -> RuleResult:
    """keras.ops.matmul / ``a @ b``: NumPy's matmul (leading axes broadcast)."""
    if len(ctx.inputs) != 2 or not all(ctx.inputs):
        raise ctx.error("takes 2 tensors", received=f"{len(ctx.inputs)} input(s)")
    a, b = ctx.inputs
    a2 = (1, *a) if len(a) == 1 else a
    b2 = (*b, 1) if len(b) == 1 else b
    if a2[-1] is not None and b2[-2] is not None and a2[-1] != b2[-2]:
        raise ctx.error(
            "needs the last axis of the first tensor to equal the second-to-last of the other",
            received=", ".join(fmt_shape(s) for s in ctx.inputs),
        )
    lead = numpy_broadcast(ctx, (a2[:-2], b2[:-2])) if len(a2) > 2 or len(b2) > 2 else ()
    shape = (*lead, *([a2[-2]] if len(a) > 1 else []), *([b2[-1]] if len(b) > 1 else []))
    why = f"{fmt_shape(a)} @ {fmt_shape(b)}: the shared axis is summed away"
    return RuleResult((OutputShape(passthrough(shape), why=why),), (), "no weights")
