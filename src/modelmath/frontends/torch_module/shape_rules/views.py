"""Views and shape changes: view, reshape, flatten, permute, cat, split, reductions.

Shape rules registered into :data:`HANDLERS` (see the package docstring).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    _channels_last,
    _channels_last_strides,
    _float_input,
    _new,
    _prod,
    _register,
    _size_one_axes_row_major,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.symbolic import (
    _FLOAT_TYPES,
    Shape,
    SymTensor,
    Unsupported,
    contiguous_strides,
    is_contiguous,
    view_of,
)


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
    return view_of(x, shape, strides)


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
    return view_of(x, tuple(x._shape[d] for d in order), tuple(x._stride[d] for d in order))


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
    return view_of(x, shape, stride)


@_register(torch.Tensor.unsqueeze, torch.unsqueeze)
def _unsqueeze(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, _MISSING))
    x = _sym(x)
    dim = _wrap(dim, x.dim() + 1)
    new_stride = 1 if dim >= x.dim() else x._shape[dim] * x._stride[dim]
    return view_of(
        x, (*x._shape[:dim], 1, *x._shape[dim:]), (*x._stride[:dim], new_stride, *x._stride[dim:])
    )


@_register(torch.Tensor.unfold)
def _unfold(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``x.unfold(dimension, size, step)``: a view of every window of ``size`` along the
    axis, ``step`` apart; the windows' elements on a new last axis (PatchTSMixer's patches)."""
    names = ("input", "dimension", "size", "step")
    x, dim, size, step = _bind(args, kwargs, names, (_MISSING,) * 4)
    x = _sym(x)
    if not all(type(v) is int for v in (dim, size, step)) or step < 1 or size < 0:
        raise Unsupported("unfold with a size or step that is not a positive int")
    if x.dim() == 0:
        if size > 1:
            raise Unsupported("unfold of a 0-d tensor by more than one element")
        return view_of(x, (size,), (1,))
    dim = _wrap(dim, x.dim())
    if size > x._shape[dim]:
        raise Unsupported("unfold by windows larger than the axis")
    shape, stride = list(x._shape), list(x._stride)
    shape[dim] = (x._shape[dim] - size) // step + 1
    stride[dim] = x._stride[dim] * step
    return view_of(x, (*shape, size), (*stride, x._stride[dim]))


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
    return view_of(x, shape, stride)


def _to_shape_of(inner: Handler) -> Handler:
    """x.view_as(other), reshape_as, expand_as: ``inner`` (view, reshape or expand) to
    other's shape, as torch defines each."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, other = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
        return inner((_sym(x), *_sym(other)._shape), {}, aten)

    return handler


HANDLERS[torch.Tensor.view_as] = _to_shape_of(_view)
HANDLERS[torch.Tensor.reshape_as] = _to_shape_of(_reshape)
HANDLERS[torch.Tensor.expand_as] = _to_shape_of(_expand)


@_register(torch.t, torch.Tensor.t)
def _t(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.t: a matrix transposed; a vector or a 0-d tensor as a new view of itself."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if x.dim() > 2:
        raise Unsupported("t of a tensor of more than 2 dimensions")  # torch raises
    if x.dim() < 2:
        return view_of(x, x._shape, x._stride)
    return view_of(x, x._shape[::-1], x._stride[::-1])


def _joined(tensors: Any, skip_empty: bool = False) -> tuple[list[SymTensor], bool]:
    """The tensors to join, of one dtype and rank, and whether torch lays the result out
    channels-last. With ``skip_empty`` (cat), 1-d empty tensors are left out, as torch.cat
    leaves them out (a legacy rule that caches built from ``torch.tensor([])`` rely on)."""
    if not isinstance(tensors, (tuple, list)) or not tensors:
        raise Unsupported("cat of no tensors")
    every = [_sym(t) for t in tensors]
    out = [t for t in every if not (skip_empty and t._shape == (0,))]
    if not out or len({t.dtype for t in every}) != 1 or len({t.dim() for t in out}) != 1:
        raise Unsupported("cat of tensors of different dtypes or ranks")
    return out, _joined_channels_last(every)


def _joined_channels_last(tensors: Sequence[SymTensor]) -> bool:
    """torch's cat_compute_output_memory_format: the result is channels-last when every
    input (the empty ones left out of the join included) suggests channels-last, else
    row-major."""
    return all(_channels_last(t._shape, t._stride) for t in tensors)


def _cat_of(parts: list[SymTensor], dim: int, channels_last: bool) -> SymTensor:
    """torch.cat of ``parts`` (one dtype and rank) along ``dim``, laid out as torch lays it."""
    first = parts[0]._shape
    for p in parts[1:]:
        if p._shape[:dim] != first[:dim] or p._shape[dim + 1 :] != first[dim + 1 :]:
            raise Unsupported("cat of tensors whose other sizes differ")
    shape = (*first[:dim], sum(p._shape[dim] for p in parts), *first[dim + 1 :])
    if channels_last:
        return SymTensor(shape, parts[0].dtype, _channels_last_strides(shape))
    return _new(shape, parts[0].dtype)


def _numpy_axis(kwargs: Mapping[str, Any]) -> Mapping[str, Any]:
    """``axis=`` given for ``dim=``, which torch's argument parser takes as NumPy's name
    (Funnel's ``torch.cat(..., axis=axis)``)."""
    if "axis" not in kwargs or "dim" in kwargs:
        return kwargs
    return {("dim" if k == "axis" else k): v for k, v in kwargs.items()}


@_register(torch.cat, torch.concat, torch.concatenate)
def _cat(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    tensors, dim = _bind(args, _numpy_axis(kwargs), ("tensors", "dim"), (_MISSING, 0))
    parts, channels_last = _joined(tensors, skip_empty=True)
    if parts[0].dim() == 0:
        raise Unsupported("cat of 0-d tensors")
    return _cat_of(parts, _wrap(dim, parts[0].dim()), channels_last)


@_register(torch.stack)
def _stack(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.stack as ATen runs it: along an existing axis, a cat along it viewed with the
    new axis split off; after the last axis, a cat of the tensors each given a last axis
    of 1 (which may then look channels-last)."""
    tensors, dim = _bind(args, _numpy_axis(kwargs), ("tensors", "dim"), (_MISSING, 0))
    parts, channels_last = _joined(tensors)
    if len({p._shape for p in parts}) != 1:
        raise Unsupported("stack of tensors of different shapes")
    shape = parts[0]._shape
    dim = _wrap(dim, len(shape) + 1)
    stacked = (*shape[:dim], len(parts), *shape[dim:])
    if dim < len(shape):
        joined = _cat_of(parts, dim, channels_last)
        strides = view_strides(joined._shape, joined._stride, stacked)
        if strides is None:  # torch's view always splits an axis: never reached
            raise Unsupported("stack of a layout that cannot be viewed")
        return SymTensor(stacked, joined.dtype, strides)
    unsqueezed = [SymTensor((*p._shape, 1), p.dtype, (*p._stride, 1)) for p in parts]
    return _cat_of(unsqueezed, dim, _joined_channels_last(unsqueezed))


def _pieces(x: SymTensor, dim: int, sizes: Sequence[int]) -> tuple[SymTensor, ...]:
    out = []
    for s in sizes:
        shape = list(x._shape)
        shape[dim] = s
        out.append(view_of(x, shape, x._stride))
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


def _reduced(x: SymTensor, dim: Any, keepdim: Any) -> tuple[SymTensor, set[int]]:
    """A fresh row-major tensor of ``x``'s dtype, ``dim`` (an int or ints, or None: all
    axes) reduced away, or kept as 1 with ``keepdim``; and the axes reduced."""
    if not isinstance(keepdim, bool):
        raise Unsupported("a reduction's keepdim that is not a bool")
    if dim is None:
        return _new((1,) * x.dim() if keepdim else (), x.dtype), set(range(x.dim()))
    if isinstance(dim, int) and not isinstance(dim, bool):
        dims = {_wrap(dim, x.dim())}
    elif isinstance(dim, (tuple, list)) and dim:
        dims = {_wrap(d, x.dim()) for d in dim}
        if len(dims) != len(dim):
            raise Unsupported("a reduction over an axis named twice")
    else:
        raise Unsupported(f"a reduction over dim={dim!r}")
    shape = (
        [1 if i in dims else s for i, s in enumerate(x._shape)]
        if keepdim
        else [s for i, s in enumerate(x._shape) if i not in dims]
    )
    return _new(shape, x.dtype), dims


def _reduced_dtype(x: SymTensor, dtype: Any, *, mean: bool) -> torch.dtype:
    """The dtype of a sum, prod or mean of ``x``: the ``dtype`` asked for (a floating
    one for a mean), else ``x``'s, bools and integers summed as int64 (as torch sums
    them; a mean of them torch refuses)."""
    if x.dtype not in _REAL_DTYPES or (dtype is not None and dtype not in _REAL_DTYPES):
        raise Unsupported("a reduction of a complex tensor, or to another kind of dtype")
    if dtype is not None:
        if mean and not dtype.is_floating_point:
            raise Unsupported("a mean into a dtype that is not floating point")
        return dtype  # type: ignore[no-any-return]
    if x.dtype.is_floating_point:
        return x.dtype
    if mean:
        raise Unsupported("a mean of a bool or integer tensor")
    return torch.int64


def _reduction(names: Sequence[str], *, mean: bool) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        kwargs = _numpy_axis(kwargs)  # ImageGPT's torch.mean(x, axis=-1)
        x, dim, keepdim, dtype = _bind(args, kwargs, names, (_MISSING, None, False, None))
        x = _sym(x)
        out_dtype = _reduced_dtype(x, dtype, mean=mean)
        if not isinstance(keepdim, bool):
            raise Unsupported("a reduction's keepdim that is not a bool")
        if dim is None or dim == () or dim == []:
            if keepdim or dim is not None:
                raise Unsupported("a full reduction with keepdim")
            return _new((), out_dtype)
        return _new(_reduced(x, dim, keepdim)[0]._shape, out_dtype)

    return handler


_REDUCTION_NAMES = ("input", "dim", "keepdim", "dtype")
HANDLERS[torch.mean] = HANDLERS[torch.Tensor.mean] = _reduction(_REDUCTION_NAMES, mean=True)
HANDLERS[torch.sum] = HANDLERS[torch.Tensor.sum] = _reduction(_REDUCTION_NAMES, mean=False)


_PROD = _reduction(_REDUCTION_NAMES, mean=False)


@_register(torch.var, torch.Tensor.var, torch.std, torch.Tensor.std)
def _var_or_std(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.var/std of a float tensor (xLSTM's ``x.var(dim=-1, keepdim=True,
    unbiased=False)``): over all elements, or ``dim`` reduced away (kept as 1 with
    ``keepdim``), a fresh row-major tensor of the input's dtype. Its overloads: ``(input,
    unbiased)``, ``(input, dim, unbiased, keepdim)`` and ``(input, dim, *, correction,
    keepdim)``; an integer or complex input, and both ``unbiased`` and ``correction``
    given, are refused (torch raises for the first and last)."""
    if len(args) > 1 and type(args[1]) is bool:  # (input, unbiased)
        if len(args) > 2 or set(kwargs) - {"unbiased"}:
            raise Unsupported("var/std(input, unbiased) with more arguments")
        x, dim, keepdim, unbiased, correction = args[0], None, False, args[1], None
    else:
        x, dim, unbiased, keepdim, correction = _bind(
            args, kwargs, ("input", "dim", "unbiased", "keepdim", "correction"),
            (_MISSING, None, None, False, None),
        )  # fmt: skip
    x = _sym(x)
    if x.dtype not in _FLOAT_TYPES:
        raise Unsupported("var/std of a tensor that is not floating point")
    if unbiased is not None and correction is not None:
        raise Unsupported("var/std with both unbiased and correction")
    if unbiased is not None and type(unbiased) is not bool:
        raise Unsupported("var/std's unbiased that is not a bool")
    if correction is not None and type(correction) not in (int, float):
        raise Unsupported("var/std's correction that is not a number")
    if dim == () or dim == []:
        raise Unsupported("var/std over no axes")
    return _new(_reduced(x, dim, keepdim)[0]._shape, x.dtype)



@_register(torch.all, torch.Tensor.all, torch.any, torch.Tensor.any)
def _all_any(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.all/any(input, dim=None, keepdim=False): a bool tensor, ``dim`` reduced away
    (or kept as 1), over all elements without it (RT-DETR's valid anchors). A uint8 input
    (whose result is uint8) and complex ones are refused."""
    x, dim, keepdim = _bind(args, _numpy_axis(kwargs), ("input", "dim", "keepdim"),
                            (_MISSING, None, False))  # fmt: skip
    x = _sym(x)
    if x.dtype == torch.uint8 or x.dtype.is_complex:
        raise Unsupported("all/any of a uint8 or complex tensor")
    if dim is None:
        if keepdim is not False:
            raise Unsupported("all/any over every element with keepdim")
        return _new((), torch.bool)
    return _new(_reduced(x, dim, keepdim)[0]._shape, torch.bool)


@_register(torch.prod, torch.Tensor.prod)
def _prod_of(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.prod(input, dim=None, keepdim=False, dtype=None), over all elements or one
    axis (an int: torch takes no other), in sum's dtype (bools and integers into int64):
    sum's reduction, once the axis is checked to be one."""
    kwargs = _numpy_axis(kwargs)
    dim = args[1] if len(args) > 1 else kwargs.get("dim")
    if dim is not None and type(dim) is not int:
        raise Unsupported("prod over more than one axis")
    return _PROD(args, kwargs, aten)


def _nonempty(reduced: tuple[SymTensor, set[int]], x: SymTensor) -> SymTensor:
    """A reduction's result, refused over an empty axis (where torch answers some orders
    of norm and refuses others: not followed)."""
    out, dims = reduced
    if any(x._shape[d] == 0 for d in dims):
        raise Unsupported("a reduction over an empty axis")
    return out


@_register(torch.linalg.vector_norm)
def _vector_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None): the
    norm over ``dim`` (all axes when None), of a floating-point input, in its dtype."""
    x, order, dim, keepdim, dtype = _bind(
        args, kwargs, ("x", "ord", "dim", "keepdim", "dtype"), (_MISSING, 2, None, False, None)
    )
    x = _float_input(x)
    if dtype is not None or type(order) not in (int, float):
        raise Unsupported("a vector norm with a dtype, or of an order that is not a number")
    if x.dim() == 0:
        raise Unsupported("a vector norm of a 0-d tensor")
    # Axes of size 1 the result keeps (by keepdim, or its own) follow no rule the layout
    # fuzz found when the input is not laid out row-major (a half (1, 4, 1, 1) of strides
    # (4, 1, 4, 4), normed over its first axis, came out (1, 4, 4), not (1, 1, 1))
    _size_one_axes_row_major(x, "a vector norm")
    return _norm_result(x, dim, keepdim)


def _norm_result(x: SymTensor, dim: Any, keepdim: Any) -> SymTensor:
    """A vector norm's result over ``dim``: a fresh row-major tensor. The layout fuzz
    found torch's otherwise for some inputs with axes of size 1 kept by ``keepdim``, which
    :func:`_vector_norm` therefore refuses; F.normalize takes this result unchecked, since
    its division lays its own result out anew (exact on all of 20,000 fuzzed layouts)."""
    return _nonempty(_reduced(x, dim, keepdim), x)


@_register(torch.meshgrid)
def _meshgrid(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.meshgrid(*tensors, indexing="ij"|"xy"): each 0-d or 1-d input viewed along its
    own axis and expanded to the grid (views, as ATen makes them); with "xy", the first
    two inputs' axes swapped (coordinates of a detection model's anchors)."""
    if set(kwargs) - {"indexing"}:
        raise Unsupported("meshgrid with other keywords")
    indexing = kwargs.get("indexing")
    # (a type test by type(): isinstance would ask a SymTensor its class, which it refuses)
    tensors = list(args[0]) if len(args) == 1 and type(args[0]) in (list, tuple) else list(args)
    if indexing not in (None, "ij", "xy") or not tensors:
        raise Unsupported("meshgrid with another indexing, or of no tensor")
    syms = [_sym(t) for t in tensors]
    if any(t.dim() > 1 for t in syms) or len({t.dtype for t in syms}) != 1:
        raise Unsupported("meshgrid of tensors of more than one axis, or of dtypes apart")
    swap = indexing == "xy" and len(syms) >= 2
    if swap:
        syms[0], syms[1] = syms[1], syms[0]
    shape = [t.numel() for t in syms]
    grids = []
    for i, t in enumerate(syms):
        view = [1] * len(syms)
        view[i] = -1
        grids.append(_expand((_view((t, *view), {}, aten), *shape), {}, aten))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


@_register(torch.outer, torch.Tensor.outer, torch.ger, torch.Tensor.ger)
def _outer(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.outer(a, b) of two vectors of one dtype: ATen's ``a.reshape(-1, 1) * b``, an
    element-wise product (no contraction), laid out as that product is."""
    a, b = _bind(args, kwargs, ("input", "vec2"), (_MISSING, _MISSING))
    a, b = _sym(a), _sym(b)
    if a.dim() != 1 or b.dim() != 1 or a.dtype != b.dtype:
        raise Unsupported("outer of tensors that are not vectors of one dtype")
    column = _reshape_to(a, (a._shape[0], 1), copy_if_needed=True)
    return HANDLERS[torch.mul]((column, b), {}, aten)


@_register(torch.norm, torch.Tensor.norm)
def _norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.norm(input, p="fro", dim=None, keepdim=False, dtype=None): torch hands a
    number p, and "fro" over at most two axes, to vector_norm (CLIP's embeddings divided
    by their norms); other orders (the nuclear norm) are refused."""
    names = ("input", "p", "dim", "keepdim", "dtype")
    x, p, dim, keepdim, dtype = _bind(args, kwargs, names, (_MISSING, "fro", None, False, None))
    if p == "fro" and type(p) is str and (dim is None or type(dim) is int or len(dim) <= 2):
        p = 2
    elif p is None:
        p = 2.0
    dim = [dim] if type(dim) is int else dim
    return _vector_norm((x, p, dim, keepdim), {"dtype": dtype}, aten)


@_register(torch.linalg.norm)
def _linalg_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.linalg.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None) where it is
    a vector norm or the Frobenius norm: no order (the 2-norm of the flattened input, of
    an axis, or Frobenius over two), or a number over one axis (or a vector input)."""
    x, order, dim, keepdim, dtype = _bind(
        args, kwargs, ("A", "ord", "dim", "keepdim", "dtype"), (_MISSING, None, None, False, None)
    )
    x = _sym(x)
    one_axis = type(dim) is int or (isinstance(dim, (tuple, list)) and len(dim) == 1)
    if order is None:  # the 2-norm, of the flattened input when no dim is named
        if not (dim is None or one_axis or (isinstance(dim, (tuple, list)) and len(dim) == 2)):
            raise Unsupported("linalg.norm over more than two axes")
        order = 2
    elif type(order) in (int, float) and (one_axis or (dim is None and x.dim() == 1)):
        pass
    else:
        raise Unsupported("a matrix norm other than Frobenius")
    return _vector_norm((x, order, dim, keepdim), {"dtype": dtype}, aten)


@_register(torch.logsumexp, torch.Tensor.logsumexp)
def _logsumexp(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.logsumexp(input, dim, keepdim=False): over ``dim``, of a floating-point input,
    in its dtype."""
    x, dim, keepdim = _bind(args, kwargs, ("input", "dim", "keepdim"), (_MISSING, _MISSING, False))
    x = _float_input(x)
    if dim is None or x.dim() == 0:
        raise Unsupported("logsumexp of a 0-d tensor or over no axis")
    return _nonempty(_reduced(x, dim, keepdim), x)


@_register(torch.cumsum, torch.Tensor.cumsum)
def _cumsum(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.cumsum(input, dim, dtype=None): running sums along ``dim``, a fresh row-major
    tensor of the input's shape (whatever its layout: the meta kernel asks no strides);
    an integer or bool input sums in int64 unless a dtype is given."""
    x, dim, dtype = _bind(args, kwargs, ("input", "dim", "dtype"), (_MISSING, _MISSING, None))
    x = _sym(x)
    if dtype is not None and (not isinstance(dtype, torch.dtype) or dtype.is_complex):
        raise Unsupported("cumsum to a dtype that is not a real dtype")
    if x.dtype.is_complex:
        raise Unsupported("cumsum of a complex tensor")
    _wrap(dim, x.dim())
    if dtype is None:
        dtype = x.dtype if x.dtype.is_floating_point else torch.int64
    return _new(x._shape, dtype)


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


# -- repetition -------------------------------------------------------------------------


def _counts(values: Sequence[Any], what: str) -> tuple[int, ...]:
    """Repeat counts given as ints or one sequence of ints, each at least 1 (a count of 0
    makes an empty tensor, whose layout is not followed here)."""
    counts = tuple(_shape_args(values))
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in counts):
        raise Unsupported(f"{what} counts that are not positive ints")
    return counts


def _repeated(x: SymTensor, counts: tuple[int, ...]) -> SymTensor:
    """``x`` repeated ``counts`` times per axis (as many counts as axes at least; extra
    counts make new leading axes): a fresh row-major tensor, as torch makes it on meta
    whatever the input's layout."""
    if len(counts) < x.dim():
        raise Unsupported("fewer repeat counts than dimensions")  # torch raises
    if 0 in x._shape:
        raise Unsupported("repeat of an empty tensor")
    lead = len(counts) - x.dim()
    shape = counts[:lead] + tuple(n * s for n, s in zip(counts[lead:], x._shape))
    return _new(shape, x.dtype)


@_register(torch.Tensor.repeat)
def _repeat(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """Tensor.repeat(*counts): a copy tiled ``counts`` times (one count per axis at
    least)."""
    if kwargs or len(args) < 2:
        raise Unsupported("repeat with keywords or without counts")
    return _repeated(_sym(args[0]), _counts(args[1:], "repeat"))


def _tile(function: bool) -> Handler:
    """torch.tile(input, dims): repeat, the counts padded with leading 1s to the input's
    rank when fewer. torch.tile takes one sequence of counts, Tensor.tile ints too."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        if not args:
            raise Unsupported("tile without a tensor")
        x = _sym(args[0])
        rest: Sequence[Any] = args[1:]
        if kwargs:
            if rest or set(kwargs) != {"dims"}:
                raise Unsupported("tile with other keywords, or dims given twice")
            rest = (kwargs["dims"],)
        one_sequence = len(rest) == 1 and isinstance(rest[0], (tuple, list, torch.Size))
        if not rest or (function and not one_sequence):
            raise Unsupported("tile dims that are not one sequence")  # torch raises
        counts = _counts(rest, "tile")
        return _repeated(x, (1,) * max(x.dim() - len(counts), 0) + counts)

    return handler


HANDLERS[torch.tile] = _tile(function=True)
HANDLERS[torch.Tensor.tile] = _tile(function=False)
