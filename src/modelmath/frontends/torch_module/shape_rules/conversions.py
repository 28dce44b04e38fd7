"""Conversions between dtypes (and devices): ``to``, ``float``, ``type_as`` and the like.

Shape rules registered into :data:`HANDLERS` (see the package docstring). A conversion
that changes nothing returns its input itself, as torch does (model code may compare
them with ``is``); one that changes the dtype makes a new tensor, laid out as torch's
``_to_copy`` lays it: the input's strides where they are dense, else dense in the
input's axis order (a slice, a broadcast). Every SymTensor lives on the meta device, so a move
to any other device is refused: on meta, torch could not copy the values there either.

>>> import torch
>>> x = SymTensor((2, 3), torch.float16)
>>> _to((x, torch.float32), {}, []).dtype, _to((x, "meta"), {}, []) is x
(torch.float32, True)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    Handler,
    _bind,
    _channels_last,
    _register,
    _sym,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import _iterator_strides
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
    contiguous_strides,
    dense_layout,
)

_DEVICE_TYPES = (str, torch.device, int)
# The layouts a conversion is followed to: the input's (preserved), or row-major.
_MEMORY_FORMATS = (torch.preserve_format, torch.contiguous_format)


def _check_meta(device: Any) -> None:
    """A target device that is the meta device (where every SymTensor is), or none."""
    if device is None:
        return
    if isinstance(device, str) and device == "meta":
        return
    if isinstance(device, torch.device) and device.type == "meta":
        return
    raise Unsupported("a move off the meta device")


def _converted(x: SymTensor, dtype: torch.dtype | None, copy: Any, memory_format: Any) -> SymTensor:
    """``x`` as ``dtype``: ``x`` itself when nothing changes and no copy is asked for, else
    a new tensor with ``x``'s strides (``_to_copy`` with ``preserve_format`` keeps them
    when the layout is dense) or, for another layout, dense in ``x``'s axis order; with
    ``contiguous_format``, a new tensor is row-major."""
    if dtype is not None and (not isinstance(dtype, torch.dtype) or dtype.is_complex):
        raise Unsupported("a conversion to a dtype that is not a real dtype")
    if not isinstance(copy, bool) or memory_format not in _MEMORY_FORMATS:
        raise Unsupported("a conversion with another memory format or copy flag")
    target = x.dtype if dtype is None else dtype
    if target == x.dtype and not copy:
        if memory_format is torch.preserve_format:
            return x
        # to_will_alias: the format asked for is the one torch suggests for x, which is
        # row-major unless x's strides are channels-last-like, whether or not x is
        # row-major (Lara's transposed x.to(torch.float32, memory_format=...) is x)
        if not _channels_last(x._shape, x._stride):
            return x
    if memory_format is torch.contiguous_format:
        return SymTensor(x._shape, target, contiguous_strides(x._shape))
    if 0 in x._shape:
        raise Unsupported("a conversion of an empty tensor")
    if dense_layout(x._shape, x._stride):
        return SymTensor(x._shape, target, x._stride)
    # _to_copy lays out a gapped or broadcast input densely in its axis order
    # (infer_dense_strides: TensorIterator's order for one operand)
    return SymTensor(x._shape, target, _iterator_strides(x._shape, (x,)))


def _to_arguments(rest: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, Any, Any, Any]:
    """Tensor.to's three signatures, ``to(dtype, non_blocking, copy)``, ``to(device,
    dtype, non_blocking, copy)`` and ``to(other, non_blocking, copy)``, read into
    (device, dtype, copy, memory_format)."""
    options = dict(kwargs)
    memory_format = options.pop("memory_format", torch.preserve_format)
    first = rest[0] if rest else None
    if type(first) is SymTensor or isinstance(first, SymTensor):  # first: SymTensors
        names: tuple[str, ...] = ("other", "non_blocking", "copy")  # refuse other tests
    elif isinstance(first, torch.dtype):
        names = ("dtype", "non_blocking", "copy")
    else:
        names = ("device", "dtype", "non_blocking", "copy")
    defaults = [False if n in ("non_blocking", "copy") else None for n in names]
    bound = dict(zip(names, _bind(rest, options, names, defaults)))
    if not isinstance(bound["non_blocking"], bool):
        raise Unsupported("a non_blocking flag that is not a bool")
    other = bound.get("other")
    if other is not None:  # the other tensor's dtype and device (meta, as a SymTensor)
        return other.device, _sym(other).dtype, bound["copy"], memory_format
    device = bound.get("device")
    if device is not None and not isinstance(device, _DEVICE_TYPES):
        raise Unsupported("a device given otherwise")
    return device, bound["dtype"], bound["copy"], memory_format


@_register(torch.Tensor.to)
def _to(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """Tensor.to: the same tensor when dtype and device already match (and no copy is
    asked for), else a converted copy."""
    if not args:
        raise Unsupported("to without a tensor")
    x = _sym(args[0])
    device, dtype, copy, memory_format = _to_arguments(args[1:], kwargs)
    _check_meta(device)
    return _converted(x, dtype, copy, memory_format)


def _cast(dtype: torch.dtype) -> Handler:
    """Tensor.float, .half, .double, ...: ``to(dtype)`` (the same tensor when already of
    that dtype)."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, memory_format = _bind(
            args, kwargs, ("input", "memory_format"), (_MISSING, torch.preserve_format)
        )
        return _converted(_sym(x), dtype, False, memory_format)

    return handler


_CASTS = {
    torch.Tensor.float: torch.float32,
    torch.Tensor.half: torch.float16,
    torch.Tensor.double: torch.float64,
    torch.Tensor.bfloat16: torch.bfloat16,
    torch.Tensor.long: torch.int64,
    torch.Tensor.int: torch.int32,
    torch.Tensor.bool: torch.bool,
}
for _func, _dtype in _CASTS.items():
    HANDLERS[_func] = _cast(_dtype)


@_register(torch.Tensor.type_as)
def _type_as(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """Tensor.type_as: ``to`` the other tensor's dtype (and device: meta here)."""
    x, other = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _converted(_sym(x), _sym(other).dtype, False, torch.preserve_format)


@_register(torch.clone, torch.Tensor.clone)
def _clone(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.clone(input) in the input's layout (preserve_format): its strides where they
    are dense, else dense in its axis order (infer_dense_strides, as ``to`` makes it);
    another memory format, or an empty input, is refused."""
    x, memory_format = _bind(
        args, kwargs, ("input", "memory_format"), (_MISSING, torch.preserve_format)
    )
    return _converted(_sym(x), None, True, memory_format)


@functools.cache
def _type_names() -> dict[torch.dtype, str]:
    """Tensor.type()'s answer without a dtype: torch's name of the tensor type, which names
    the device (a meta float32 tensor is a "torch.meta.FloatTensor"). Asked of torch once,
    at the first such call (not at import: making meta tensors imports torch's meta
    registrations, a quarter of a second)."""
    return {
        dtype: torch.empty(0, dtype=dtype, device="meta").type()
        for dtype in (
            torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64,
            torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool,
        )
    }  # fmt: skip


@_register(torch.Tensor.type)
def _type(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """Tensor.type(): the type's name (a string, "torch.meta.FloatTensor" on meta);
    Tensor.type(dtype): ``to(dtype)``, the tensor itself when already of it. A type
    given by name or class (``"torch.FloatTensor"``) names a device too, the CPU or
    CUDA: a move off meta, refused (torch raises there)."""
    x, dtype, non_blocking = _bind(
        args, kwargs, ("input", "dtype", "non_blocking"), (_MISSING, None, False)
    )
    x = _sym(x)
    if not isinstance(non_blocking, bool):
        raise Unsupported("a non_blocking flag that is not a bool")
    if dtype is None:
        name = _type_names().get(x.dtype)
        if name is None:
            raise Unsupported(f"the type name of a {x.dtype} tensor")
        return name
    if not isinstance(dtype, torch.dtype):
        raise Unsupported("a tensor type given by name or class (a device with it)")
    return _converted(x, dtype, False, torch.preserve_format)
