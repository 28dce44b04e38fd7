"""Shape rules of the torch operations the fast tracer knows, each as torch computes it.

Each rule takes the call's positional and keyword arguments as torch received them and
returns what torch would return, as :class:`SymTensor` objects of the right shape, dtype
and strides; a contraction (``mm``, ``addmm``, ``bmm``, ``convolution``) also lists the
aten operation torch would dispatch, with its operand shapes, because the MACs are
counted from those. Any case a rule does not know exactly (an argument it does not
expect, a layout it does not follow, an input torch would refuse) raises
:class:`Unsupported`, and the model is traced the general way instead. The tests compare
every rule with torch on the meta device over a grid of cases.

>>> import torch
>>> out = HANDLERS[torch.conv2d]((SymTensor((1, 3, 8, 8), torch.float32),
...     SymTensor((4, 3, 3, 3), torch.float32)), {}, [])
>>> out.shape
torch.Size([1, 4, 6, 6])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F

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
# Module-level loop variables of the registrations below (functions of many types).
_func: Any
_funcs: Any
_names: Any
_defaults: Any
_max: Any
_avg: Any
_f: Any
_t: Any


def _bind(
    args: Sequence[Any], kwargs: Mapping[str, Any], names: Sequence[str], defaults: Sequence[Any]
) -> list[Any]:
    """The arguments by position, as a Python signature with ``names`` would bind them;
    ``defaults`` aligned with ``names`` (``_MISSING`` for a required one)."""
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
    if any(v is _MISSING for v in values):
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


# -- convolution ------------------------------------------------------------------------


def _conv(nd: int, transposed: bool) -> Handler:
    names: tuple[str, ...]
    if transposed:
        names = (
            "input",
            "weight",
            "bias",
            "stride",
            "padding",
            "output_padding",
            "groups",
            "dilation",
        )
        defaults: tuple[Any, ...] = (_MISSING, _MISSING, None, 1, 0, 0, 1, 1)
    else:
        names = ("input", "weight", "bias", "stride", "padding", "dilation", "groups")
        defaults = (_MISSING, _MISSING, None, 1, 0, 1, 1)

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = dict(zip(names, _bind(args, kwargs, names, defaults)))
        x, w, b = _sym(bound["input"]), _sym(bound["weight"]), bound["bias"]
        groups = bound["groups"]
        if x.dim() != nd + 2 or w.dim() != nd + 2 or not isinstance(groups, int) or groups < 1:
            raise Unsupported("convolution input or weight of another rank")
        if x.dtype != w.dtype or not x.dtype.is_floating_point:
            raise Unsupported("convolution of mixed or non-float dtypes")
        if not is_contiguous(x._shape, x._stride):
            raise Unsupported("convolution of a non-contiguous input")
        if b is not None and (
            _sym(b)._shape != ((w._shape[1] * groups,) if transposed else (w._shape[0],))
            or b.dtype != x.dtype
        ):
            raise Unsupported("convolution bias of another size")
        n, c, *space = x._shape
        kernel = w._shape[2:]
        stride = _ints(bound["stride"], nd, "stride")
        dilation = _ints(bound["dilation"], nd, "dilation")
        padding_arg = bound["padding"]
        if min(stride) < 1 or min(dilation) < 1:
            raise Unsupported("stride or dilation below 1")
        if transposed:
            if c != w._shape[0] or c % groups:
                raise Unsupported("input channels do not match the weight")
            padding = _ints(padding_arg, nd, "padding")
            extra = _ints(bound["output_padding"], nd, "output_padding")
            out_c = w._shape[1] * groups
            sizes = tuple(
                (s - 1) * st - 2 * p + d * (k - 1) + op + 1
                for s, st, p, d, k, op in zip(space, stride, padding, dilation, kernel, extra)
            )
            if any(op >= max(st, d) for op, st, d in zip(extra, stride, dilation)):
                raise Unsupported("output_padding not smaller than stride or dilation")
        else:
            if c != w._shape[1] * groups or w._shape[0] % groups:
                raise Unsupported("input channels do not match the weight")
            out_c = w._shape[0]
            if padding_arg == "valid":
                padding = (0,) * nd
            elif padding_arg == "same":
                if max(stride) != 1:
                    raise Unsupported("padding='same' with a stride")
                sizes = tuple(space)
                padding = ()
            else:
                padding = _ints(padding_arg, nd, "padding")
            if padding != ():
                sizes = tuple(
                    (s + 2 * p - d * (k - 1) - 1) // st + 1
                    for s, st, p, d, k in zip(space, stride, padding, dilation, kernel)
                )
                if any(
                    s + 2 * p < d * (k - 1) + 1
                    for s, p, d, k in zip(space, padding, dilation, kernel)
                ):
                    raise Unsupported("kernel larger than the padded input")
        if any(s < 1 for s in sizes) or n < 1 or min(space) < 1:
            raise Unsupported("an empty convolution")
        out = _new((n, out_c, *sizes), x.dtype)
        aten.append(
            AtenOp(
                "convolution",
                (x._shape, w._shape),
                out._shape,
                {"transposed": transposed, "groups": groups},
            )
        )
        return out

    return handler


for _nd, (_f, _t) in enumerate(
    (
        (torch.conv1d, torch.conv_transpose1d),
        (torch.conv2d, torch.conv_transpose2d),
        (torch.conv3d, torch.conv_transpose3d),
    ),
    start=1,
):
    HANDLERS[_f] = _conv(_nd, False)
    HANDLERS[_t] = _conv(_nd, True)


# -- linear and matmul ------------------------------------------------------------------


def _prod(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


@_register(F.linear)
def _linear(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, w, b = _bind(args, kwargs, ("input", "weight", "bias"), (_MISSING, _MISSING, None))
    x, w = _sym(x), _sym(w)
    if w.dim() != 2 or x.dim() < 1 or x._shape[-1] != w._shape[1] or x.dtype != w.dtype:
        raise Unsupported("linear of mismatched sizes or dtypes")
    if b is not None and (_sym(b)._shape != (w._shape[0],) or b.dtype != x.dtype):
        raise Unsupported("linear bias of another size")
    if not x.dtype.is_floating_point or 0 in x._shape or 0 in w._shape:
        raise Unsupported("linear of a non-float or empty input")
    rows = _prod(x._shape[:-1])
    k, n = w._shape[1], w._shape[0]
    if x.dim() == 1 and b is None:
        raise Unsupported("linear of a vector without bias")
    fused = b is not None and (x.dim() <= 2 or is_contiguous(x._shape, x._stride))
    aten.append(AtenOp("addmm" if fused else "mm", ((rows, k), (k, n)), (rows, n)))
    return _new((*x._shape[:-1], n), x.dtype)


def _broadcast(a: Shape, b: Shape) -> Shape:
    out = []
    for i in range(max(len(a), len(b))):
        x = a[len(a) - 1 - i] if i < len(a) else 1
        y = b[len(b) - 1 - i] if i < len(b) else 1
        if x != y and x != 1 and y != 1:
            raise Unsupported("shapes that do not broadcast")
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


@_register(torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__)
def _matmul(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _matmul_of(_sym(a), _sym(b), aten)


@_register(torch.Tensor.__rmatmul__)
def _rmatmul(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _matmul_of(_sym(b), _sym(a), aten)


def _matmul_of(a: SymTensor, b: SymTensor, aten: list[AtenOp]) -> SymTensor:
    if a.dtype != b.dtype or not a.dtype.is_floating_point:
        raise Unsupported("matmul of mixed or non-float dtypes")
    if a.dim() < 2 or b.dim() < 2 or a._shape[-1] != b._shape[-2]:
        raise Unsupported("matmul of vectors or mismatched sizes")
    if 0 in a._shape or 0 in b._shape:
        raise Unsupported("matmul of an empty tensor")
    n, k, p = a._shape[-2], a._shape[-1], b._shape[-1]
    if b.dim() == 2:  # a 2-d right operand: the left one's leading axes are folded in
        rows = _prod(a._shape[:-1])
        aten.append(AtenOp("mm", ((rows, k), (k, p)), (rows, p)))
        return _new((*a._shape[:-1], p), a.dtype)
    batch = _broadcast(a._shape[:-2], b._shape[:-2])
    size = _prod(batch)
    aten.append(AtenOp("bmm", ((size, n, k), (size, k, p)), (size, n, p)))
    return _new((*batch, n, p), a.dtype)


@_register(torch.mm, torch.Tensor.mm)
def _mm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = (_sym(v) for v in _bind(args, kwargs, ("input", "mat2"), (_MISSING, _MISSING)))
    if a.dim() != 2 or b.dim() != 2:
        raise Unsupported("mm of tensors that are not matrices")
    return _matmul_of(a, b, aten)


@_register(torch.bmm, torch.Tensor.bmm)
def _bmm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = (_sym(v) for v in _bind(args, kwargs, ("input", "mat2"), (_MISSING, _MISSING)))
    if a.dim() != 3 or b.dim() != 3 or a._shape[0] != b._shape[0]:
        raise Unsupported("bmm of tensors that are not batches of matrices")
    return _matmul_of(a, b, aten)


# -- element-wise -----------------------------------------------------------------------


def _iterator_strides(shape: Shape, operands: Sequence[SymTensor]) -> Shape:
    """The strides torch's TensorIterator gives an element-wise result of ``shape``: its
    axes ordered by the operands' strides (the first operand decides, broadcast axes
    defer to the next, equal strides put the smaller axis first), then laid out densely
    in that order. Mirrors reorder_dimensions and allocate_or_resize_outputs."""
    ndim = len(shape)
    if ndim <= 1:
        return contiguous_strides(shape)
    strides = []
    for t in operands:
        offset = ndim - len(t._shape)
        row = [0] * ndim
        for i, (size, st) in enumerate(zip(t._shape, t._stride)):
            row[offset + i] = 0 if size == 1 and shape[offset + i] != 1 else st
        strides.append(row)

    def should_swap(d0: int, d1: int) -> int:
        for row in strides:
            s0, s1 = row[d0], row[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 < s1:
                return -1
            if s0 > s1:
                return 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(ndim - 1, -1, -1))  # perm[0] is the fastest-moving axis
    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    out = [0] * ndim
    step = 1
    for axis in perm:
        out[axis] = step
        step *= shape[axis]
    return tuple(out)


def _like(x: SymTensor, dtype: torch.dtype | None = None) -> SymTensor:
    """An element-wise result of ``x`` alone, laid out as torch lays it. Some kernels keep
    a dense input's strides exactly (``empty_like``), others lay the result out anew in
    the input's axis order (TensorIterator); where the two differ (odd strides on axes of
    size 1, gaps) the layout depends on the kernel, so the case is refused."""
    if _iterator_strides(x._shape, (x,)) != x._stride:
        raise Unsupported("an element-wise op on a layout whose result depends on the kernel")
    return SymTensor(x._shape, dtype or x.dtype, x._stride)


def _float_input(x: Any) -> SymTensor:
    t = _sym(x)
    if not t.dtype.is_floating_point:
        raise Unsupported("an activation of a non-float tensor")
    return t


def _unary(names: Sequence[str], defaults: Sequence[Any], inplace_at: int | None = None) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, names, defaults)
        x = _float_input(bound[0])
        for v in bound[1:]:
            if not isinstance(v, (bool, int, float, str)):
                raise Unsupported("a non-scalar setting")
        if inplace_at is not None and bound[inplace_at]:
            return x
        return _like(x)

    return handler


_INPLACE_UNARY = (
    (F.relu, ("input", "inplace"), (_MISSING, False)),
    (F.relu6, ("input", "inplace"), (_MISSING, False)),
    (F.silu, ("input", "inplace"), (_MISSING, False)),
    (F.hardswish, ("input", "inplace"), (_MISSING, False)),
    (F.hardsigmoid, ("input", "inplace"), (_MISSING, False)),
    (F.mish, ("input", "inplace"), (_MISSING, False)),
    (F.leaky_relu, ("input", "negative_slope", "inplace"), (_MISSING, 0.01, False)),
    (F.elu, ("input", "alpha", "inplace"), (_MISSING, 1.0, False)),
    (F.hardtanh, ("input", "min_val", "max_val", "inplace"), (_MISSING, -1.0, 1.0, False)),
)
for _func, _names, _defaults in _INPLACE_UNARY:
    HANDLERS[_func] = _unary(_names, _defaults, inplace_at=len(_names) - 1)
for _func in (
    torch.relu,
    torch.sigmoid,
    torch.tanh,
    F.sigmoid,
    F.tanh,
    torch.Tensor.relu,
    torch.Tensor.sigmoid,
    torch.Tensor.tanh,
):
    HANDLERS[_func] = _unary(("input",), (_MISSING,))


@_register(torch.relu_, torch.Tensor.relu_)
def _relu_inplace(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    return _float_input(x)


HANDLERS[F.gelu] = _unary(("input", "approximate"), (_MISSING, "none"))
HANDLERS[F.softplus] = _unary(("input", "beta", "threshold"), (_MISSING, 1.0, 20.0))


@_register(F.dropout)
def _dropout(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, p, training, inplace = _bind(
        args, kwargs, ("input", "p", "training", "inplace"), (_MISSING, 0.5, True, False)
    )
    if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0 or not isinstance(training, bool):
        raise Unsupported("a dropout probability outside [0, 1]")
    x = _float_input(x)
    # torch returns the input itself when there is nothing to drop
    return x if inplace or not training or p == 0 else _like(x)


def _softmax(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim, _level, dtype = _bind(
        args, kwargs, ("input", "dim", "_stacklevel", "dtype"), (_MISSING, None, 3, None)
    )
    x = _float_input(x)
    if dim is None or (dtype is not None and not isinstance(dtype, torch.dtype)):
        raise Unsupported("softmax without dim")
    _wrap(dim, x.dim())
    return _new(x._shape, dtype or x.dtype)  # torch makes the input contiguous first


HANDLERS[F.softmax] = HANDLERS[F.log_softmax] = _softmax


@_register(torch.Tensor.softmax, torch.Tensor.log_softmax, torch.softmax, torch.log_softmax)
def _softmax_method(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim, dtype = _bind(args, kwargs, ("input", "dim", "dtype"), (_MISSING, _MISSING, None))
    x = _float_input(x)
    if dtype is not None and not isinstance(dtype, torch.dtype):
        raise Unsupported("softmax to a dtype given otherwise")
    _wrap(dim, x.dim())
    return _new(x._shape, dtype or x.dtype)


def _result_dtype(operands: Sequence[Any]) -> torch.dtype:
    """torch's type promotion for tensors of one dtype and Python numbers."""
    tensors = [o for o in operands if isinstance(o, SymTensor)]
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) != 1:
        raise Unsupported("an element-wise op on tensors of different dtypes")
    dtype = dtypes.pop()
    for o in operands:
        if isinstance(o, SymTensor):
            continue
        if isinstance(o, bool):
            if dtype == torch.bool:
                continue
        elif isinstance(o, int):
            if dtype == torch.bool:
                raise Unsupported("a bool tensor with an int")
        elif isinstance(o, float):
            if not dtype.is_floating_point:
                raise Unsupported("an integer tensor with a float")
        else:
            raise Unsupported(f"an operand of type {type(o).__name__}")
    return dtype


def _elementwise(operands: Sequence[Any]) -> SymTensor:
    tensors = [o for o in operands if isinstance(o, SymTensor)]
    dtype = _result_dtype(operands)
    shape: Shape = ()
    for t in tensors:
        shape = _broadcast(shape, t._shape)
    if all(is_contiguous(t._shape, t._stride) for t in tensors):
        return _new(shape, dtype)
    return SymTensor(shape, dtype, _iterator_strides(shape, tensors))


def _binary(names: Sequence[str], defaults: Sequence[Any], *, inplace: bool = False) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, names, defaults)
        for extra in bound[2:]:
            if not isinstance(extra, (int, float)) or isinstance(extra, bool):
                raise Unsupported("an element-wise setting that is not a number")
        out = _elementwise(bound[:2])
        if inplace:
            target = _sym(bound[0])
            if out._shape != target._shape or out.dtype != target.dtype:
                raise Unsupported("an in-place op that would change the tensor")
            return target
        return out

    return handler


_ADD = (("input", "other", "alpha"), (_MISSING, _MISSING, 1))
_MUL = (("input", "other"), (_MISSING, _MISSING))
_DIV = (("input", "other", "rounding_mode"), (_MISSING, _MISSING, None))
for _funcs, (_names, _defaults) in (
    (
        (
            torch.add,
            torch.Tensor.add,
            torch.Tensor.__add__,
            torch.sub,
            torch.Tensor.sub,
            torch.Tensor.__sub__,
        ),
        _ADD,
    ),
    (
        (
            torch.mul,
            torch.Tensor.mul,
            torch.Tensor.__mul__,
            torch.Tensor.__radd__,
            torch.Tensor.__rmul__,
        ),
        _MUL,
    ),
):
    for _func in _funcs:
        HANDLERS[_func] = _binary(_names, _defaults)
for _func in (torch.Tensor.add_, torch.Tensor.sub_, torch.Tensor.__iadd__, torch.Tensor.__isub__):
    HANDLERS[_func] = _binary(*_ADD, inplace=True)
for _func in (torch.Tensor.mul_, torch.Tensor.__imul__):
    HANDLERS[_func] = _binary(*_MUL, inplace=True)
HANDLERS[torch.Tensor.__rsub__] = _binary(*_MUL)


def _division(*, inplace: bool) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        a, b, mode = _bind(args, kwargs, *_DIV)
        if mode is not None:
            raise Unsupported("division with a rounding mode")
        out = _elementwise((a, b))
        if not out.dtype.is_floating_point:
            raise Unsupported("division of integers")
        if inplace:
            if out._shape != _sym(a)._shape:
                raise Unsupported("an in-place op that would change the tensor")
            return a
        return out

    return handler


for _func in (torch.div, torch.Tensor.div, torch.Tensor.__truediv__):
    HANDLERS[_func] = _division(inplace=False)
for _func in (torch.Tensor.div_, torch.Tensor.__itruediv__):
    HANDLERS[_func] = _division(inplace=True)


@_register(torch.Tensor.__neg__, torch.neg)
def _neg(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if x.dtype == torch.bool:
        raise Unsupported("negation of a bool tensor")
    return _like(x)


# -- normalization ----------------------------------------------------------------------


def _vector(t: Any, size: int, dtype: torch.dtype | None = None) -> None:
    if t is not None and (_sym(t)._shape != (size,) or (dtype is not None and t.dtype != dtype)):
        raise Unsupported("a per-channel tensor of another size")


@_register(F.batch_norm)
def _batch_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = (
        "input",
        "running_mean",
        "running_var",
        "weight",
        "bias",
        "training",
        "momentum",
        "eps",
    )
    x, mean, var, w, b, training, _momentum, _eps = _bind(
        args, kwargs, names, (_MISSING, _MISSING, _MISSING, None, None, False, 0.1, 1e-5)
    )
    x = _float_input(x)
    if x.dim() < 2 or 0 in x._shape:
        raise Unsupported("batch norm of an input without channels")
    c = x._shape[1]
    for t in (mean, var, w, b):
        _vector(t, c)
    if training and x.numel() // c <= 1:
        raise Unsupported("batch norm in training with one value per channel")
    if not training and (mean is None or var is None):
        raise Unsupported("batch norm in eval without running statistics")
    if not is_contiguous(x._shape, x._stride):
        raise Unsupported("batch norm of a non-contiguous input")
    return _new(x._shape, x.dtype)


@_register(F.layer_norm)
def _layer_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, shape, w, b, _eps = _bind(
        args,
        kwargs,
        ("input", "normalized_shape", "weight", "bias", "eps"),
        (_MISSING, _MISSING, None, None, 1e-5),
    )
    x = _float_input(x)
    if isinstance(shape, int):
        normalized: tuple[int, ...] = (shape,)
    else:
        normalized = _ints(shape, len(shape), "normalized_shape")
    if not normalized or x._shape[len(x._shape) - len(normalized) :] != normalized:
        raise Unsupported("layer norm over axes the input does not end with")
    for t in (w, b):
        if t is not None and (_sym(t)._shape != normalized or t.dtype != x.dtype):
            raise Unsupported("layer norm weight of another shape")
    return _new(x._shape, x.dtype)  # torch makes the input contiguous first


@_register(F.group_norm)
def _group_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, groups, w, b, _eps = _bind(
        args,
        kwargs,
        ("input", "num_groups", "weight", "bias", "eps"),
        (_MISSING, _MISSING, None, None, 1e-5),
    )
    x = _float_input(x)
    if x.dim() < 2 or not isinstance(groups, int) or groups < 1 or x._shape[1] % groups:
        raise Unsupported("group norm of channels the groups do not divide")
    for t in (w, b):
        _vector(t, x._shape[1], x.dtype)
    if not is_contiguous(x._shape, x._stride):
        raise Unsupported("group norm of a non-contiguous input")
    return _new(x._shape, x.dtype)


# -- pooling ----------------------------------------------------------------------------


def _pool_size(size: int, k: int, s: int, p: int, d: int, ceil: bool) -> int:
    """torch's pooling_output_shape."""
    span = size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)
    out = span // s + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool(nd: int, kind: str) -> Handler:
    names: tuple[str, ...]
    if kind == "max":
        names = (
            "input",
            "kernel_size",
            "stride",
            "padding",
            "dilation",
            "ceil_mode",
            "return_indices",
        )
        defaults: tuple[Any, ...] = (_MISSING, _MISSING, None, 0, 1, False, False)
    else:
        names = (
            "input",
            "kernel_size",
            "stride",
            "padding",
            "ceil_mode",
            "count_include_pad",
            "divisor_override",
        )
        defaults = (_MISSING, _MISSING, None, 0, False, True, None)
        if nd == 1:
            names, defaults = names[:-1], defaults[:-1]

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = dict(zip(names, _bind(args, kwargs, names, defaults)))
        x = _float_input(bound["input"])
        if x.dim() != nd + 2 or 0 in x._shape:
            raise Unsupported("pooling of an unbatched or empty input")
        if not is_contiguous(x._shape, x._stride):
            raise Unsupported("pooling of a non-contiguous input")
        kernel = _ints(bound["kernel_size"], nd, "kernel_size")
        stride_arg = bound["stride"]
        stride = (
            kernel
            if stride_arg is None or stride_arg == [] or stride_arg == ()
            else (_ints(stride_arg, nd, "stride"))
        )
        padding = _ints(bound["padding"], nd, "padding")
        dilation = _ints(bound.get("dilation", 1), nd, "dilation")
        ceil = bound["ceil_mode"]
        if not isinstance(ceil, bool) or min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1:
            raise Unsupported("pooling settings out of range")
        for k, p, d in zip(kernel, padding, dilation):
            limit = ((k - 1) * d + 1) // 2 if kind == "max" else k // 2
            if p < 0 or p > limit:
                raise Unsupported("pooling padding over half the kernel")
        sizes = tuple(
            _pool_size(s, k, st, p, d, ceil)
            for s, k, st, p, d in zip(x._shape[2:], kernel, stride, padding, dilation)
        )
        if min(sizes) < 1:
            raise Unsupported("pooling output of size 0")
        out = _new((*x._shape[:2], *sizes), x.dtype)
        if kind == "max" and bound["return_indices"]:
            return out, _new(out._shape, torch.int64)
        if kind == "max" and bound["return_indices"] is not False:
            raise Unsupported("return_indices that is not a bool")
        return out

    return handler


for _nd, (_max, _avg) in enumerate(
    ((F.max_pool1d, F.avg_pool1d), (F.max_pool2d, F.avg_pool2d), (F.max_pool3d, F.avg_pool3d)),
    start=1,
):
    HANDLERS[_max] = _pool(_nd, "max")
    HANDLERS[_avg] = _pool(_nd, "avg")


def _adaptive(nd: int, kind: str) -> Handler:
    names: tuple[str, ...] = ("input", "output_size")
    defaults: tuple[Any, ...] = (_MISSING, _MISSING)
    if kind == "max":
        names, defaults = (*names, "return_indices"), (*defaults, False)

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, names, defaults)
        x = _float_input(bound[0])
        if x.dim() != nd + 2 or 0 in x._shape:
            raise Unsupported("adaptive pooling of an unbatched or empty input")
        size = bound[1]
        if isinstance(size, (tuple, list)) and len(size) == nd:
            sizes = tuple(x._shape[2 + i] if s is None else s for i, s in enumerate(size))
        else:
            sizes = _ints(size, nd, "output_size")
        if not all(isinstance(s, int) and s >= 0 for s in sizes):
            raise Unsupported("an adaptive output size that is not a size")
        if not is_contiguous(x._shape, x._stride):
            raise Unsupported("pooling of a non-contiguous input")
        out = _new((*x._shape[:2], *sizes), x.dtype)
        if kind == "max" and bound[2]:
            return out, _new(out._shape, torch.int64)
        return out

    return handler


for _nd, (_max, _avg) in enumerate(
    (
        (F.adaptive_max_pool1d, F.adaptive_avg_pool1d),
        (F.adaptive_max_pool2d, F.adaptive_avg_pool2d),
        (F.adaptive_max_pool3d, F.adaptive_avg_pool3d),
    ),
    start=1,
):
    HANDLERS[_max] = _adaptive(_nd, "max")
    HANDLERS[_avg] = _adaptive(_nd, "avg")


# -- views and shape changes ------------------------------------------------------------


def view_strides(old: Shape, stride: Shape, new: Shape) -> Shape | None:
    """torch's computeStride: the strides of ``new`` as a view of (``old``, ``stride``),
    or None when no view exists (reshape then copies)."""
    if _prod(old) == 0:
        return stride if old == new else contiguous_strides(new)
    if not old:
        return tuple(1 for _ in new)
    out = [0] * len(new)
    view_d = len(new) - 1
    base = stride[-1]
    tensor_numel = view_numel = 1
    for tensor_d in range(len(old) - 1, -1, -1):
        tensor_numel *= old[tensor_d]
        if tensor_d == 0 or (
            old[tensor_d - 1] != 1 and stride[tensor_d - 1] != tensor_numel * base
        ):
            while view_d >= 0 and (view_numel < tensor_numel or new[view_d] == 1):
                out[view_d] = view_numel * base
                view_numel *= new[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                base = stride[tensor_d - 1]
                tensor_numel = view_numel = 1
    if view_d != -1:
        return None
    return tuple(out)


def _infer(shape: Sequence[Any], numel: int) -> Shape:
    sizes = list(shape)
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
        raise Unsupported("a shape that is not ints")
    if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
        raise Unsupported("a shape with more than one -1")
    known = _prod([s for s in sizes if s != -1])
    if -1 in sizes:
        if known == 0 or numel % known:
            raise Unsupported("a shape that does not fit the elements")
        sizes[sizes.index(-1)] = numel // known
    elif known != numel:
        raise Unsupported("a shape that does not fit the elements")
    return tuple(sizes)


def _shape_args(rest: Sequence[Any]) -> Sequence[Any]:
    if len(rest) == 1 and isinstance(rest[0], (tuple, list, torch.Size)):
        return tuple(rest[0])
    return rest


def _reshape_to(x: SymTensor, shape: Shape, *, copy_if_needed: bool) -> SymTensor:
    strides = view_strides(x._shape, x._stride, shape)
    if strides is None:
        if not copy_if_needed:
            raise Unsupported("a view of a layout that cannot be viewed")
        return _new(shape, x.dtype)
    return SymTensor(shape, x.dtype, strides)


@_register(torch.Tensor.view)
def _view(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    if kwargs or not args:
        raise Unsupported("view with keywords")
    x = _sym(args[0])
    rest = _shape_args(args[1:])
    if len(rest) == 1 and isinstance(rest[0], torch.dtype):
        raise Unsupported("view as another dtype")
    return _reshape_to(x, _infer(rest, x.numel()), copy_if_needed=False)


@_register(torch.Tensor.reshape, torch.reshape)
def _reshape(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    if not args:
        raise Unsupported("reshape without input")
    x = _sym(args[0])
    rest = _shape_args(args[1:]) if not kwargs else _shape_args((kwargs.get("shape"),))
    if kwargs and (set(kwargs) != {"shape"} or len(args) != 1):
        raise Unsupported("reshape with other keywords")
    return _reshape_to(x, _infer(rest, x.numel()), copy_if_needed=True)


@_register(torch.flatten, torch.Tensor.flatten)
def _flatten(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, start, end = _bind(args, kwargs, ("input", "start_dim", "end_dim"), (_MISSING, 0, -1))
    x = _sym(x)
    if not isinstance(start, int) or not isinstance(end, int):
        raise Unsupported("flatten by dimension names")
    if x.dim() == 0:
        return _reshape_to(x, (1,), copy_if_needed=True)
    start, end = _wrap(start, x.dim()), _wrap(end, x.dim())
    if start > end:
        raise Unsupported("flatten with start_dim after end_dim")
    if start == end:
        return x
    shape = (*x._shape[:start], _prod(x._shape[start : end + 1]), *x._shape[end + 1 :])
    return _reshape_to(x, shape, copy_if_needed=True)


@_register(torch.Tensor.permute, torch.permute)
def _permute(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    if not args:
        raise Unsupported("permute without input")
    x = _sym(args[0])
    dims = _shape_args(args[1:]) if not kwargs else _shape_args((kwargs.get("dims"),))
    if kwargs and (set(kwargs) != {"dims"} or len(args) != 1):
        raise Unsupported("permute with other keywords")
    order = [_wrap(d, x.dim()) for d in dims]
    if sorted(order) != list(range(x.dim())):
        raise Unsupported("permute dims that are not a permutation")
    return SymTensor(tuple(x._shape[d] for d in order), x.dtype, tuple(x._stride[d] for d in order))


@_register(torch.Tensor.transpose, torch.transpose)
def _transpose(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, d0, d1 = _bind(args, kwargs, ("input", "dim0", "dim1"), (_MISSING, _MISSING, _MISSING))
    x = _sym(x)
    d0, d1 = _wrap(d0, x.dim()), _wrap(d1, x.dim())
    shape, stride = list(x._shape), list(x._stride)
    if x.dim() == 0:
        return x
    shape[d0], shape[d1] = shape[d1], shape[d0]
    stride[d0], stride[d1] = stride[d1], stride[d0]
    return SymTensor(shape, x.dtype, stride)


@_register(torch.Tensor.unsqueeze, torch.unsqueeze)
def _unsqueeze(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, _MISSING))
    x = _sym(x)
    dim = _wrap(dim, x.dim() + 1)
    new_stride = 1 if dim >= x.dim() else x._shape[dim] * x._stride[dim]
    return SymTensor(
        (*x._shape[:dim], 1, *x._shape[dim:]),
        x.dtype,
        (*x._stride[:dim], new_stride, *x._stride[dim:]),
    )


@_register(torch.Tensor.contiguous)
def _contiguous(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, fmt = _bind(args, kwargs, ("input", "memory_format"), (_MISSING, torch.contiguous_format))
    x = _sym(x)
    if fmt is not torch.contiguous_format:
        raise Unsupported("contiguous in another memory format")
    return x if is_contiguous(x._shape, x._stride) else _new(x._shape, x.dtype)


@_register(torch.Tensor.expand)
def _expand(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    if kwargs or not args:
        raise Unsupported("expand with keywords")
    x = _sym(args[0])
    sizes = list(_shape_args(args[1:]))
    if len(sizes) < x.dim() or not all(isinstance(s, int) for s in sizes):
        raise Unsupported("expand to fewer dimensions")
    lead = len(sizes) - x.dim()
    shape, stride = [], []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise Unsupported("expand a new dimension to -1")
            shape.append(s)
            stride.append(0)
            continue
        old, st = x._shape[i - lead], x._stride[i - lead]
        if s == -1 or s == old:
            shape.append(old)
            stride.append(st)
        elif old == 1 and s >= 0:
            shape.append(s)
            stride.append(0)
        else:
            raise Unsupported("expand of a dimension that is not 1")
    return SymTensor(shape, x.dtype, stride)


def _joined(tensors: Any) -> list[SymTensor]:
    if not isinstance(tensors, (tuple, list)) or not tensors:
        raise Unsupported("cat of no tensors")
    out = [_sym(t) for t in tensors]
    if len({t.dtype for t in out}) != 1 or len({t.dim() for t in out}) != 1:
        raise Unsupported("cat of tensors of different dtypes or ranks")
    # The result is contiguous unless the inputs suggest channels-last, which only a
    # non-contiguous 4-d or 5-d input can.
    if any(t.dim() in (4, 5) and not is_contiguous(t._shape, t._stride) for t in out):
        raise Unsupported("cat of 4-d or 5-d tensors in another layout")
    return out


@_register(torch.cat, torch.concat, torch.concatenate)
def _cat(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    tensors, dim = _bind(args, kwargs, ("tensors", "dim"), (_MISSING, 0))
    parts = _joined(tensors)
    if parts[0].dim() == 0:
        raise Unsupported("cat of 0-d tensors")
    dim = _wrap(dim, parts[0].dim())
    first = parts[0]._shape
    for p in parts[1:]:
        if p._shape[:dim] != first[:dim] or p._shape[dim + 1 :] != first[dim + 1 :]:
            raise Unsupported("cat of tensors whose other sizes differ")
    size = sum(p._shape[dim] for p in parts)
    return _new((*first[:dim], size, *first[dim + 1 :]), parts[0].dtype)


@_register(torch.stack)
def _stack(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    tensors, dim = _bind(args, kwargs, ("tensors", "dim"), (_MISSING, 0))
    parts = _joined(tensors)
    if len({p._shape for p in parts}) != 1:
        raise Unsupported("stack of tensors of different shapes")
    shape = parts[0]._shape
    dim = _wrap(dim, len(shape) + 1)
    return _new((*shape[:dim], len(parts), *shape[dim:]), parts[0].dtype)


def _pieces(x: SymTensor, dim: int, sizes: Sequence[int]) -> tuple[SymTensor, ...]:
    out = []
    for s in sizes:
        shape = list(x._shape)
        shape[dim] = s
        out.append(SymTensor(shape, x.dtype, x._stride))
    return tuple(out)


@_register(torch.Tensor.chunk, torch.chunk)
def _chunk(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, chunks, dim = _bind(args, kwargs, ("input", "chunks", "dim"), (_MISSING, _MISSING, 0))
    x = _sym(x)
    if not isinstance(chunks, int) or chunks < 1 or x.dim() == 0:
        raise Unsupported("chunk into fewer than one piece")
    dim = _wrap(dim, x.dim())
    n = x._shape[dim]
    step = -(-n // chunks) if n else 0
    if step == 0:
        raise Unsupported("chunk of an empty dimension")
    sizes = [min(step, n - i) for i in range(0, n, step)]
    return _pieces(x, dim, sizes)


@_register(torch.Tensor.split, torch.split)
def _split(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, size, dim = _bind(
        args, kwargs, ("tensor", "split_size_or_sections", "dim"), (_MISSING, _MISSING, 0)
    )
    x = _sym(x)
    if x.dim() == 0:
        raise Unsupported("split of a 0-d tensor")
    dim = _wrap(dim, x.dim())
    n = x._shape[dim]
    if isinstance(size, int) and not isinstance(size, bool):
        if size < 1 or n == 0:
            raise Unsupported("split into empty pieces")
        sizes = [min(size, n - i) for i in range(0, n, size)]
    elif isinstance(size, (list, tuple)) and all(isinstance(s, int) and s >= 0 for s in size):
        if sum(size) != n:
            raise Unsupported("split sections that do not add up")
        sizes = list(size)
    else:
        raise Unsupported("split by something else than sizes")
    return _pieces(x, dim, sizes)


def _reduction(names: Sequence[str]) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, dim, keepdim, dtype = _bind(args, kwargs, names, (_MISSING, None, False, None))
        x = _float_input(x)
        if dtype is not None or not isinstance(keepdim, bool):
            raise Unsupported("a reduction with a dtype")
        if dim is None or dim == () or dim == []:
            if keepdim or dim is not None:
                raise Unsupported("a full reduction with keepdim")
            return _new((), x.dtype)
        dims = {_wrap(d, x.dim()) for d in ((dim,) if isinstance(dim, int) else dim)}
        shape = (
            [1 if i in dims else s for i, s in enumerate(x._shape)]
            if keepdim
            else [s for i, s in enumerate(x._shape) if i not in dims]
        )
        return _new(shape, x.dtype)

    return handler


for _func in (torch.mean, torch.Tensor.mean, torch.sum, torch.Tensor.sum):
    HANDLERS[_func] = _reduction(("input", "dim", "keepdim", "dtype"))


@_register(F.embedding)
def _embedding(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = (
        "input",
        "weight",
        "padding_idx",
        "max_norm",
        "norm_type",
        "scale_grad_by_freq",
        "sparse",
    )
    ids, w, pad, max_norm, _norm, _scale, sparse = _bind(
        args, kwargs, names, (_MISSING, _MISSING, None, None, 2.0, False, False)
    )
    ids, w = _sym(ids), _sym(w)
    if ids.dtype not in (torch.int64, torch.int32) or w.dim() != 2 or max_norm is not None:
        raise Unsupported("embedding of non-integer ids or with max_norm")
    if pad is not None and not (isinstance(pad, int) and -w._shape[0] <= pad < w._shape[0]):
        raise Unsupported("embedding padding_idx out of range")
    if sparse:
        raise Unsupported("sparse embedding")
    return _new((*ids._shape, w._shape[1]), w.dtype)


# -- attention and transformer pieces ---------------------------------------------------


@_register(F.scaled_dot_product_attention)
def _sdpa(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = ("query", "key", "value", "attn_mask", "dropout_p", "is_causal", "scale", "enable_gqa")
    if len(args) > 6:
        raise Unsupported("scale and enable_gqa are keyword-only")
    q, k, v, mask, p, causal, scale, gqa = _bind(
        args, kwargs, names, (_MISSING, _MISSING, _MISSING, None, 0.0, False, None, False)
    )
    q, k, v = _sym(q), _sym(k), _sym(v)
    if gqa or not isinstance(causal, bool) or not isinstance(p, (int, float)):
        raise Unsupported("attention with grouped heads or unusual settings")
    if scale is not None and not isinstance(scale, (int, float)):
        raise Unsupported("attention with a tensor scale")
    if min(q.dim(), k.dim(), v.dim()) < 3 or k._shape[-2] != v._shape[-2]:
        raise Unsupported("attention on tensors of fewer than 3 dimensions")
    if causal and mask is not None:
        raise Unsupported("attention with both a mask and is_causal")
    if mask is not None:
        mask = _sym(mask)
        expected = (*_broadcast(q._shape[:-2], k._shape[:-2]), q._shape[-2], k._shape[-2])
        if _broadcast(mask._shape, expected) != expected:
            raise Unsupported("an attention mask of another shape")
    # torch on meta runs the math: (Q·scale)(Kᵀ·scale) as a batched product, softmax, ·V
    k_t = SymTensor((*k._shape[:-2], k._shape[-1], k._shape[-2]), k.dtype)
    scores = _matmul_of(q, k_t, aten)
    return _matmul_of(scores, v, aten)


def _rms_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, shape, w, _eps = _bind(
        args,
        kwargs,
        ("input", "normalized_shape", "weight", "eps"),
        (_MISSING, _MISSING, None, None),
    )
    x = _float_input(x)
    normalized = (
        (shape,) if isinstance(shape, int) else _ints(shape, len(shape), "normalized_shape")
    )
    if not normalized or x._shape[len(x._shape) - len(normalized) :] != normalized:
        raise Unsupported("RMS norm over axes the input does not end with")
    if x.dtype not in (torch.float32, torch.float64) or not is_contiguous(x._shape, x._stride):
        raise Unsupported("RMS norm of a half-precision or non-contiguous input")
    if w is not None and (_sym(w)._shape != normalized or w.dtype != x.dtype):
        raise Unsupported("RMS norm weight of another shape")
    return _new(x._shape, x.dtype)


HANDLERS[F.rms_norm] = _rms_norm
if hasattr(torch, "rms_norm"):
    HANDLERS[torch.rms_norm] = _rms_norm


@_register(torch.Tensor.repeat_interleave, torch.repeat_interleave)
def _repeat_interleave(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, repeats, dim, size = _bind(
        args, kwargs, ("input", "repeats", "dim", "output_size"), (_MISSING, _MISSING, None, None)
    )
    x = _sym(x)
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 0:
        raise Unsupported("repeat_interleave by a tensor of counts")
    if dim is None or size is not None or x.dim() == 0:
        raise Unsupported("repeat_interleave without a dimension")
    dim = _wrap(dim, x.dim())
    shape = list(x._shape)
    shape[dim] *= repeats
    return _new(shape, x.dtype)


@_register(torch.Tensor.__getitem__)
def _getitem(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """Basic indexing (ints, slices, None, ...): a view, as torch's applySlicing makes it."""
    if kwargs or len(args) != 2:
        raise Unsupported("indexing with keywords")
    x, index = _sym(args[0]), args[1]
    items = index if type(index) is tuple else (index,)
    for item in items:
        if not (item is None or item is Ellipsis or type(item) in (int, slice)):
            raise Unsupported("advanced indexing (tensors, lists or bools)")
    consumed = sum(1 for item in items if type(item) in (int, slice))
    if consumed > x.dim() or sum(1 for item in items if item is Ellipsis) > 1:
        raise Unsupported("too many indices")
    shape, stride = list(x._shape), list(x._stride)
    dim = 0
    for item in items:
        if item is Ellipsis:
            dim += x.dim() - consumed
        elif item is None:
            new_stride = 1 if dim >= len(shape) else shape[dim] * stride[dim]
            shape.insert(dim, 1)
            stride.insert(dim, new_stride)
            dim += 1
        elif type(item) is int:
            size = shape[dim]
            if not -size <= item < size:
                raise Unsupported("an index out of range")
            del shape[dim], stride[dim]
        else:
            start, stop, step = item.start, item.stop, item.step
            step = 1 if step is None else step
            if not all(v is None or type(v) is int for v in (start, stop)) or type(step) is not int:
                raise Unsupported("a slice of non-ints")
            if step <= 0:
                raise Unsupported("a slice with a step below 1")
            size = shape[dim]
            begin = 0 if start is None else (start + size if start < 0 else start)
            end = size if stop is None else (stop + size if stop < 0 else stop)
            begin, end = min(max(begin, 0), size), min(max(end, 0), size)
            shape[dim] = max(0, (end - begin + step - 1) // step)
            stride[dim] *= step
            dim += 1
    return SymTensor(shape, x.dtype, stride)


@_register(torch.Tensor.unbind, torch.unbind)
def _unbind(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, 0))
    x = _sym(x)
    if x.dim() == 0:
        raise Unsupported("unbind of a 0-d tensor")
    dim = _wrap(dim, x.dim())
    shape, stride = x._shape[:dim] + x._shape[dim + 1 :], x._stride[:dim] + x._stride[dim + 1 :]
    return tuple(SymTensor(shape, x.dtype, stride) for _ in range(x._shape[dim]))


@_register(torch.Tensor.__iter__)
def _iter(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    if kwargs or len(args) != 1:
        raise Unsupported("iteration with arguments")
    return iter(_unbind(args, {}, aten))


@_register(torch.Tensor.unflatten, torch.unflatten)
def _unflatten(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim, sizes = _bind(args, kwargs, ("input", "dim", "sizes"), (_MISSING, _MISSING, _MISSING))
    x = _sym(x)
    if x.dim() == 0 or not isinstance(sizes, (tuple, list, torch.Size)) or not sizes:
        raise Unsupported("unflatten of a 0-d tensor or into nothing")
    dim = _wrap(dim, x.dim())
    inner = _infer(sizes, x._shape[dim])
    return _reshape_to(x, (*x._shape[:dim], *inner, *x._shape[dim + 1 :]), copy_if_needed=False)


@_register(torch.Tensor.squeeze, torch.squeeze)
def _squeeze(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, None))
    x = _sym(x)
    if dim is None:
        dims = set(range(x.dim()))
    elif isinstance(dim, (tuple, list)):
        dims = {_wrap(d, x.dim()) for d in dim}
    else:
        dims = {_wrap(dim, x.dim())}
    keep = [i for i in range(x.dim()) if i not in dims or x._shape[i] != 1]
    return SymTensor([x._shape[i] for i in keep], x.dtype, [x._stride[i] for i in keep])


def _run(func: Any, aten: list[AtenOp], *args: Any) -> Any:
    """``func(*args)`` answered by its rule, as torch's own Python code would call it."""
    return HANDLERS[func](args, {}, aten)


_MHA_NAMES = (
    "query", "key", "value", "embed_dim_to_check", "num_heads", "in_proj_weight",
    "in_proj_bias", "bias_k", "bias_v", "add_zero_attn", "dropout_p", "out_proj_weight",
    "out_proj_bias", "training", "key_padding_mask", "need_weights", "attn_mask",
    "use_separate_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight",
    "static_k", "static_v", "average_attn_weights", "is_causal",
)  # fmt: skip
_MHA_DEFAULTS = (*(_MISSING,) * 13, True, None, True, None, False, None, None, None, None,
                 None, True, False)  # fmt: skip
# Arguments whose cases the rule does not follow: masks, extra key/value rows, fixed keys,
# separate projection weights. Each must be None (or False).
_MHA_REFUSED = (
    "bias_k", "bias_v", "key_padding_mask", "attn_mask", "q_proj_weight", "k_proj_weight",
    "v_proj_weight", "static_k", "static_v",
)  # fmt: skip


def _in_projection_packed(
    q: SymTensor, k: SymTensor, v: SymTensor, w: Any, b: Any, aten: list[AtenOp]
) -> tuple[SymTensor, SymTensor, SymTensor]:
    """torch.nn.functional._in_projection_packed: one linear for self-attention, one for
    the query and one for key and value when those are one tensor, else three."""
    e = q._shape[-1]
    if k is v:
        if q is k:
            proj = _run(F.linear, aten, q, w, b)
            proj = _run(torch.Tensor.unflatten, aten, proj, -1, (3, e))
            proj = _run(torch.Tensor.unsqueeze, aten, proj, 0)
            proj = _run(torch.Tensor.transpose, aten, proj, 0, -2)
            proj = _run(torch.Tensor.squeeze, aten, proj, -2)
            proj = _run(torch.Tensor.contiguous, aten, proj)
            return tuple(_run(torch.Tensor.__getitem__, aten, proj, i) for i in range(3))
        w_q, w_kv = _run(torch.Tensor.split, aten, w, [e, e * 2])
        b_q, b_kv = (None, None) if b is None else _run(torch.Tensor.split, aten, b, [e, e * 2])
        q_proj = _run(F.linear, aten, q, w_q, b_q)
        kv = _run(F.linear, aten, k, w_kv, b_kv)
        kv = _run(torch.Tensor.unflatten, aten, kv, -1, (2, e))
        kv = _run(torch.Tensor.unsqueeze, aten, kv, 0)
        kv = _run(torch.Tensor.transpose, aten, kv, 0, -2)
        kv = _run(torch.Tensor.squeeze, aten, kv, -2)
        kv = _run(torch.Tensor.contiguous, aten, kv)
        return (
            q_proj,
            _run(torch.Tensor.__getitem__, aten, kv, 0),
            _run(torch.Tensor.__getitem__, aten, kv, 1),
        )
    ws = _run(torch.Tensor.chunk, aten, w, 3)
    bs = (None, None, None) if b is None else _run(torch.Tensor.chunk, aten, b, 3)
    if len(ws) != 3 or len(bs) != 3:
        raise Unsupported("an in-projection that does not split in three")
    return (
        _run(F.linear, aten, q, ws[0], bs[0]),
        _run(F.linear, aten, k, ws[1], bs[1]),
        _run(F.linear, aten, v, ws[2], bs[2]),
    )


@_register(F.multi_head_attention_forward)
def _multi_head_attention(
    args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]
) -> Any:
    """torch's Python implementation step by step, each step by its own rule: the
    in-projection, the heads split off, attention (as bmm, softmax, bmm when the weights
    are wanted, else by scaled_dot_product_attention), the out-projection."""
    a = dict(zip(_MHA_NAMES, _bind(args, kwargs, _MHA_NAMES, _MHA_DEFAULTS)))
    if any(a[k] is not None for k in _MHA_REFUSED):
        raise Unsupported("multi-head attention with masks, key/value biases or own weights")
    if a["add_zero_attn"] is not False or a["use_separate_proj_weight"] is not False:
        raise Unsupported("multi-head attention with zero attention or separate weights")
    if a["is_causal"] is not False:  # torch needs attn_mask with it: refused above
        raise Unsupported("multi-head attention with is_causal")
    flags = (a["training"], a["need_weights"], a["average_attn_weights"])
    if not all(isinstance(f, bool) for f in flags):
        raise Unsupported("multi-head attention flags that are not bools")
    dropout_p = a["dropout_p"]
    if not isinstance(dropout_p, (int, float)) or isinstance(dropout_p, bool):
        raise Unsupported("a dropout probability that is not a number")
    query, key, value = _sym(a["query"]), _sym(a["key"]), _sym(a["value"])
    heads, w, b = a["num_heads"], a["in_proj_weight"], a["in_proj_bias"]
    if query.dim() not in (2, 3) or key.dim() != query.dim() or value.dim() != query.dim():
        raise Unsupported("multi-head attention inputs of other ranks")
    batched = query.dim() == 3
    if not batched:  # torch makes them batches of one (three tensors: no longer one)
        query, key, value = (_run(torch.Tensor.unsqueeze, aten, t, 1) for t in (query, key, value))
    tgt_len, bsz, embed_dim = query._shape
    if not isinstance(heads, int) or isinstance(heads, bool) or heads < 1:
        raise Unsupported("a number of heads that is not a positive int")
    if embed_dim != a["embed_dim_to_check"] or embed_dim % heads or key._shape != value._shape:
        raise Unsupported("multi-head attention of mismatched sizes")
    if w is None:
        raise Unsupported("multi-head attention without in_proj_weight")
    head_dim = embed_dim // heads
    q, k, v = _in_projection_packed(query, key, value, w, b, aten)
    q = _run(torch.Tensor.view, aten, q, tgt_len, bsz * heads, head_dim)
    q = _run(torch.Tensor.transpose, aten, q, 0, 1)
    k = _run(torch.Tensor.view, aten, k, k._shape[0], bsz * heads, head_dim)
    k = _run(torch.Tensor.transpose, aten, k, 0, 1)
    v = _run(torch.Tensor.view, aten, v, v._shape[0], bsz * heads, head_dim)
    v = _run(torch.Tensor.transpose, aten, v, 0, 1)
    src_len = k._shape[1]
    if not a["training"]:
        dropout_p = 0.0
    out_w, out_b = a["out_proj_weight"], a["out_proj_bias"]
    weights = None
    if a["need_weights"]:
        scaled = _run(torch.Tensor.__mul__, aten, q, math.sqrt(1.0 / float(q._shape[2])))
        k_t = _run(torch.Tensor.transpose, aten, k, -2, -1)
        weights = _run(torch.bmm, aten, scaled, k_t)
        weights = _run(F.softmax, aten, weights, -1)
        if dropout_p > 0.0:
            weights = _run(F.dropout, aten, weights, dropout_p)
        out = _run(torch.bmm, aten, weights, v)
        out = _run(torch.Tensor.transpose, aten, out, 0, 1)
        out = _run(torch.Tensor.reshape, aten, out, tgt_len * bsz, embed_dim)
        out = _run(F.linear, aten, out, out_w, out_b)
        out = _run(torch.Tensor.view, aten, out, tgt_len, bsz, out._shape[1])
        weights = _run(torch.Tensor.view, aten, weights, bsz, heads, tgt_len, src_len)
        if a["average_attn_weights"]:
            weights = _run(torch.Tensor.mean, aten, weights, 1)
        if not batched:
            out = _run(torch.Tensor.squeeze, aten, out, 1)
            weights = _run(torch.Tensor.squeeze, aten, weights, 0)
        return out, weights
    q = _run(torch.Tensor.view, aten, q, bsz, heads, tgt_len, head_dim)
    k = _run(torch.Tensor.view, aten, k, bsz, heads, src_len, head_dim)
    v = _run(torch.Tensor.view, aten, v, bsz, heads, src_len, head_dim)
    out = _run(F.scaled_dot_product_attention, aten, q, k, v, None, dropout_p, False)
    out = _run(torch.Tensor.permute, aten, out, 2, 0, 1, 3)
    out = _run(torch.Tensor.reshape, aten, out, bsz * tgt_len, embed_dim)
    out = _run(F.linear, aten, out, out_w, out_b)
    out = _run(torch.Tensor.view, aten, out, tgt_len, bsz, out._shape[1])
    if not batched:
        out = _run(torch.Tensor.squeeze, aten, out, 1)
    return out, None


# -- padding, more normalization and activations ----------------------------------------

_PAD_RANKS = {1: (2, 3), 2: (3, 4), 3: (4, 5)}  # padded axes → input ranks torch pads so


@_register(F.pad, torch._C._nn.pad)
def _pad(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, pad, mode, value = _bind(
        args, kwargs, ("input", "pad", "mode", "value"), (_MISSING, _MISSING, "constant", None)
    )
    x = _sym(x)
    if not isinstance(pad, (tuple, list, torch.Size)) or len(pad) % 2:
        raise Unsupported("padding that is not pairs of ints")
    pads = _ints(pad, len(pad), "pad") if pad else ()
    n = len(pads) // 2
    if not 0 < n <= x.dim() or min(pads) < 0 or 0 in x._shape:
        raise Unsupported("negative padding, or of an empty tensor")
    # A channels-last input keeps its layout under constant padding: only row-major here.
    if not is_contiguous(x._shape, x._stride):
        raise Unsupported("padding of a non-contiguous input")
    shape = list(x._shape)
    if mode == "constant":
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise Unsupported("a padding value that is not a number")
    elif mode in ("reflect", "replicate", "circular"):
        if value is not None or x.dim() not in _PAD_RANKS.get(n, ()):
            raise Unsupported(f"{mode} padding of this rank or with a value")
        if not x.dtype.is_floating_point:
            raise Unsupported(f"{mode} padding of a non-float tensor")
        for i in range(n):
            size = shape[-1 - i]
            left, right = pads[2 * i], pads[2 * i + 1]
            if (mode == "reflect" and max(left, right) >= size) or (
                mode == "circular" and max(left, right) > size
            ):
                raise Unsupported(f"{mode} padding wider than the input")
    else:
        raise Unsupported(f"padding mode {mode!r}")
    for i in range(n):
        shape[-1 - i] += pads[2 * i] + pads[2 * i + 1]
    return _new(shape, x.dtype)


@_register(F.instance_norm)
def _instance_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = (
        "input", "running_mean", "running_var", "weight", "bias", "use_input_stats",
        "momentum", "eps",
    )  # fmt: skip
    x, mean, var, w, b, use_stats, _momentum, _eps = _bind(
        args, kwargs, names, (_MISSING, None, None, None, None, True, 0.1, 1e-5)
    )
    x = _float_input(x)
    if x.dim() < 3 or 0 in x._shape or not isinstance(use_stats, bool):
        raise Unsupported("instance norm of an input without spatial axes")
    for t in (mean, var, w, b):
        _vector(t, x._shape[1], x.dtype)
    if use_stats and _prod(x._shape[2:]) == 1:
        raise Unsupported("instance norm over one spatial element")
    if not use_stats and (mean is None or var is None):
        raise Unsupported("instance norm without statistics")
    return _new(x._shape, x.dtype)  # torch normalizes a row-major view (or copy)


@_register(torch.prelu)  # F.prelu is torch.prelu
def _prelu(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, w = _bind(args, kwargs, ("input", "weight"), (_MISSING, _MISSING))
    x, w = _float_input(x), _sym(w)
    if w.dtype != x.dtype or w.dim() != 1 or x.dim() < 2:
        raise Unsupported("PReLU weight of another dtype or rank")
    if w._shape[0] not in (1, x._shape[1]):
        raise Unsupported("PReLU weight of another size than the channels")
    return _like(x)


def _shrink(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, lambd = _bind(args, kwargs, ("input", "lambd"), (_MISSING, 0.5))
    if not isinstance(lambd, (int, float)) or isinstance(lambd, bool) or lambd < 0:
        raise Unsupported("a shrink threshold below 0")  # softshrink refuses it
    return _like(_float_input(x))


HANDLERS[F.softshrink] = HANDLERS[F.hardshrink] = _shrink


@_register(torch.bilinear)  # F.bilinear is torch.bilinear
def _bilinear(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = ("input1", "input2", "weight", "bias")
    x1, x2, w, b = _bind(args, kwargs, names, (_MISSING, _MISSING, _MISSING, None))
    x1, x2, w = _sym(x1), _sym(x2), _sym(w)
    if not x1.dtype.is_floating_point or len({x1.dtype, x2.dtype, w.dtype}) != 1:
        raise Unsupported("bilinear of mixed or non-float dtypes")
    if (
        x1.dim() < 2
        or x1._shape[:-1] != x2._shape[:-1]
        or w._shape[1:]
        != (
            x1._shape[-1],
            x2._shape[-1],
        )
    ):
        raise Unsupported("bilinear of mismatched sizes")
    if 0 in x1._shape or 0 in x2._shape or 0 in w._shape:
        raise Unsupported("bilinear of an empty tensor")
    _vector(b, w._shape[0], x1.dtype)
    # no contraction torch counts: it runs aten._trilinear
    return _new((*x1._shape[:-1], w._shape[0]), x1.dtype)


def _with_indices(inner: Handler, names: Sequence[str], defaults: Sequence[Any]) -> Handler:
    """F.max_pool2d_with_indices and kin: the pooling rule, always with the indices."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, names, defaults)
        bound[-1] = True  # torch ignores return_indices here
        return inner(bound, {}, aten)

    return handler


_MAX_NAMES = ("input", "kernel_size", "stride", "padding", "dilation", "ceil_mode",
              "return_indices")  # fmt: skip
for _nd in (1, 2, 3):
    HANDLERS[getattr(F, f"max_pool{_nd}d_with_indices")] = _with_indices(
        _pool(_nd, "max"), _MAX_NAMES, (_MISSING, _MISSING, None, 0, 1, False, False)
    )
    HANDLERS[getattr(F, f"adaptive_max_pool{_nd}d_with_indices")] = _with_indices(
        _adaptive(_nd, "max"), ("input", "output_size", "return_indices"),
        (_MISSING, _MISSING, False),
    )  # fmt: skip


HANDLERS[F.threshold] = _unary(
    ("input", "threshold", "value", "inplace"), (_MISSING, _MISSING, _MISSING, False), inplace_at=3
)
HANDLERS[F.softmin] = _softmax


def _row_major(x: Any, what: str) -> SymTensor:
    """A float input these rules follow only row-major: other layouts come out as the
    kernel makes them."""
    t = _float_input(x)
    if not is_contiguous(t._shape, t._stride) or 0 in t._shape:
        raise Unsupported(f"{what} of a non-contiguous or empty input")
    return t


@_register(F.glu)
def _glu(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, -1))
    x = _row_major(x, "GLU")
    if x.dim() == 0:
        raise Unsupported("GLU of a 0-d tensor")
    dim = _wrap(dim, x.dim())
    if x._shape[dim] % 2:
        raise Unsupported("GLU over an odd size")
    shape = list(x._shape)
    shape[dim] //= 2
    return _new(shape, x.dtype)


def _pixel_shuffle(up: bool) -> Handler:
    names = ("input", "upscale_factor" if up else "downscale_factor")

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, r = _bind(args, kwargs, names, (_MISSING, _MISSING))
        x = _row_major(x, "pixel shuffle")
        if not isinstance(r, int) or isinstance(r, bool) or r < 1 or x.dim() < 3:
            raise Unsupported("a shuffle factor that is not a positive int")
        *lead, c, h, w = x._shape
        if up:
            if c % (r * r):
                raise Unsupported("channels the shuffle factor does not divide")
            return _new((*lead, c // (r * r), h * r, w * r), x.dtype)
        if h % r or w % r:
            raise Unsupported("a size the unshuffle factor does not divide")
        return _new((*lead, c * r * r, h // r, w // r), x.dtype)

    return handler


HANDLERS[F.pixel_shuffle] = _pixel_shuffle(up=True)
HANDLERS[F.pixel_unshuffle] = _pixel_shuffle(up=False)


@_register(F.cosine_similarity)
def _cosine(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b, dim, eps = _bind(args, kwargs, ("x1", "x2", "dim", "eps"), (_MISSING, _MISSING, 1, 1e-8))
    a, b = _row_major(a, "cosine similarity"), _row_major(b, "cosine similarity")
    if a.dtype != b.dtype or not isinstance(eps, (int, float)):
        raise Unsupported("cosine similarity of mixed dtypes")
    shape = _broadcast(a._shape, b._shape)
    dim = _wrap(dim, len(shape))
    return _new(shape[:dim] + shape[dim + 1 :], a.dtype)


@_register(F.pairwise_distance)
def _pairwise(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b, p, eps, keepdim = _bind(
        args, kwargs, ("x1", "x2", "p", "eps", "keepdim"), (_MISSING, _MISSING, 2.0, 1e-6, False)
    )
    a, b = _row_major(a, "pairwise distance"), _row_major(b, "pairwise distance")
    if a.dtype != b.dtype or a.dim() != 2 or b.dim() != 2 or not isinstance(keepdim, bool):
        raise Unsupported("pairwise distance of other than matrices of one dtype")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (p, eps)):
        raise Unsupported("pairwise distance settings that are not numbers")
    shape = _broadcast(a._shape, b._shape)
    return _new((shape[0], 1) if keepdim else shape[:1], a.dtype)


# -- factories --------------------------------------------------------------------------
# A tensor made without a device lands on torch's default device, the CPU unless the user
# set another: such a tensor behaves otherwise than a meta one (meta ops refuse it), so
# factories are answered only for the meta device.


def _on_meta(device: Any) -> None:
    if device is None:
        device = torch.get_default_device()
    if isinstance(device, str):
        device = torch.device(device) if device == "meta" else None
    if not isinstance(device, torch.device) or device.type != "meta":
        raise Unsupported("a tensor made off the meta device")


def _factory_options(options: Mapping[str, Any], default: torch.dtype) -> torch.dtype:
    """Checks a factory's keyword options and gives the dtype it makes."""
    for key, value in options.items():
        if key == "layout" and value not in (None, torch.strided):
            raise Unsupported("a factory of another layout")
        if key in ("requires_grad", "pin_memory") and value not in (None, False):
            raise Unsupported(f"a factory with {key}")
        if key == "memory_format" and value not in (None, torch.contiguous_format):
            raise Unsupported("a factory in another memory format")
        if key not in ("layout", "requires_grad", "pin_memory", "memory_format", "dtype",
                       "device"):  # fmt: skip
            raise Unsupported(f"a factory with {key!r}")
    _on_meta(options.get("device"))
    dtype = options.get("dtype")
    if dtype is None:
        return default
    if not isinstance(dtype, torch.dtype) or dtype.is_complex:
        raise Unsupported("a factory dtype that is not a real dtype")
    return dtype


def _sizes(args: Sequence[Any], options: dict[str, Any]) -> Shape:
    """A factory's sizes, given as ints, one sequence, or ``size=`` (taken from options)."""
    if "size" in options:
        if args:
            raise Unsupported("sizes given twice")
        args = (options.pop("size"),)
    if not args:
        raise Unsupported("a factory without sizes")
    rest = _shape_args(args)
    if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in rest):
        raise Unsupported("sizes that are not ints")
    return tuple(rest)


def _filled(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    options = dict(kwargs)
    shape = _sizes(args, options)
    return _new(shape, _factory_options(options, torch.get_default_dtype()))


for _func in (torch.zeros, torch.ones, torch.empty):
    HANDLERS[_func] = _filled


def _scalar_dtype(value: Any) -> torch.dtype:
    """torch's dtype for a Python number: bool, int64, or the default float type."""
    if isinstance(value, bool):
        return torch.bool
    if isinstance(value, int):
        return torch.int64
    if isinstance(value, float):
        return torch.get_default_dtype()
    raise Unsupported(f"a fill value of type {type(value).__name__}")


@_register(torch.full)
def _full(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    options = dict(kwargs)
    if "fill_value" in options:
        args = (*args, options.pop("fill_value"))
    if len(args) != 2 and not (len(args) == 1 and "size" in options):
        raise Unsupported("full without a size and a value")
    shape = _sizes(args[:-1], options)
    return _new(shape, _factory_options(options, _scalar_dtype(args[-1])))


@_register(torch.arange)
def _arange(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    if not 1 <= len(args) <= 3 or any(k in kwargs for k in ("start", "end", "step")):
        raise Unsupported("arange with bounds given by keyword")
    start, end, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
    bounds = (start, end, step)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bounds):
        raise Unsupported("arange bounds that are not numbers")
    floats = any(isinstance(v, float) for v in bounds)
    dtype = _factory_options(kwargs, torch.get_default_dtype() if floats else torch.int64)
    if dtype == torch.bool or (floats and not dtype.is_floating_point):
        raise Unsupported("arange of float bounds into an integer dtype")
    if step == 0 or (step > 0 and end < start) or (step < 0 and end > start):
        raise Unsupported("arange bounds inconsistent with the step")
    if not all(math.isfinite(v) for v in bounds):
        raise Unsupported("arange with infinite bounds")
    return _new((math.ceil((end - start) / step),), dtype)


def _like_factory(fill: bool) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        options = dict(kwargs)
        names = ("input", "fill_value") if fill else ("input",)
        bound = _bind(args, {k: options.pop(k) for k in names if k in options}, names,
                      (_MISSING,) * len(names))  # fmt: skip
        x = _sym(bound[0])
        if fill:
            _scalar_dtype(bound[1])
        fmt = options.pop("memory_format", torch.preserve_format)
        if options.get("device") is None:
            options["device"] = x.device
        dtype = _factory_options(options, x.dtype)
        if fmt is torch.contiguous_format or is_contiguous(x._shape, x._stride):
            return _new(x._shape, dtype)
        # preserve_format keeps the strides of a non-overlapping, dense input as they are
        if fmt is not torch.preserve_format or _iterator_strides(x._shape, (x,)) != x._stride:
            raise Unsupported("a tensor made like one of another layout")
        return SymTensor(x._shape, dtype, x._stride)

    return handler


for _func in (torch.zeros_like, torch.ones_like, torch.empty_like):
    HANDLERS[_func] = _like_factory(fill=False)
HANDLERS[torch.full_like] = _like_factory(fill=True)


HANDLERS[F.selu] = _unary(("input", "inplace"), (_MISSING, False), inplace_at=1)
HANDLERS[F.celu] = _unary(("input", "alpha", "inplace"), (_MISSING, 1.0, False), inplace_at=2)
for _func in (F.logsigmoid, F.softsign, F.tanhshrink):
    HANDLERS[_func] = _unary(("input",), (_MISSING,))


__all__ = ["HANDLERS", "view_strides"]

# More rules live in their own modules and register into HANDLERS.
from modelmath.frontends.torch_module import symbolic_nn, symbolic_rnn  # noqa: E402, F401
