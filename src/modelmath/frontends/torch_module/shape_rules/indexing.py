"""Lookups and selections: embedding bags, top-k, gather.

Shape rules registered into :data:`HANDLERS` (see the package docstring). Each output's
shape follows from its operands' shapes alone; operations whose output shape depends on
the values (``nonzero``, boolean masks, ``unique``) have no rule here and are refused.

>>> import torch
>>> ids, offsets = SymTensor((20,), torch.int64), SymTensor((3,), torch.int64)
>>> _embedding_bag((ids, SymTensor((100, 16), torch.float32)),
...     {"offsets": offsets, "include_last_offset": True}, []).shape
torch.Size([2, 16])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    _bind,
    _new,
    _register,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import _iter_like
from modelmath.frontends.torch_module.symbolic import SymTensor, Unsupported

_INDEX_TYPES = (torch.int64, torch.int32)
_BAG_MODES = ("sum", "mean", "max")

# -- embedding bags ---------------------------------------------------------------------

_BAG_NAMES = (
    "input", "weight", "offsets", "max_norm", "norm_type", "scale_grad_by_freq", "mode",
    "sparse", "per_sample_weights", "include_last_offset", "padding_idx",
)  # fmt: skip
_BAG_DEFAULTS = (_MISSING, _MISSING, None, None, 2, False, "mean", False, None, False, None)


def _bag_count(ids: SymTensor, offsets: Any, last: bool) -> int:
    """How many bags F.embedding_bag makes: one per row of a 2-d input (which must come
    without offsets), else one per offset, the last offset closing the last bag when
    ``include_last_offset``. Only sizes count, never the offsets' values."""
    if ids.dim() == 2:
        # torch builds the offsets with arange(0, numel, width): a width of 0 is refused
        if offsets is not None or ids._shape[1] == 0:
            raise Unsupported("a 2-d embedding bag input with offsets or of width 0")
        return ids._shape[0]
    if ids.dim() != 1 or offsets is None:
        raise Unsupported("a 1-d embedding bag input without offsets, or of another rank")
    offs = _sym(offsets)
    if offs.dim() != 1 or offs.dtype not in _INDEX_TYPES:
        raise Unsupported("embedding bag offsets that are not a vector of ints")
    if not last:
        return offs._shape[0]
    if offs._shape[0] < 1:
        raise Unsupported("include_last_offset without offsets")  # torch raises
    return offs._shape[0] - 1


@_register(F.embedding_bag)
def _embedding_bag(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.embedding_bag: one row of ``weight``'s width per bag, in the weight's dtype,
    row-major (the ids are gathered and reduced; no contraction torch counts)."""
    bound = _bind(args, kwargs, _BAG_NAMES, _BAG_DEFAULTS)
    ids, w, offsets, max_norm, _norm, scale, mode, sparse, psw, last, pad = bound
    ids, w = _sym(ids), _sym(w)
    if ids.dtype not in _INDEX_TYPES or w.dim() != 2 or not w.dtype.is_floating_point:
        raise Unsupported("an embedding bag of non-integer ids or a non-float table")
    if max_norm is not None:  # torch renormalizes the weight in place first
        raise Unsupported("an embedding bag with max_norm")
    if mode not in _BAG_MODES or not all(isinstance(f, bool) for f in (scale, sparse, last)):
        raise Unsupported("embedding bag settings torch refuses")
    if mode == "max" and (scale or sparse):
        raise Unsupported("a max embedding bag scaling gradients or sparse")
    if pad is not None and not (
        isinstance(pad, int) and not isinstance(pad, bool) and -w._shape[0] <= pad < w._shape[0]
    ):
        raise Unsupported("an embedding bag padding_idx out of range")
    if psw is not None:
        weights = _sym(psw)
        if mode != "sum" or weights._shape != ids._shape or weights.dtype != w.dtype:
            raise Unsupported("per-sample weights other than for a sum of ids' shape")
    # a 2-d input is cut into rows by torch, which then ignores include_last_offset
    bags = _bag_count(ids, offsets, last and ids.dim() == 1)
    return _new((bags, w._shape[1]), w.dtype)


# -- selections -------------------------------------------------------------------------


@_register(torch.topk, torch.Tensor.topk)
def _topk(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.topk: the ``k`` largest (or smallest) along ``dim`` and their int64 indices,
    both fresh row-major tensors (whatever the input's layout, on meta), as a named
    ``(values, indices)`` pair."""
    names = ("input", "k", "dim", "largest", "sorted")
    x, k, dim, largest, ordered = _bind(args, kwargs, names, (_MISSING, _MISSING, -1, True, True))
    x = _sym(x)
    if not isinstance(largest, bool) or not isinstance(ordered, bool):
        raise Unsupported("topk flags that are not bools")
    if x.dim() == 0 or x.dtype == torch.bool:
        raise Unsupported("topk of a 0-d or boolean tensor")
    dim = _wrap(dim, x.dim())
    if not isinstance(k, int) or isinstance(k, bool) or not 0 < k <= x._shape[dim]:
        raise Unsupported("k out of range for the dimension")  # torch raises beyond it
    shape = list(x._shape)
    shape[dim] = k
    if 0 in shape:  # an empty result gets strides of its own on meta: not followed
        raise Unsupported("topk of an empty tensor")
    values, indices = _new(shape, x.dtype), _new(shape, torch.int64)
    return torch.return_types.topk((values, indices))  # type: ignore[arg-type]  # stand-ins


def _sorted(x: Any, dim: Any, descending: Any, stable: Any) -> tuple[SymTensor, SymTensor]:
    """torch.sort's values and int64 indices: each laid out as ``torch.empty_like`` of the
    input (torch's meta kernel makes them so), as a unary kernel's result is (_iter_like)."""
    x = _sym(x)
    if not isinstance(descending, bool) or stable not in (None, False, True):
        raise Unsupported("sort flags that are not bools")
    if x.dim() == 0 or x.dtype.is_complex:
        raise Unsupported("a sort of a 0-d or complex tensor")
    _wrap(dim, x.dim())
    return _iter_like(x), _iter_like(x, torch.int64)


@_register(torch.sort, torch.Tensor.sort)
def _sort(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.sort: the sorted values and their indices along ``dim``, as a named pair."""
    names = ("input", "dim", "descending", "stable")
    _stable_alone(args, kwargs)
    x, dim, descending, stable = _bind(args, kwargs, names, (_MISSING, -1, False, None))
    return torch.return_types.sort(_sorted(x, dim, descending, stable))  # type: ignore[arg-type]


def _stable_alone(args: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
    """torch's overload with ``stable`` takes ``dim`` and ``descending`` by keyword only."""
    if "stable" in kwargs and len(args) > 1:
        raise Unsupported("stable given with a positional dim")  # torch refuses


@_register(torch.argsort, torch.Tensor.argsort)
def _argsort(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.argsort: torch.sort's indices (ViT-MAE's shuffle of its noise)."""
    names = ("input", "dim", "descending", "stable")
    _stable_alone(args, kwargs)
    x, dim, descending, stable = _bind(args, kwargs, names, (_MISSING, -1, False, False))
    return _sorted(x, dim, descending, stable)[1]


@_register(torch.gather, torch.Tensor.gather)
def _gather(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.gather: ``input``'s values at ``index`` along ``dim``, a fresh row-major
    tensor of the index's shape (whatever either layout) in the input's dtype. The index
    must have the input's rank and be no larger on the other axes."""
    names = ("input", "dim", "index", "sparse_grad")
    x, dim, index, sparse = _bind(args, kwargs, names, (_MISSING, _MISSING, _MISSING, False))
    x, index = _sym(x), _sym(index)
    if index.dtype != torch.int64 or not isinstance(sparse, bool):
        raise Unsupported("gather with an index that is not int64")
    if x.dim() == 0 or index.dim() != x.dim():
        raise Unsupported("gather with an index of another rank")
    dim = _wrap(dim, x.dim())
    for d, (size, n) in enumerate(zip(x._shape, index._shape)):
        if d != dim and n > size:
            raise Unsupported("a gather index larger than the input")  # torch raises
    if 0 in x._shape or 0 in index._shape:
        raise Unsupported("gather from or of an empty tensor")
    return _new(index._shape, x.dtype)


@_register(torch.index_select, torch.Tensor.index_select)
def _index_select(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.index_select: ``input`` with its axis ``dim`` replaced by the rows at
    ``index`` (a vector, or a 0-d tensor for one row, of int64 or int32): a fresh
    row-major tensor in the input's dtype, whatever either layout. torch's meta kernel
    checks less than its CPU kernel (an index of another rank or dtype, a 0-d input): such
    cases are refused."""
    x, dim, index = _bind(args, kwargs, ("input", "dim", "index"), (_MISSING,) * 3)
    x, index = _sym(x), _sym(index)
    if index.dtype not in _INDEX_TYPES or index.dim() > 1:
        raise Unsupported("index_select with an index that is not a vector of ints")
    if x.dim() == 0 or 0 in x._shape or 0 in index._shape:
        raise Unsupported("index_select of a 0-d or empty tensor, or by an empty index")
    dim = _wrap(dim, x.dim())
    shape = list(x._shape)
    shape[dim] = index.numel()
    return _new(shape, x.dtype)


@_register(torch.argmax, torch.Tensor.argmax)
def _argmax(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.argmax: int64 indices of the largest values along ``dim`` (the axis dropped,
    or kept of size 1 with ``keepdim``), or over all elements without ``dim`` (a 0-d
    result; with ``keepdim``, every axis of size 1). A fresh row-major tensor whatever the
    input's layout; boolean, complex and empty inputs are refused."""
    x, dim, keepdim = _bind(args, kwargs, ("input", "dim", "keepdim"), (_MISSING, None, False))
    x = _sym(x)
    if not isinstance(keepdim, bool):
        raise Unsupported("argmax keepdim that is not a bool")
    if x.dtype == torch.bool or x.dtype.is_complex or 0 in x._shape:
        raise Unsupported("argmax of a boolean, complex or empty tensor")
    if dim is None:
        return _new((1,) * x.dim() if keepdim else (), torch.int64)
    d = _wrap(dim, x.dim())
    if x.dim() == 0:
        return _new((), torch.int64)
    shape = list(x._shape)
    if keepdim:
        shape[d] = 1
    else:
        del shape[d]
    return _new(shape, torch.int64)
