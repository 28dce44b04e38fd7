"""Element-wise operations: activations, arithmetic, dropout, softmax.

Shape rules registered into :data:`HANDLERS` (see the package docstring).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    _REAL_DTYPES,
    HANDLERS,
    Handler,
    _bind,
    _broadcast,
    _float_input,
    _new,
    _refuse_odd_contiguous,
    _register,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    contiguous_strides,
    dense_layout,
    is_contiguous,
)

# Module-level loop variables of the registrations below (functions of many types).
_func: Any
_funcs: Any
_names: Any
_defaults: Any


def _sorted_axes(ndim: int, should_swap: Callable[[int, int], int]) -> list[int]:
    """The axes from last to first, insertion-sorted as torch sorts them for a layout:
    ``should_swap(a, b) > 0`` moves b before a, ``< 0`` stops, 0 looks further back."""
    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    return perm


def _iterator_strides(shape: Shape, operands: Sequence[SymTensor]) -> Shape:
    """The strides torch's TensorIterator gives an element-wise result of ``shape``: its
    axes ordered by the operands' strides (the first operand decides, broadcast axes
    defer to the next, equal strides put the smaller axis first), then laid out densely
    in that order. Mirrors reorder_dimensions and allocate_or_resize_outputs."""
    ndim = len(shape)
    if ndim <= 1:
        return contiguous_strides(shape)
    fresh = contiguous_strides(shape)
    if 0 not in shape and all(t._shape == shape and t._stride == fresh for t in operands):
        return fresh  # the common case, row-major operands: the sort below keeps their order
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

    perm = _sorted_axes(ndim, should_swap)  # perm[0] is the fastest-moving axis
    out = [0] * ndim
    step = 1
    for axis in perm:
        out[axis] = step
        step *= shape[axis]
    return tuple(out)


def _channels_last_contiguous(shape: Shape, stride: Shape) -> bool:
    """torch._prims_common's is_channels_last_contiguous_2d (axes of size 1 skipped)."""
    if len(shape) != 4:
        return False
    expected = 1
    for d in (1, 3, 2, 0):
        if shape[d] != 1:
            if stride[d] != expected:
                return False
            expected *= shape[d]
    return True


def _reference_strides(shape: Shape, strides: Sequence[Shape]) -> Shape:
    """The strides torch's Python reference kernels give an element-wise result of
    ``shape`` from operands already broadcast to it (``strides``): row-major when all are
    contiguous and not all channels-last, channels-last in the opposite case, else the
    axes sorted by the operands' strides (the first operand decides, broadcast axes defer
    to the next, equal strides put the smaller axis first), then laid out densely.
    Mirrors compute_elementwise_output_logical_to_physical_perm."""
    ndim = len(shape)
    fresh = contiguous_strides(shape)
    if ndim <= 1 or all(st == fresh for st in strides):
        return fresh  # the common case, row-major operands: row-major (not channels-last)
    numel = 1
    for size in shape:
        numel *= size
    row_major = numel < 2 or all(is_contiguous(shape, st) for st in strides)
    last = all(_channels_last_contiguous(shape, st) for st in strides)
    if row_major and not last:
        return contiguous_strides(shape)
    if last and not row_major:
        perm = [0, *range(2, ndim), 1]
    else:

        def ge(a: int, b: int) -> bool:
            return b == 0 or (a != 0 and (a >= b or a % b == 0))

        def should_swap(a: int, b: int) -> int:
            for st in strides:
                if st[a] == 0 or st[b] == 0:
                    continue
                if st[a] == st[b]:
                    if ge(shape[b], shape[a]):
                        continue
                    return 1
                if ge(st[b], st[a]):
                    return -1
                if ge(st[a], st[b]):
                    return 1
            return 0

        order = _sorted_axes(ndim, should_swap)  # sorted back to front, then reversed
        perm = order[::-1]
    out = [0] * ndim
    step = 1
    for axis in reversed(perm):  # perm[0] is the slowest axis
        out[axis] = step
        step *= max(shape[axis], 1)
    return tuple(out)


def _expanded(t: SymTensor, shape: Shape) -> Shape:
    """``t``'s strides once torch's references broadcast it to ``shape``: as it is when its
    shape is already that, else ``expand``'s strides (0 on a broadcast axis and on every
    axis of a 0-d tensor; a new leading axis of size 1 gets the next axis' extent)."""
    if t._shape == shape:
        return t._stride
    if not t._shape:
        return (0,) * len(shape)
    out = [0] * len(shape)
    for i in range(len(shape) - 1, -1, -1):
        j = i - (len(shape) - len(t._shape))
        size = t._shape[j] if j >= 0 else 1
        stride = t._stride[j] if j >= 0 else shape[i + 1] * out[i + 1]
        out[i] = 0 if size != shape[i] else stride
    return tuple(out)


def _reference_layout(shape: Shape, tensors: Sequence[SymTensor]) -> Shape:
    """The strides of an element-wise result of ``shape`` made by torch's reference
    kernels (add, mul, comparisons, where, ... on meta) from ``tensors``: each expanded to
    the shape first (a 0-d tensor too; Python numbers take no part: torch passes them as
    CPU scalars, which the references leave out). Half-precision operands, which the
    references compute in float32, with axes of size 1 of odd strides come out otherwise:
    refused (fuzzed against torch on meta)."""
    if any(t.dtype in _HALF for t in tensors) and any(map(_odd, tensors)):
        raise Unsupported("a half-precision element-wise op on axes of size 1 with odd strides")
    return _reference_strides(shape, [_expanded(t, shape) for t in tensors])


def _like(x: SymTensor, dtype: torch.dtype | None = None) -> SymTensor:
    """An element-wise result of ``x`` alone, laid out as torch lays it. Some kernels keep
    a dense input's strides exactly (``empty_like``), others lay the result out anew in
    the input's axis order (TensorIterator); where the two differ (odd strides on axes of
    size 1, gaps) the layout depends on the kernel, so the case is refused."""
    if _odd(x) or _iterator_strides(x._shape, (x,)) != x._stride:
        raise Unsupported("an element-wise op on a layout whose result depends on the kernel")
    return SymTensor(x._shape, dtype or x.dtype, x._stride)


def _odd(x: SymTensor) -> bool:
    """``x`` has axes of size 1 (or broadcast ones) and is not laid out as a fresh result
    of it would be: kernels lay such axes out each their own way (activations on 52,938
    fuzzed layouts gave torch's strides every time once these were refused; before, one
    answer in nine on such layouts was wrong)."""
    shape, stride = x._shape, x._stride
    if stride == contiguous_strides(shape) or (1 not in shape and 0 not in stride):
        return False  # the common cases, first: row-major, or no such axis
    return _reference_strides(shape, (stride,)) != stride


def _activation_like(x: SymTensor, *, clamps: bool = False) -> SymTensor:
    """An activation's (or dropout's) result: as :func:`_like` says where it answers; a
    gapped or permuted input it refuses is laid out by torch's kernels, whichever runs, as
    :func:`_reference_strides` says when the input has no axis of size 1 and none
    broadcast (checked against torch over random layouts; with such axes they differ).
    A dense input whose axes of size 1 have strides a fresh result would not have
    (SegFormer's (2, 1, 1024) of strides (1024, 1, 1)) is laid out as
    :func:`_reference_strides` says too (torch's layout on all of 5,543 fuzzed ones),
    except by the kernels that clamp (``clamps``: relu, relu6, hardtanh, hardshrink),
    whose layout of such inputs varies: refused, as are such inputs with gaps."""
    shape, stride = x._shape, x._stride
    if _odd(x):
        if clamps or not dense_layout(shape, stride):
            raise Unsupported("an element-wise op on a layout whose result depends on the kernel")
        return SymTensor(shape, x.dtype, _reference_strides(shape, (stride,)))
    if _iterator_strides(shape, (x,)) == stride:  # as _like answers (x is not _odd)
        return SymTensor(shape, x.dtype, stride)
    if 1 in shape or 0 in stride:
        raise Unsupported("an element-wise op on a layout whose result depends on the kernel")
    return SymTensor(shape, x.dtype, _reference_strides(shape, (stride,)))


def _iter_like(x: SymTensor, dtype: torch.dtype | None = None) -> SymTensor:
    """The result of a unary kernel (neg, exp, pow by a number, ...) of ``x``: on meta
    torch runs its Python reference, laid out as :func:`_reference_strides` says (checked
    against torch over random layouts, size-1 axes with odd strides and slices included;
    in half precision, which the references compute in float32, those are refused)."""
    dtype = dtype or x.dtype
    if dtype in _HALF and _odd(x):
        raise Unsupported("a half-precision element-wise op on axes of size 1 with odd strides")
    return SymTensor(x._shape, dtype, _reference_strides(x._shape, (x._stride,)))


_HALF = (torch.float16, torch.bfloat16)


def _unary(
    names: Sequence[str],
    defaults: Sequence[Any],
    inplace_at: int | None = None,
    *,
    reference: bool = False,
    clamps: bool = False,
) -> Handler:
    """An activation of one float tensor, laid out as :func:`_activation_like` says (its
    ``clamps``); ``reference``: one whose meta kernel is torch's Python reference (SiLU,
    sigmoid), which lays out any input as :func:`_reference_strides` says (checked
    against torch over random layouts: other activations' kernels differ on some, so only
    these two take it)."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, names, defaults)
        x = _float_input(bound[0])
        for v in bound[1:]:
            if not isinstance(v, (bool, int, float, str)):
                raise Unsupported("a non-scalar setting")
        if inplace_at is not None and bound[inplace_at]:
            return x
        if reference:
            return SymTensor(x._shape, x.dtype, _reference_strides(x._shape, (x._stride,)))
        return _activation_like(x, clamps=clamps)

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
# The activations whose kernels clamp (see _activation_like).
_CLAMPS = (F.relu, F.relu6, F.hardtanh, torch.relu, torch.Tensor.relu)
for _func, _names, _defaults in _INPLACE_UNARY:
    HANDLERS[_func] = _unary(
        _names, _defaults, len(_names) - 1, reference=_func is F.silu, clamps=_func in _CLAMPS
    )
for _func in (torch.relu, torch.tanh, F.tanh, torch.Tensor.relu, torch.Tensor.tanh):
    HANDLERS[_func] = _unary(("input",), (_MISSING,), clamps=_func in _CLAMPS)
for _func in (torch.sigmoid, F.sigmoid, torch.Tensor.sigmoid):
    HANDLERS[_func] = _unary(("input",), (_MISSING,), reference=True)


@_register(torch.relu_, torch.Tensor.relu_)
def _relu_inplace(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    return _float_input(x)


HANDLERS[F.gelu] = _unary(("input", "approximate"), (_MISSING, "none"))
HANDLERS[F.softplus] = _unary(("input", "beta", "threshold"), (_MISSING, 1.0, 20.0))


def _dropout_rule(training_default: bool) -> Handler:
    """F.dropout (training by default) and F.alpha_dropout, F.feature_alpha_dropout
    (not): the input itself when nothing is dropped or in place, else a tensor like it."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, p, training, inplace = _bind(
            args, kwargs, ("input", "p", "training", "inplace"),
            (_MISSING, 0.5, training_default, False),
        )  # fmt: skip
        if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0 or not isinstance(training, bool):
            raise Unsupported("a dropout probability outside [0, 1]")
        x = _float_input(x)
        # torch returns the input itself when there is nothing to drop
        return x if inplace or not training or p == 0 else _activation_like(x)

    return handler


HANDLERS[F.dropout] = _dropout_rule(training_default=True)
HANDLERS[F.alpha_dropout] = HANDLERS[F.feature_alpha_dropout] = _dropout_rule(False)


def _channel_dropout_rule(batched_rank: int, adds_batch_axis: bool) -> Handler:
    """F.dropout1d/2d/3d out of training: the input itself for a batched input
    (``batched_rank`` dimensions) or one with no batch axis; dropout1d and dropout3d add
    that axis and take it off again (``unsqueeze(0)``, then ``squeeze(0)``: a new view of
    the same layout, or the input itself in place). Training (random channels zeroed) is
    refused, and so are ranks torch refuses or warns about."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, p, training, inplace = _bind(
            args, kwargs, ("input", "p", "training", "inplace"), (_MISSING, 0.5, True, False)
        )
        x = _float_input(x)
        if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0 or training is not False:
            raise Unsupported("channel dropout in training, or a probability outside [0, 1]")
        rank = len(x._shape)
        if rank not in (batched_rank, batched_rank - 1) or not isinstance(inplace, bool):
            raise Unsupported("channel dropout of an input of another rank")
        if rank == batched_rank or not adds_batch_axis or inplace:
            return x
        return SymTensor(x._shape, x.dtype, x._stride, x.requires_grad)

    return handler


HANDLERS[F.dropout1d] = _channel_dropout_rule(3, adds_batch_axis=True)
HANDLERS[F.dropout2d] = _channel_dropout_rule(4, adds_batch_axis=False)
HANDLERS[F.dropout3d] = _channel_dropout_rule(5, adds_batch_axis=True)


def _softmax(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim, _level, dtype = _bind(
        args, kwargs, ("input", "dim", "_stacklevel", "dtype"), (_MISSING, None, 3, None)
    )
    x = _refuse_odd_contiguous(_float_input(x), "softmax")
    if dim is None or (dtype is not None and not isinstance(dtype, torch.dtype)):
        raise Unsupported("softmax without dim")
    _wrap(dim, x.dim())
    return _new(x._shape, dtype or x.dtype)  # torch makes the input contiguous first


HANDLERS[F.softmax] = HANDLERS[F.log_softmax] = _softmax


@_register(torch.Tensor.softmax, torch.Tensor.log_softmax, torch.softmax, torch.log_softmax)
def _softmax_method(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim, dtype = _bind(args, kwargs, ("input", "dim", "dtype"), (_MISSING, _MISSING, None))
    x = _refuse_odd_contiguous(_float_input(x), "softmax")
    if dtype is not None and not isinstance(dtype, torch.dtype):
        raise Unsupported("softmax to a dtype given otherwise")
    _wrap(dim, x.dim())
    return _new(x._shape, dtype or x.dtype)


# torch.promote_types of every pair of the bool, integer and real dtypes, asked of torch
# once, at import (inside a trace, its function mode would take the call)
_PROMOTE = {(a, b): torch.promote_types(a, b) for a in _REAL_DTYPES for b in _REAL_DTYPES}


def _category(dtype: torch.dtype) -> int:
    """torch's dtype categories, lowest first: bool, integers, floating point."""
    return 0 if dtype == torch.bool else 2 if dtype.is_floating_point else 1


def _promoted(a: SymTensor, b: SymTensor) -> torch.dtype:
    """torch.result_type of two tensors of different bool, integer or real dtypes: the
    promoted type when both have axes or neither has; else the one with axes decides,
    unless the 0-d one is of a higher category (bool, integer, floating point), whose dtype
    is then the result. Complex operands are refused. (A true division of integers makes
    a float instead: see :func:`_division`.)"""
    if (a.dtype, b.dtype) not in _PROMOTE:
        raise Unsupported("an element-wise op on tensors of different dtypes")
    if (a.dim() == 0) == (b.dim() == 0):
        dtype = _PROMOTE[a.dtype, b.dtype]
    else:
        dimensioned, zero_d = (b, a) if a.dim() == 0 else (a, b)
        higher = _category(zero_d.dtype) > _category(dimensioned.dtype)
        dtype = zero_d.dtype if higher else dimensioned.dtype
    return dtype


def _result_dtype(operands: Sequence[Any]) -> torch.dtype:
    """torch's type promotion for tensors of one dtype and Python numbers, or for two
    tensors of different dtypes (:func:`_promoted`)."""
    tensors = [o for o in operands if isinstance(o, SymTensor)]
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) != 1:
        if len(tensors) != 2 or len(operands) != 2:
            raise Unsupported("an element-wise op on tensors of different dtypes")
        return _promoted(tensors[0], tensors[1])
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
            if not (dtype.is_floating_point or dtype.is_complex):
                raise Unsupported("an integer tensor with a float")
        else:
            raise Unsupported(f"an operand of type {type(o).__name__}")
    return dtype


def _converted_operand(t: SymTensor, dtype: torch.dtype) -> SymTensor:
    """An operand of another dtype as torch's references convert it first: a tensor laid
    out as an element-wise result of it alone. Where that moves strides of axes of size 1,
    the result's layout is ambiguous (measured against torch), so the case is refused."""
    strides = _reference_strides(t._shape, [t._stride])
    if strides != t._stride and 1 in t._shape:
        raise Unsupported("an element-wise op converting a tensor with odd strides on axes of 1")
    return SymTensor(t._shape, dtype, strides)


def _elementwise(operands: Sequence[Any], dtype: torch.dtype | None = None) -> SymTensor:
    """The result of an element-wise op on ``operands``: their promoted dtype (or
    ``dtype``, the op's own), each tensor of another dtype converted first."""
    tensors = [o for o in operands if isinstance(o, SymTensor)]
    promoted = _result_dtype(operands)  # also checks the operands when the op sets the dtype
    dtype = promoted if dtype is None else dtype
    shape: Shape = ()
    for t in tensors:
        shape = _broadcast(shape, t._shape)
    # on meta these run torch's Python references, not TensorIterator: laid out as they
    # are (in half precision they compute in float32, and inputs with axes of size 1 of
    # odd strides then come out otherwise: refused)
    if dtype in _HALF and any(map(_odd, tensors)):
        raise Unsupported("a half-precision element-wise op on axes of size 1 with odd strides")
    return SymTensor(shape, dtype, _reference_layout(shape, _all_converted(tensors, dtype)))


def _all_converted(tensors: list[SymTensor], dtype: torch.dtype) -> list[SymTensor]:
    """``tensors`` as a reference kernel computing in ``dtype`` sees them: each of another
    dtype converted first (see :func:`_converted_operand`)."""
    if all(t.dtype == dtype for t in tensors):
        return tensors
    return [t if t.dtype == dtype else _converted_operand(t, dtype) for t in tensors]


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


@_register(torch.Tensor.__rsub__)
def _rsub(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``other - x``: torch's rsub(x, other), which its reference runs as sub(other, x)
    (the other operand leads the layout)."""
    x, other = _bind(args, kwargs, *_MUL)
    return _elementwise((other, x))


@_register(torch.Tensor.__rtruediv__)
def _rtruediv(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``other / x`` for a number ``other``: torch's ``x.reciprocal() * other``, of a
    floating-point ``x``, in its dtype, laid out as its unary ops lay it."""
    x, other = _bind(args, kwargs, *_MUL)
    x = _float_input(x)
    if type(other) not in (int, float):
        raise Unsupported("a division of something else than a number by a tensor")
    # each step by its own rule (as one unary op, some inputs with axes of size 1 came out
    # wrong: the layout fuzz)
    return HANDLERS[torch.mul]((HANDLERS[torch.reciprocal]((x,), {}, aten), other), {}, aten)


def _division(*, inplace: bool) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        a, b, mode = _bind(args, kwargs, *_DIV)
        if mode is not None and mode not in ("floor", "trunc"):
            raise Unsupported(f"division with rounding_mode={mode!r}")
        out = _elementwise((a, b))
        if mode is None and not out.dtype.is_floating_point:
            # true division of integers (Ministral 3's positions): a float of the default
            # dtype, the integer operands converted to it first
            if inplace or out.dtype == torch.bool:
                raise Unsupported("true division of bools, or in place into integers")
            out = _elementwise((a, b), torch.get_default_dtype())
        by_zero = not out.dtype.is_floating_point and type(b) is int and b == 0
        if mode is not None and (out.dtype == torch.bool or by_zero):
            # torch refuses rounded division of bools, and of integers by a zero number
            raise Unsupported("a rounded division of bools, or of integers by zero")
        if mode is not None:
            # Its references run several element-wise steps, whose layouts (measured against
            # torch) follow no one operand, and differ on odd strides of axes of size 1:
            # followed for operands laid out exactly row-major only.
            if any(
                t._stride != contiguous_strides(t._shape) for t in (a, b) if type(t) is SymTensor
            ):
                raise Unsupported("a rounded division of a tensor that is not row-major")
            out = _new(out._shape, out.dtype)
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
    return _iter_like(x)


HANDLERS[F.selu] = _unary(("input", "inplace"), (_MISSING, False), inplace_at=1)
HANDLERS[F.celu] = _unary(("input", "alpha", "inplace"), (_MISSING, 1.0, False), inplace_at=2)
for _func in (F.softsign, F.tanhshrink):
    HANDLERS[_func] = _unary(("input",), (_MISSING,))


@_register(F.logsigmoid)
def _logsigmoid(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.logsigmoid: on meta torch runs its decomposition (log_sigmoid_forward),
    ``minimum(0, x) - log1p(exp(-abs(x)))``, here each step by its own rule; half
    precision is computed in float32, converted there and back as a unary kernel lays a
    result out (pw_cast_for_opmath). torch's layout on all of 40,000 fuzzed layouts of
    the four float dtypes, axes of size 1 with odd strides included (xLSTM's gates)."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _float_input(x)
    half = x.dtype in _HALF
    if not half and x.dtype not in (torch.float32, torch.float64):
        raise Unsupported(f"logsigmoid of {x.dtype}")
    y = _iter_like(x, torch.float32) if half else x
    zero = HANDLERS[torch.Tensor.new_zeros]((y, ()), {}, aten)
    low = HANDLERS[torch.minimum]((zero, y), {}, aten)
    magnitude = HANDLERS[torch.Tensor.__neg__]((HANDLERS[torch.abs]((y,), {}, aten),), {}, aten)
    tail = HANDLERS[torch.log1p]((HANDLERS[torch.exp]((magnitude,), {}, aten),), {}, aten)
    out = HANDLERS[torch.sub]((low, tail), {}, aten)
    return _iter_like(out, x.dtype) if half else out
