"""Aliases and writes into a tensor: ``detach``, ``copy_``, ``requires_grad_``, item
assignment (``x[i] = v``), ``scatter``, ``masked_fill`` and their in-place forms.

Shape rules registered into :data:`HANDLERS` (see the package docstring). An in-place op
returns the very tensor it wrote into, as torch does; one that would raise in torch (a
leaf that requires grad, an expanded target, a source that does not broadcast to the
target) is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.attention import _getitem
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    _bind,
    _broadcast,
    _register,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import _reference_layout
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
    contiguous_strides,
    is_contiguous,
)


def _writable(t: SymTensor) -> SymTensor:
    """``t`` as the target of an in-place op: refused where torch would raise (a leaf that
    requires grad, unless grad is off, which is not followed) or where one element stands
    for several (an expanded tensor)."""
    if t.requires_grad:
        raise Unsupported("an in-place op on a tensor that requires grad")
    if any(st == 0 and size > 1 for size, st in zip(t._shape, t._stride)):
        raise Unsupported("an in-place op on an expanded tensor")
    return t


@_register(torch.Tensor.detach, torch.detach)
def _detach(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``x.detach()``: a new tensor (not ``x`` itself, not a parameter) sharing its
    storage, with its shape, strides and dtype, that does not require grad."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    return SymTensor(x._shape, x.dtype, x._stride)


@_register(torch.Tensor.copy_)
def _copy(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``x.copy_(src)``: ``x`` itself, unchanged in shape, strides and dtype; ``src`` (a
    tensor of any real dtype) must broadcast to ``x``'s shape."""
    x, src, non_blocking = _bind(
        args, kwargs, ("input", "src", "non_blocking"), (_MISSING, _MISSING, False)
    )
    x, src = _writable(_sym(x)), _sym(src)
    if not isinstance(non_blocking, bool):
        raise Unsupported("copy_ with a non_blocking that is not a bool")
    if x.dtype.is_complex or src.dtype.is_complex:
        raise Unsupported("a copy of complex tensors")
    if len(src._shape) > len(x._shape) or _broadcast(x._shape, src._shape) != x._shape:
        raise Unsupported("a copy from a tensor that does not broadcast to the target")
    return x


@_register(torch.Tensor.requires_grad_)
def _requires_grad(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``x.requires_grad_(flag)``: ``x`` itself, now requiring grad or not (MRA's
    attention returns ``zeros_like(query).requires_grad_()``). A tensor that does not
    require grad is a leaf, whose flag torch sets (to True only for a floating-point or
    complex dtype); one that does may not be a leaf, where turning it off raises, and a
    traced tensor does not say which: that case is refused."""
    x, flag = _bind(args, kwargs, ("input", "requires_grad"), (_MISSING, True))
    x = _sym(x)
    if type(flag) is not bool:
        raise Unsupported("requires_grad_ of a flag that is not a bool")
    if x.requires_grad:
        if not flag:
            raise Unsupported("requires_grad_(False) on a tensor that may not be a leaf")
        return x
    if flag and not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise Unsupported("requires_grad_ on a tensor of a dtype that cannot require grad")
    x.requires_grad = flag
    return x


_NUMBERS = (int, float, bool)


@_register(torch.Tensor.__setitem__)
def _setitem(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``x[index] = value`` with basic indexing (ints, slices, None, ...): the region
    ``x[index]`` is written, unchanged in shape, strides and dtype; ``value`` is a Python
    number or a tensor of a real dtype that broadcasts to the region once its leading
    sizes of 1 are dropped (as torch's copy into the region drops them). None, as torch's
    ``__setitem__`` returns. Indexing by tensors (``index_put_``) is refused."""
    if kwargs or len(args) != 3:
        raise Unsupported("item assignment with keywords")
    x, index, value = _writable(_sym(args[0])), args[1], args[2]
    if type(index) is SymTensor:
        return _masked_assignment(x, index, value)
    region = _getitem((x, index), {}, aten)  # refuses what is not basic indexing
    shape = _assigned(x, value)
    if shape is not None and (
        len(shape) > len(region._shape) or _broadcast(region._shape, shape) != region._shape
    ):
        raise Unsupported("item assignment of a value that does not broadcast to the region")
    return None


def _assigned(x: SymTensor, value: Any) -> tuple[int, ...] | None:
    """The sizes of a tensor ``value`` written into ``x``, its leading sizes of 1 dropped
    (as torch's copy drops them); None for a number. Complex tensors are refused."""
    if type(value) in _NUMBERS:
        if x.dtype.is_complex:
            raise Unsupported("item assignment into a complex tensor")
        return None
    src = _sym(value)
    if x.dtype.is_complex or src.dtype.is_complex:
        raise Unsupported("item assignment of complex tensors")
    shape = src._shape
    while shape and shape[0] == 1:
        shape = shape[1:]
    return shape


def _masked_assignment(x: SymTensor, mask: SymTensor, value: Any) -> None:
    """``x[mask] = value`` for a bool ``mask`` of ``x``'s leading sizes (a multimodal
    model's image-token positions): ``x`` written in place, unchanged in shape, strides and
    dtype. ``value`` is a number, or a tensor of a real dtype whose sizes, leading sizes of
    1 dropped, broadcast to the selected rows (``x``'s sizes after the mask's), with at most
    one more leading axis, one row per selected position: how many there are is in the
    mask's values, which no trace has, and torch's meta kernel does not check it either.
    Other tensor indices (of positions, not a mask) are refused."""
    if mask.dtype != torch.bool:
        raise Unsupported("item assignment through a tensor index that is not a bool mask")
    lead = mask.dim()
    if not 0 < lead <= x.dim() or mask._shape != x._shape[:lead]:
        raise Unsupported("item assignment through a mask of other sizes than the tensor's")
    shape, rows = _assigned(x, value), x._shape[lead:]
    if shape is None:
        return None
    if len(shape) > len(rows):  # one row per selected position
        shape = shape[1:]
    if len(shape) > len(rows) or _broadcast(rows, shape) != rows:
        raise Unsupported("item assignment of a value that does not broadcast to the rows")
    return None


def _scatter_of(args: Sequence[Any], kwargs: Mapping[str, Any], *, inplace: bool) -> SymTensor:
    """scatter(input, dim, index, src | value) without ``reduce``: the input's shape and
    dtype, laid out row-major (torch's meta kernel makes a new contiguous tensor), or the
    input itself in place. Only what torch checks on every device is answered: an int64
    index of the input's rank, no larger than the input apart from ``dim`` and no larger
    than ``src`` anywhere; ``src`` of the input's dtype and rank; a number ``value`` that
    the input's dtype holds."""
    if len(args) > 4 or set(kwargs) - {"dim", "index", "src", "value"}:
        raise Unsupported("scatter with reduce or other settings")
    names = ("input", "dim", "index", "src")
    bound = dict(zip(names, args))
    for key, value in kwargs.items():
        key = "src" if key == "value" else key
        if key in bound:
            raise Unsupported("scatter with an argument given twice")
        bound[key] = value
    if set(bound) != set(names):
        raise Unsupported("scatter without its four arguments")
    x, index, src = _sym(bound["input"]), _sym(bound["index"]), bound["src"]
    ndim = len(x._shape)
    if ndim == 0:
        raise Unsupported("scatter into a 0-d tensor")
    dim = _wrap(bound["dim"], ndim)
    if index.dtype != torch.int64 or len(index._shape) != ndim:
        raise Unsupported("scatter with an index that is not int64 of the input's rank")
    for d, size in enumerate(index._shape):
        if d != dim and size > x._shape[d]:
            raise Unsupported("scatter with an index larger than the input")
    if type(src) is SymTensor or isinstance(src, SymTensor):
        if src.dtype != x.dtype or len(src._shape) != ndim:
            raise Unsupported("scatter from a tensor of another dtype or rank")
        if any(i > s for i, s in zip(index._shape, src._shape)):
            raise Unsupported("scatter with an index larger than its source")
    elif not (
        type(src) is bool
        or (type(src) is int and x.dtype != torch.bool)
        or (type(src) is float and x.dtype.is_floating_point)
    ):
        raise Unsupported("scatter of a value the input's dtype does not hold")
    if x.dtype.is_complex:
        raise Unsupported("scatter into a complex tensor")
    if inplace:
        return _writable(x)
    return SymTensor(x._shape, x.dtype, contiguous_strides(x._shape))


@_register(torch.scatter, torch.Tensor.scatter)
def _scatter(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    return _scatter_of(args, kwargs, inplace=False)


@_register(torch.Tensor.scatter_)
def _scatter_inplace(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    return _scatter_of(args, kwargs, inplace=True)


def _masked_fill_of(args: Sequence[Any], kwargs: Mapping[str, Any], *, inplace: bool) -> Any:
    """masked_fill(input, mask, value) with a bool mask that broadcasts to the input and a
    Python number the input's dtype holds: the input itself in place; else torch's
    reference, ``where(mask, value, input).contiguous()``, laid out as the element-wise
    references lay it, made row-major unless that is already contiguous. Where the input
    has axes of size 1, torch's strides of those axes in ``where``'s result differ from
    the references' rule over some layouts, so a result it keeps as contiguous is
    followed only for an input laid out exactly row-major and a mask row-major up to
    broadcasting (row-major then, over 80,000 fuzzed layouts); a tensor value is
    refused."""
    x, mask, value = _bind(args, kwargs, ("input", "mask", "value"), (_MISSING,) * 3)
    x, mask = _sym(x), _sym(mask)
    if mask.dtype != torch.bool:
        raise Unsupported("masked_fill with a mask that is not bool")
    if len(mask._shape) > len(x._shape) or _broadcast(x._shape, mask._shape) != x._shape:
        raise Unsupported("masked_fill with a mask that does not broadcast to the input")
    if x.dtype.is_complex or not (
        type(value) is bool
        or (type(value) is int and x.dtype != torch.bool)
        or (type(value) is float and x.dtype.is_floating_point)
    ):
        raise Unsupported("masked_fill with a value the input's dtype does not hold")
    if inplace:
        return _writable(x)
    if 0 in x._shape:
        raise Unsupported("masked_fill of an empty input")
    strides = _reference_layout(x._shape, (mask, x))
    if not is_contiguous(x._shape, strides):
        return SymTensor(x._shape, x.dtype, contiguous_strides(x._shape))
    if 1 in x._shape and not (
        x._stride == contiguous_strides(x._shape) and _row_major_broadcast(mask)
    ):
        raise Unsupported("masked_fill of an input with axes of size 1 not laid out row-major")
    return SymTensor(x._shape, x.dtype, strides)


def _row_major_broadcast(t: SymTensor) -> bool:
    """``t`` is a row-major tensor, some of its axes of size 1 expanded (stride 0)."""
    base = tuple(1 if st == 0 else size for size, st in zip(t._shape, t._stride))
    return all(st in (0, row) for st, row in zip(t._stride, contiguous_strides(base)))


@_register(torch.masked_fill, torch.Tensor.masked_fill)
def _masked_fill(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    return _masked_fill_of(args, kwargs, inplace=False)


@_register(torch.Tensor.masked_fill_)
def _masked_fill_inplace(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    return _masked_fill_of(args, kwargs, inplace=True)
