"""Attention and transformer pieces: scaled dot-product and multi-head attention,
repeat_interleave, basic indexing, unbind, unflatten.

Shape rules registered into :data:`HANDLERS` (see the package docstring).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    _bind,
    _broadcast,
    _new,
    _register,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import _reference_strides
from modelmath.frontends.torch_module.shape_rules.matmul import _matmul_of
from modelmath.frontends.torch_module.shape_rules.views import _infer, _reshape_to
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
    is_contiguous,
    view_of,
)


def _grouped(q: SymTensor, kv: SymTensor) -> SymTensor:
    """A key or value of grouped-query attention (``enable_gqa``) as torch's math kernel
    uses it: its heads (axis -3) repeated up to the query's, which must be a multiple."""
    if q.dim() != 4 or kv.dim() != 4 or kv._shape[-3] == 0 or q._shape[-3] % kv._shape[-3]:
        raise Unsupported("grouped-query attention of heads that do not divide")
    return SymTensor((*kv._shape[:-3], q._shape[-3], *kv._shape[-2:]), kv.dtype)


@_register(F.scaled_dot_product_attention)
def _sdpa(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = ("query", "key", "value", "attn_mask", "dropout_p", "is_causal", "scale", "enable_gqa")
    if len(args) > 6:
        raise Unsupported("scale and enable_gqa are keyword-only")
    q, k, v, mask, p, causal, scale, gqa = _bind(
        args, kwargs, names, (_MISSING, _MISSING, _MISSING, None, 0.0, False, None, False)
    )
    q, k, v = _sym(q), _sym(k), _sym(v)
    if not isinstance(gqa, bool) or not isinstance(causal, bool) or not isinstance(p, (int, float)):
        raise Unsupported("attention with unusual settings")
    if gqa:
        k, v = _grouped(q, k), _grouped(q, v)
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


@_register(torch.Tensor.repeat_interleave, torch.repeat_interleave)
def _repeat_interleave(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, repeats, dim, size = _bind(
        args, kwargs, ("input", "repeats", "dim", "output_size"), (_MISSING, _MISSING, None, None)
    )
    x = _sym(x)
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 0:
        raise Unsupported("repeat_interleave by a tensor of counts")
    if dim is None:  # the flattened input, each element repeated
        numel = 1
        for d in x._shape:
            numel *= d
        shape = [numel * repeats]
        dim = 0
    else:
        if x.dim() == 0:
            raise Unsupported("repeat_interleave of a 0-d tensor along an axis")
        dim = _wrap(dim, x.dim())
        shape = list(x._shape)
        shape[dim] *= repeats
    if size is not None and size != shape[dim]:  # a hint of the result's size, kept if true
        raise Unsupported("repeat_interleave with an output_size it does not give")
    return _new(shape, x.dtype)


def _take_rows(x: SymTensor, index: SymTensor) -> SymTensor:
    """``x[index]`` for an int64 tensor of indices: the rows of x it names, in the index's
    shape (a relative-position table read by a window's index map); a new row-major
    tensor, as torch's index makes it on meta. A mask (bool, uint8) selects a number of
    rows only its values tell, so it is refused, as is a source not row-major."""
    if index.dtype != torch.int64 or not x._shape:
        raise Unsupported("indexing by a mask, or of a 0-d tensor")
    if not is_contiguous(x._shape, x._stride):
        raise Unsupported("indexing by a tensor into a tensor not row-major")
    return _new((*index._shape, *x._shape[1:]), x.dtype)


@_register(torch.Tensor.__getitem__)
def _getitem(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """Basic indexing (ints, slices, None, ...): a view, as torch's applySlicing makes it;
    with tensors (or lists of ints) of indices among them, a new tensor (:func:`_gather`)."""
    if kwargs or len(args) != 2:
        raise Unsupported("indexing with keywords")
    x, index = _sym(args[0]), args[1]
    if type(index) is SymTensor:
        return _take_rows(x, index)
    items = index if type(index) is tuple else (index,)
    tensors = False
    # A list of ints is a tensor of indices (Falcon's fused_qkv[..., [-2], :]): torch
    # makes one of it; its values are checked against the axis it indexes, below.
    listed: dict[int, list[int]] = {}
    if list in map(type, items):
        items = tuple(_listed_index(item, listed) for item in items)
    for item in items:
        if type(item) is SymTensor:
            if item.dtype not in _INDEX_DTYPES or not item._shape:
                # A mask selects as many elements as its values say; a 0-d index is
                # read by torch as a number (a select by its value).
                raise Unsupported("indexing by a mask or by a 0-d tensor")
            tensors = True
        elif not (item is None or item is Ellipsis or type(item) in (int, slice)):
            raise Unsupported("advanced indexing (lists, bools or other objects)")
    consumed = sum(1 for item in items if type(item) in (int, slice, SymTensor))
    if consumed > x.dim() or sum(1 for item in items if item is Ellipsis) > 1:
        raise Unsupported("too many indices")
    shape, stride = list(x._shape), list(x._stride)
    dim = 0
    indexed: list[tuple[int, SymTensor]] = []  # (axis of the view, tensor of indices)
    for item in items:
        if type(item) is SymTensor:
            values = listed.get(id(item))
            if values is not None and not all(-shape[dim] <= v < shape[dim] for v in values):
                raise Unsupported("an index out of range")
            indexed.append((dim, item))
            dim += 1
        elif item is Ellipsis:
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
    if tensors:
        return _gather(shape, stride, indexed, x.dtype)
    return view_of(x, shape, stride)


_INDEX_DTYPES = (torch.int64, torch.int32)


def _listed_index(item: Any, listed: dict[int, list[int]]) -> Any:
    """``item``, or for a list of ints the int64 tensor of them torch makes (its values
    kept in ``listed`` by the tensor's id). Lists of anything else (bools are a mask;
    slices or lists make torch read the list as a tuple) and empty ones are refused."""
    if type(item) is not list:
        return item
    if not item or not all(type(v) is int for v in item):
        raise Unsupported("advanced indexing (lists, bools or other objects)")
    t = SymTensor((len(item),), torch.int64)
    listed[id(t)] = item
    return t


def _gather(
    shape: list[int], stride: list[int], indexed: list[tuple[int, SymTensor]], dtype: torch.dtype
) -> SymTensor:
    """Advanced indexing by tensors of indices, after the basic indexing around them made
    the view (``shape``, ``stride``): torch's ``index`` on meta. The indices broadcast to
    one shape, which takes the place of the axes they index when those are adjacent, and
    goes first otherwise; the result is a new tensor laid out as TensorIterator lays out
    the source with the indexed axes' strides set to 0 (meta_index_Tensor)."""
    axes = [axis for axis, _ in indexed]
    replacement: tuple[int, ...] = ()
    for _, t in indexed:
        replacement = _broadcast(replacement, t._shape)
    if axes != list(range(axes[0], axes[0] + len(axes))):  # not adjacent: moved first
        rest = [a for a in range(len(shape)) if a not in axes]
        order = axes + rest
        shape, stride = [shape[a] for a in order], [stride[a] for a in order]
        axes = list(range(len(axes)))
    before, after = axes[0], len(shape) - axes[-1] - 1
    out = (*shape[:before], *replacement, *shape[len(shape) - after :])
    size = 1
    for d in shape:
        size *= d
    if size == 0:  # an empty source: the new tensor as it is made, row-major
        return SymTensor(out, dtype)
    zeroed = (*stride[:before], *(0,) * len(replacement), *stride[len(stride) - after :])
    return SymTensor(out, dtype, _reference_strides(out, [zeroed]))


@_register(torch.Tensor.unbind, torch.unbind)
def _unbind(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, 0))
    x = _sym(x)
    if x.dim() == 0:
        raise Unsupported("unbind of a 0-d tensor")
    dim = _wrap(dim, x.dim())
    shape, stride = x._shape[:dim] + x._shape[dim + 1 :], x._stride[:dim] + x._stride[dim + 1 :]
    return tuple(view_of(x, shape, stride) for _ in range(x._shape[dim]))


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
    return view_of(x, [x._shape[i] for i in keep], [x._stride[i] for i in keep])


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


def _stacked(proj: SymTensor, n: int, e: int, aten: list[AtenOp]) -> SymTensor:
    """A packed projection of ``n`` parts of size ``e`` on the last axis, made a leading
    axis of ``n``: unflatten, unsqueeze, transpose, squeeze, contiguous, as torch does."""
    proj = _run(torch.Tensor.unflatten, aten, proj, -1, (n, e))
    proj = _run(torch.Tensor.unsqueeze, aten, proj, 0)
    proj = _run(torch.Tensor.transpose, aten, proj, 0, -2)
    proj = _run(torch.Tensor.squeeze, aten, proj, -2)
    return _run(torch.Tensor.contiguous, aten, proj)  # type: ignore[no-any-return]


def _in_projection_packed(
    q: SymTensor, k: SymTensor, v: SymTensor, w: Any, b: Any, aten: list[AtenOp]
) -> tuple[SymTensor, SymTensor, SymTensor]:
    """torch.nn.functional._in_projection_packed: one linear for self-attention, one for
    the query and one for key and value when those are one tensor, else three."""
    e = q._shape[-1]
    if k is v:
        if q is k:
            proj = _stacked(_run(F.linear, aten, q, w, b), 3, e, aten)
            return tuple(_run(torch.Tensor.__getitem__, aten, proj, i) for i in range(3))
        w_q, w_kv = _run(torch.Tensor.split, aten, w, [e, e * 2])
        b_q, b_kv = (None, None) if b is None else _run(torch.Tensor.split, aten, b, [e, e * 2])
        q_proj = _run(F.linear, aten, q, w_q, b_q)
        kv = _stacked(_run(F.linear, aten, k, w_kv, b_kv), 2, e, aten)
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
