"""Normalization: batch, layer, group and RMS norm.

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
    HANDLERS,
    _bind,
    _float_input,
    _ints,
    _new,
    _refuse_odd_contiguous,
    _register,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.shape_rules.conversions import _converted
from modelmath.frontends.torch_module.shape_rules.elementwise import _HALF, _elementwise
from modelmath.frontends.torch_module.shape_rules.views import _norm_result
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
    contiguous_strides,
    is_contiguous,
)


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
    if x._stride == contiguous_strides(x._shape):  # the common case: a row-major result
        return _new(x._shape, x.dtype)
    return _batch_norm_layout(x, bool(training), w, b)


def _batch_norm_layout(x: SymTensor, training: bool, w: Any, b: Any) -> SymTensor:
    """Batch norm's result of an input of any layout (SAM 3 Lite's channels-last one): on
    meta torch runs its decomposition (native_batch_norm_helper), element-wise steps laid
    out as :func:`_elementwise` lays them: the input less the mean, times the inverse
    deviation (per channel, in the computation dtype: float32 for half precision), times
    the weight, plus the bias, converted back to the input's dtype. Held to torch over
    28,000 fuzzed layouts (axes of size 1 with odd strides, gaps, broadcasts), dtypes,
    modes and affine settings; where a step converts a layout whose conversion depends on
    the kernel, :func:`_elementwise` refuses, and so does this."""
    ndim, c = x.dim(), x._shape[1]
    compute = torch.float32 if x.dtype in _HALF else x.dtype
    ones = (1,) * (ndim - 2)
    if training:  # the batch's statistics: var_mean's result, kept as (1, C, 1, …)
        stat = SymTensor((1, c, *ones), compute)
    else:  # the running ones, as (C, 1, …): unsqueezed at the end, every stride 1
        stat = SymTensor((c, *ones), compute, (1,) * (ndim - 1))
    affine = [SymTensor((c, *ones), t.dtype, (1,) * (ndim - 1)) for t in (w, b) if t is not None]
    return _converted(_normalized(x, stat, affine), x.dtype, False, torch.preserve_format)


def _normalized(x: SymTensor, stat: SymTensor, affine: list[SymTensor]) -> SymTensor:
    """The element-wise steps of a norm's decomposition on meta: ``x`` less the mean,
    times the inverse deviation (both laid out as ``stat``), then times the weight and
    plus the bias where there are (``affine``), each laid out by :func:`_elementwise`."""
    out = _elementwise([_elementwise([x, stat]), stat])
    for t in affine:
        out = _elementwise([out, t])
    return out


def _trailing(x: SymTensor, shape: Any, what: str) -> tuple[int, ...]:
    """``normalized_shape`` as a tuple, checked to be the input's last axes."""
    normalized = (
        (shape,) if isinstance(shape, int) else _ints(shape, len(shape), "normalized_shape")
    )
    if not normalized or x._shape[len(x._shape) - len(normalized) :] != normalized:
        raise Unsupported(f"{what} over axes the input does not end with")
    return normalized


@_register(F.layer_norm)
def _layer_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, shape, w, b, _eps = _bind(
        args,
        kwargs,
        ("input", "normalized_shape", "weight", "bias", "eps"),
        (_MISSING, _MISSING, None, None, 1e-5),
    )
    x = _float_input(x)
    normalized = _trailing(x, shape, "layer norm")
    for t in (w, b):
        if t is not None and (_sym(t)._shape != normalized or t.dtype != x.dtype):
            raise Unsupported("layer norm weight of another shape")
    if x._stride == contiguous_strides(x._shape):  # the common case: a row-major result
        return _new(x._shape, x.dtype)
    if x.dtype in (torch.float32, torch.float64):
        return _layer_norm_layout(x, len(normalized), w is not None, b is not None)
    _refuse_odd_contiguous(x, "layer norm")
    return _new(x._shape, x.dtype)  # torch makes the input contiguous first


def _layer_norm_layout(x: SymTensor, k: int, weighted: bool, biased: bool) -> SymTensor:
    """Layer norm's result of a float32 or float64 input of any layout (SegFormer's
    contiguous one whose axis of size 1 has stride 1), as torch's decomposition on meta
    (native_layer_norm's reference) lays it out: the input made contiguous (itself when
    torch calls it contiguous, axes of size 1 aside), less its mean and times its inverse
    deviation over the last ``k`` axes (var_mean's result broadcast back: stride 0 on
    those), times the weight, plus the bias, each step laid out by :func:`_elementwise`.
    torch's layout on all of 20,000 fuzzed layouts; half precision, computed in float32
    and converted back, differs on some, and is not followed this way."""
    shape = x._shape
    if not is_contiguous(shape, x._stride):
        x = SymTensor(shape, x.dtype, contiguous_strides(shape))
    kept = shape[: len(shape) - k]
    stat = SymTensor((*kept, *(1,) * k), x.dtype, (*contiguous_strides(kept), *(0,) * k))
    normalized = shape[len(shape) - k :]
    affine = [SymTensor(normalized, x.dtype) for present in (weighted, biased) if present]
    return _normalized(x, stat, affine)


@_register(F.group_norm)
def _group_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, groups, w, b, _eps = _bind(
        args,
        kwargs,
        ("input", "num_groups", "weight", "bias", "eps"),
        (_MISSING, _MISSING, None, None, 1e-5),
    )
    x = _refuse_odd_contiguous(_float_input(x), "group norm")
    if x.dim() < 2 or not isinstance(groups, int) or groups < 1 or x._shape[1] % groups:
        raise Unsupported("group norm of channels the groups do not divide")
    for t in (w, b):
        _vector(t, x._shape[1], x.dtype)
    if not is_contiguous(x._shape, x._stride):
        raise Unsupported("group norm of a non-contiguous input")
    return _new(x._shape, x.dtype)


def _rms_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, shape, w, _eps = _bind(
        args,
        kwargs,
        ("input", "normalized_shape", "weight", "eps"),
        (_MISSING, _MISSING, None, None),
    )
    x = _refuse_odd_contiguous(_float_input(x), "RMS norm")
    normalized = _trailing(x, shape, "RMS norm")
    if x.dtype not in (torch.float32, torch.float64) or not is_contiguous(x._shape, x._stride):
        raise Unsupported("RMS norm of a half-precision or non-contiguous input")
    if w is not None and (_sym(w)._shape != normalized or w.dtype != x.dtype):
        raise Unsupported("RMS norm weight of another shape")
    return _new(x._shape, x.dtype)


HANDLERS[F.rms_norm] = _rms_norm
if hasattr(torch, "rms_norm"):
    HANDLERS[torch.rms_norm] = _rms_norm


@_register(torch._weight_norm)
def _weight_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch._weight_norm(v, g, dim), the weight a weight-norm parametrization makes
    (wav2vec2's positional convolution): v's shape, row-major. Only torch's fused case
    (dim first or last, g of v's size along dim and 1 elsewhere, one dtype that is not
    half) on row-major operands: others run as element-wise ops laid out otherwise."""
    v, g, dim = _bind(args, kwargs, ("v", "g", "dim"), (_MISSING, _MISSING, 0))
    v, g = _float_input(v), _sym(g)
    if v.dtype != g.dtype or v.dtype == torch.float16 or v.dim() == 0 or 0 in v._shape:
        raise Unsupported("weight norm of mixed, half or empty tensors")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim not in (0, v.dim() - 1):
        raise Unsupported("weight norm along a middle dimension")
    if g._shape != tuple(n if i == dim else 1 for i, n in enumerate(v._shape)):
        raise Unsupported("weight norm magnitudes of another shape")
    if any(t._stride != contiguous_strides(t._shape) for t in (v, g)):
        raise Unsupported("weight norm of operands that are not row-major")
    return _new(v._shape, v.dtype)


@_register(F.normalize)
def _normalize(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.normalize(input, p, dim, eps): ``input / norm(input).clamp_min(eps).expand_as(input)``
    as torch writes it, each step by its own rule (the norm's result as
    :func:`_norm_result` makes it; so laid out as torch lays each out;
    over 20,000 fuzzed layouts, axes of size 1 with odd strides and gaps included, the
    steps' result was torch's every time). Broadcast and empty inputs are refused, and so
    is ``out``."""
    names = ("input", "p", "dim", "eps", "out")
    x, p, dim, eps, out = _bind(args, kwargs, names, (_MISSING, 2.0, 1, 1e-12, None))
    x = _float_input(x)
    numbers = (p, eps)
    if out is not None or any(type(v) not in (int, float) for v in numbers) or x.dim() == 0:
        raise Unsupported("normalize into out, by other than numbers, or of a 0-d tensor")
    dim = _wrap(dim, x.dim())
    if any(st == 0 and n > 1 for n, st in zip(x._shape, x._stride)) or 0 in x._shape:
        raise Unsupported("normalize of a broadcast or empty input")
    norm = _norm_result(x, dim, True)
    norm = HANDLERS[torch.Tensor.clamp_min]((norm, eps), {}, aten)
    norm = HANDLERS[torch.Tensor.expand_as]((norm, x), {}, aten)
    return HANDLERS[torch.Tensor.__truediv__]((x, norm), {}, aten)
