"""What every shape rule shares: the table of rules and the argument helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from operator import is_
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    contiguous_strides,
    is_contiguous,
)

Handler = Callable[[Sequence[Any], Mapping[str, Any], list[AtenOp]], Any]
HANDLERS: dict[Any, Handler] = {}
_MISSING: Any = object()


def _bind(
    args: Sequence[Any], kwargs: Mapping[str, Any], names: Sequence[str], defaults: Sequence[Any]
) -> list[Any]:
    """The arguments by position, as a Python signature with ``names`` would bind them;
    ``defaults`` aligned with ``names`` (``_MISSING`` for a required one)."""
    if not kwargs and len(args) == len(names):  # every argument by position: nothing to bind
        return list(args)
    if len(args) > len(names):
        raise Unsupported("more positional arguments than the rule knows")
    values = list(args) + list(defaults[len(args) :])
    for key, value in kwargs.items():
        try:
            i = names.index(key)
        except ValueError:
            raise Unsupported(f"keyword {key!r}") from None
        if i < len(args):
            raise Unsupported(f"{key!r} given twice")
        values[i] = value
    if any(map(is_, values, repeat(_MISSING))):  # identity: == would dispatch on a tensor
        raise Unsupported("a required argument is missing")
    return values


def _sym(x: Any) -> SymTensor:
    if type(x) is not SymTensor and not isinstance(x, SymTensor):
        raise Unsupported(f"an operand that is not a traced tensor ({type(x).__name__})")
    return x


def _new(shape: Sequence[int], dtype: torch.dtype) -> SymTensor:
    return SymTensor(shape, dtype)


def _wrap(dim: int, ndim: int) -> int:
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise Unsupported("a dimension that is not an int")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise Unsupported("a dimension out of range")
    return dim % n


def _ints(value: Any, n: int, what: str) -> tuple[int, ...]:
    """An int or a sequence of ``n`` ints (a one-element sequence is repeated, as torch's
    ``_pair``/``_triple`` arguments are)."""
    if type(value) is tuple and len(value) == n and all(type(v) is int for v in value):
        return value  # the usual case (a module's settings): as it is
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    if isinstance(value, (tuple, list, torch.Size)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        if len(value) == n:
            return tuple(value)
        if len(value) == 1:
            return (value[0],) * n
    raise Unsupported(f"{what}={value!r}")


def _register(*funcs: Any) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        for f in funcs:
            HANDLERS[f] = handler
        return handler

    return add


def _prod(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _broadcast(a: Shape, b: Shape) -> Shape:
    out = []
    for i in range(max(len(a), len(b))):
        x = a[len(a) - 1 - i] if i < len(a) else 1
        y = b[len(b) - 1 - i] if i < len(b) else 1
        if x != y and x != 1 and y != 1:
            raise Unsupported("shapes that do not broadcast")
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def _refuse_odd_contiguous(x: SymTensor, what: str) -> SymTensor:
    """``x``, for a rule whose kernel makes its input contiguous first and lays its result
    out row-major: refused when ``x`` is contiguous as torch counts it (axes of size 1
    aside) but those axes' strides are not row-major, which torch does not copy and its
    kernels lay out each their own way (fuzzed against torch on meta: layer norm, RMS
    norm, group norm, instance norm, softmax and GLU answered such layouts wrong)."""
    shape, stride = x._shape, x._stride
    if 0 not in shape and stride != contiguous_strides(shape) and is_contiguous(shape, stride):
        raise Unsupported(f"{what} of an input whose axes of size 1 have odd strides")
    return x


def _size_one_axes_row_major(x: SymTensor, what: str) -> SymTensor:
    """``x``, refused when it has axes of size 1 (or broadcast ones) and is not laid out
    exactly row-major: for a few kernels (tril and triu, a norm keeping its axes) the
    layout fuzz found torch's strides of such axes followed no rule these know."""
    shape, stride = x._shape, x._stride
    if (1 in shape or 0 in stride) and stride != contiguous_strides(shape):
        raise Unsupported(f"{what} of an input with axes of size 1 not laid out row-major")
    return x


def _float_input(x: Any) -> SymTensor:
    t = _sym(x)
    if not t.dtype.is_floating_point:
        raise Unsupported("an activation of a non-float tensor")
    return t


def _contiguous_float(x: Any, what: str) -> SymTensor:
    """A float input the rule follows only when torch calls it contiguous (axes of size 1
    with odd strides refused, see :func:`_refuse_odd_contiguous`) and not empty: such a
    kernel's result is then row-major; other layouts come out as the kernel makes them."""
    t = _refuse_odd_contiguous(_float_input(x), what)
    if not is_contiguous(t._shape, t._stride) or 0 in t._shape:
        raise Unsupported(f"{what} of a non-contiguous or empty input")
    return t


def _channels_last(shape: Shape, stride: Shape) -> bool:
    """``suggest_memory_format`` says channels-last: c10's ``is_channels_last_strides_2d``
    (3d). torch's Python twin in ``torch._prims_common``, which meta kernels written in
    Python call, always agrees: it multiplies by an axis's size where c10 skips sizes of
    1, which changes nothing."""
    if len(shape) not in (4, 5) or stride[1] == 0:
        return False
    # (two statements: Cython mistypes a conditional between tuples of two lengths)
    order: tuple[int, ...] = (1, 3, 2, 0)
    if len(shape) == 5:
        order = (1, 4, 3, 2, 0)
    low = 0
    for d in order:
        if shape[d] == 0 or stride[d] < low:
            return False
        if d == 0 and low == stride[1]:
            return False
        low = stride[d] * shape[d]
    return True


def _channels_last_strides(shape: Shape) -> Shape:
    """Strides of a fresh tensor of ``shape`` in channels-last order (channels innermost,
    then the spatial axes last to first, then the batch), as c10 lays it out."""
    strides = [0] * len(shape)
    step = 1
    for d in (1, *range(len(shape) - 1, 1, -1), 0):
        strides[d] = step
        step *= shape[d]
    return tuple(strides)


# The bool, integer and real floating dtypes: those the element-wise and reduction rules
# follow (complex ones are refused).
_REAL_DTYPES = (
    torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
    torch.float16, torch.bfloat16, torch.float32, torch.float64,
)  # fmt: skip
