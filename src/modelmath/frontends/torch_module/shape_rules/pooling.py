"""Pooling: max and average, fixed and adaptive.

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
    Handler,
    _bind,
    _channels_last,
    _channels_last_strides,
    _float_input,
    _ints,
    _new,
    _register,
)
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    is_contiguous,
)

# Module-level loop variables of the registrations below (functions of many types).
_max: Any
_avg: Any


def _pool_size(size: int, k: int, s: int, p: int, d: int, ceil: bool) -> int:
    """torch's pooling_output_shape."""
    span = size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)
    out = span // s + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pooled(x: SymTensor, shape: Shape) -> SymTensor:
    """The result of pooling ``x`` into ``shape``, laid out as torch lays it on meta: in
    the input's suggested memory format (channels-last, else row-major) for 2-d pooling,
    which axes of size 1 can tip (a row-major input with one channel may look
    channels-last); 1-d pooling is torch's 2-d pooling of ``x.unsqueeze(-2)``, that axis
    then squeezed. 3-d pooling is followed for a row-major input that does not look
    channels-last only: torch's 3-d kernels do not all follow the suggested format."""
    nd = len(shape) - 2
    if nd == 3:
        if not is_contiguous(x._shape, x._stride) or _channels_last(x._shape, x._stride):
            raise Unsupported("3-d pooling of a non-contiguous input")
        return _new(shape, x.dtype)
    if nd == 2:
        channels_last = _channels_last(x._shape, x._stride)
    else:
        (n, c, length), (sn, sc, sl) = x._shape, x._stride
        channels_last = _channels_last((n, c, 1, length), (sn, sc, length * sl, sl))
    if not channels_last:
        return _new(shape, x.dtype)
    if nd == 2:
        return SymTensor(shape, x.dtype, _channels_last_strides(shape))
    sn, sc, _, sl = _channels_last_strides((*shape[:2], 1, shape[2]))
    return SymTensor(shape, x.dtype, (sn, sc, sl))


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
        if kind == "avg" and nd == 3 and any(s < k for s, k in zip(x._shape[2:], kernel)):
            # torch's 3-d average pooling checks the input, padding aside, against the kernel
            raise Unsupported("3-d average pooling of an input smaller than its kernel")
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
        out = _pooled(x, (*x._shape[:2], *sizes))
        if kind == "max" and bound["return_indices"]:
            return out, SymTensor(out._shape, torch.int64, out._stride)
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
        out = _pooled(x, (*x._shape[:2], *sizes))
        if kind == "max" and bound[2]:
            return out, SymTensor(out._shape, torch.int64, out._stride)
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


def _fractional_max_pool2d(
    args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]
) -> Any:
    """Fractional max pooling (2-d): the last two axes become ``output_size``, or the
    input's sizes times ``output_ratio`` rounded down; row-major whatever the input's
    layout, as torch makes it; int64 indices of the same shape. The windows' random
    offsets move values, never sizes. Returns (output, indices, return_indices)."""
    names = ("input", "kernel_size", "output_size", "output_ratio", "return_indices",
             "_random_samples")  # fmt: skip
    x, kernel, size, ratio, with_indices, samples = _bind(
        args, kwargs, names, (_MISSING, _MISSING, None, None, False, None)
    )
    x = _float_input(x)
    if samples is not None or len(x._shape) not in (3, 4) or not isinstance(with_indices, bool):
        raise Unsupported("fractional max pooling with given samples, or of another rank")
    height, width = x._shape[-2:]
    kh, kw = _ints(kernel, 2, "kernel_size")
    if size is not None:
        oh, ow = _ints(size, 2, "output_size")
    elif (
        isinstance(ratio, (tuple, list))
        and len(ratio) == 2
        and all(type(r) in (int, float) for r in ratio)
    ):  # one number, or a pair of one, fails in torch (len() of a float, index 1)
        oh, ow = int(height * ratio[0]), int(width * ratio[1])
    else:
        raise Unsupported("fractional max pooling without an output size or a ratio pair")
    if min(oh, ow, kh, kw) <= 0 or oh + kh - 1 > height or ow + kw - 1 > width:
        raise Unsupported("a fractional pooling window larger than the input allows")
    shape = (*x._shape[:-2], oh, ow)
    return _new(shape, x.dtype), _new(shape, torch.int64), with_indices


@_register(F.fractional_max_pool2d)
def _fractional_max_pool2d_public(
    args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]
) -> Any:
    """The output, and the indices too when ``return_indices`` is true."""
    out, indices, with_indices = _fractional_max_pool2d(args, kwargs, aten)
    return (out, indices) if with_indices else out


@_register(F.fractional_max_pool2d_with_indices)
def _fractional_max_pool2d_with_indices(
    args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]
) -> Any:
    """Always the pair (output, indices), whatever ``return_indices`` says."""
    out, indices, _ = _fractional_max_pool2d(args, kwargs, aten)
    return out, indices


@_register(F.max_unpool2d)
def _max_unpool2d(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.max_unpool2d: each of the last two axes grows to (size − 1)·stride + kernel −
    2·padding, or to the ``output_size`` given (torch accepts one within a stride of that);
    row-major, as torch makes it on meta."""
    names = ("input", "indices", "kernel_size", "stride", "padding", "output_size")
    x, indices, kernel, stride, padding, size = _bind(
        args, kwargs, names, (_MISSING, _MISSING, _MISSING, None, 0, None)
    )
    x = _float_input(x)
    if type(indices) is not SymTensor or indices.dtype != torch.int64:
        raise Unsupported("max_unpool2d indices that are not an int64 traced tensor")
    if len(x._shape) not in (3, 4) or indices._shape != x._shape:
        raise Unsupported("max_unpool2d of another rank, or indices of another shape")
    k = _ints(kernel, 2, "kernel_size")
    s = k if stride is None else _ints(stride, 2, "stride")
    p = _ints(padding, 2, "padding")
    default = [(n - 1) * s_ + k_ - 2 * p_ for n, k_, s_, p_ in zip(x._shape[-2:], k, s, p)]
    out = default
    if size is not None:
        if not isinstance(size, (tuple, list, torch.Size)) or len(size) not in (2, 4):
            raise Unsupported(f"output_size={size!r}")
        out = list(_ints(tuple(size)[-2:], 2, "output_size"))
        if not all(d - s_ < o < d + s_ for o, d, s_ in zip(out, default, s)):
            raise Unsupported("an output_size torch refuses (more than a stride off)")
    if min(out) < 0:
        raise Unsupported("a negative unpooled size")
    return _new((*x._shape[:-2], *out), x.dtype)
