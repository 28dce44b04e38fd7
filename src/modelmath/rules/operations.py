"""keras.ops operations on Keras tensors (``x / 255``, ``ops.mean(x, axis=1)``): a
functional model records each as a row of its own, with its settings in its config, as
the classes ``keras.src.ops`` defines (TrueDivide, Mean, ExpandDims, …). None has
weights. The merge names (Add, Subtract, Multiply, Maximum, Minimum) are merge.py's,
which broadcasts operations as these do.

>>> from modelmath.rules.base import LayerCall
>>> r = mean_like(LayerCall("mean", "Mean", {"axis": 1}, ((None, 4, 6),)))
>>> r.outputs[0].values
(None, 6)
"""

from __future__ import annotations

from typing import Any

from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, as_int, fmt_shape
from modelmath.rules.merge import numpy_broadcast
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough

_NO_WEIGHTS = "an operation has no weights"


@rule("TrueDivide", "Divide", "Power", "FloorDivide", "Mod")
def arithmetic(ctx: LayerCall) -> RuleResult:
    """Two operands combined element by element, broadcast as NumPy does (a Python number
    operand is no input: it broadcasts to anything)."""
    if not ctx.inputs:
        raise ctx.error("needs a Keras tensor among its operands", received="none")
    shape = numpy_broadcast(ctx, ctx.inputs)
    why = f"{ctx.op} of {len(ctx.inputs)} tensor(s), broadcast as NumPy does"
    return RuleResult((OutputShape(passthrough(shape), why=why),), (), _NO_WEIGHTS)


@rule(
    "Relu", "Exp", "Log", "Sqrt", "Square", "Absolute", "Negative", "Gelu", "Silu", "Elu",
    "Erf", "Rsqrt", "LeakyRelu", "Cast",
)  # fmt: skip
def unary(ctx: LayerCall) -> RuleResult:
    """A function of each element: the shape is unchanged (Sigmoid, Tanh, Softplus and
    LogSoftmax, named as torch.nn's modules are, take torch_nn's element-wise rule)."""
    shape = ctx.shape
    why = f"{ctx.op} of each element: shape unchanged"
    return RuleResult((OutputShape(passthrough(shape), why=why),), (), _NO_WEIGHTS)


def _axes(ctx: LayerCall, key: str, rank: int) -> list[int] | None:
    """The axes of setting ``key`` (see LayerCall.axes); None when it is None (all)."""
    raw = ctx.config.get(key)
    return None if raw is None else ctx.axes(raw, key, rank)


@rule("Mean", "Sum", "Max", "Min", "Prod")
def mean_like(ctx: LayerCall) -> RuleResult:
    """A reduction over `axis` (every axis when None): those axes go, or stay as size 1
    with `keepdims`."""
    shape = ctx.shape
    axes = _axes(ctx, "axis", len(shape))
    gone = set(range(len(shape))) if axes is None else set(axes)
    keep = bool(ctx.config.get("keepdims", False))
    dims = [1 if i in gone else d for i, d in enumerate(shape)] if keep else [
        d for i, d in enumerate(shape) if i not in gone
    ]  # fmt: skip
    over = "every axis" if axes is None else f"axis {', '.join(map(str, sorted(gone)))}"
    why = f"{ctx.op.lower()} over {over}" + (", kept as size 1" if keep else "")
    return RuleResult((OutputShape(passthrough(tuple(dims)), why=why),), (), _NO_WEIGHTS)


@rule("ExpandDims")
def expand_dims(ctx: LayerCall) -> RuleResult:
    """Axes of size 1 inserted at `axis` (counted in the result)."""
    shape = ctx.shape
    raw: Any = ctx.config.get("axis")
    count = len(raw) if isinstance(raw, (list, tuple)) else 1
    rank = len(shape) + count
    axes = _axes(ctx, "axis", rank)
    if axes is None:
        raise ctx.error("needs `axis`", received="axis=None")
    rest = iter(shape)
    dims: Shape = tuple(1 if i in axes else next(rest) for i in range(rank))
    why = f"a new axis of size 1 at {', '.join(map(str, sorted(axes)))}"
    return RuleResult((OutputShape(passthrough(dims), why=why),), (), _NO_WEIGHTS)


@rule("Squeeze")
def squeeze(ctx: LayerCall) -> RuleResult:
    """Axes of size 1 removed: those of `axis`, or every one known to be 1 when None."""
    shape = ctx.shape
    axes = _axes(ctx, "axis", len(shape))
    if axes is None:
        dims = tuple(d for d in shape if d != 1)
    else:
        if any(shape[a] not in (1, None) for a in axes):
            raise ctx.error(
                "can only remove axes of size 1", received=f"input {fmt_shape(shape)}"
            )
        dims = tuple(d for i, d in enumerate(shape) if i not in axes)
    why = "axes of size 1 removed"
    return RuleResult((OutputShape(passthrough(dims), why=why),), (), _NO_WEIGHTS)


@rule("Transpose")
def transpose(ctx: LayerCall) -> RuleResult:
    """The axes reordered as `axes` says (reversed when None)."""
    shape = ctx.shape
    axes = _axes(ctx, "axes", len(shape))
    order = list(reversed(range(len(shape)))) if axes is None else axes
    if sorted(order) != list(range(len(shape))):
        raise ctx.error("`axes` must name every axis once", received=f"axes={order}")
    dims = tuple(shape[a] for a in order)
    why = f"axes reordered as {tuple(order)}"
    return RuleResult((OutputShape(passthrough(dims), why=why),), (), _NO_WEIGHTS)


_WHOLE = ("slice", None, None, None)
_NO_KEY = object()


@rule("GetItem")
def get_item(ctx: LayerCall) -> RuleResult:
    """``x[key]`` on a Keras tensor, as NumPy indexes: an int takes one position (its axis
    goes), a slice keeps the positions it selects, None inserts an axis of size 1, and
    ``...`` stands for every axis not named. The key comes from the call (Keras records
    it in the inbound node, not in the config), as ("slice", start, stop, step), ints,
    None and "..."."""
    shape = ctx.shape
    key = ctx.option("key", _NO_KEY)
    if key is _NO_KEY:
        raise ctx.error("needs the index it was given, which the file does not record")
    items = list(key) if isinstance(key, (list, tuple)) and not _is_slice(key) else [key]
    named = sum(1 for it in items if it is not None and it != "...")
    if items.count("...") > 1 or named > len(shape):
        raise ctx.error(
            f"takes at most {len(shape)} indices and one '...'", received=f"key {key!r}"
        )
    if "..." in items:
        at = items.index("...")
        items[at : at + 1] = [_WHOLE] * (len(shape) - named)
    else:
        items += [_WHOLE] * (len(shape) - named)
    dims: list[int | None] = []
    axis = 0
    for item in items:
        if item is None:
            dims.append(1)
            continue
        size = shape[axis]
        axis += 1
        index = as_int(item)
        if index is not None:
            if size is not None and not -size <= index < size:
                raise ctx.error(
                    f"index {index} is outside axis {axis - 1} of size {size}",
                    received=f"input {fmt_shape(shape)}",
                )
            continue  # an int takes one position: its axis goes
        if not _is_slice(item):
            raise ctx.error("indexes by ints, slices, None and '...' only", received=repr(item))
        _, start, stop, step = item
        if step == 0:
            raise ctx.error("a slice step cannot be 0", received=repr(item))
        dims.append(None if size is None else len(range(*slice(start, stop, step).indices(size))))
    why = f"indexed by {_key_words(key)}"
    return RuleResult((OutputShape(passthrough(tuple(dims)), why=why),), (), _NO_WEIGHTS)


def _is_slice(item: Any) -> bool:
    return (
        isinstance(item, (list, tuple))
        and len(item) == 4
        and item[0] == "slice"
        and all(v is None or as_int(v) is not None for v in item[1:])
    )


def _key_words(key: Any) -> str:
    """``key`` written as Python writes an index: [:, 1:3, None, ...]."""

    def one(item: Any) -> str:
        if _is_slice(item):
            start, stop, step = ("" if v is None else str(v) for v in item[1:])
            return f"{start}:{stop}" + (f":{step}" if step else "")
        return "..." if item == "..." else repr(item)

    items = key if isinstance(key, (list, tuple)) and not _is_slice(key) else [key]
    return "[" + ", ".join(one(it) for it in items) + "]"
