"""Factories (zeros, ones, empty, full, arange, *_like) on the meta device.

Shape rules registered into :data:`HANDLERS` (see the package docstring).
"""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    Handler,
    _bind,
    _new,
    _register,
    _sym,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import _reference_strides
from modelmath.frontends.torch_module.shape_rules.views import _shape_args
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    known_site,
)

# A tensor made without a device lands on torch's default device, the CPU unless the user
# set another: such a tensor behaves otherwise than a meta one (meta ops refuse it), so
# factories are answered only for the meta device.


# Code of a model zoo, by the end of its file's path and its qualified name, that makes a
# tensor without naming a device only to store it, and moves it to its inputs' device
# before any other use: the meta tracer then holds a meta tensor of the same shape and
# dtype there, which the symbolic trace answers directly. transformers' sliding-window
# cache layer (Mistral, Cohere 2, GPT-OSS, ...) makes torch.tensor(sliding_window) when
# its model builds a cache in forward, and its lazy_initialization moves it to the keys'
# device; nothing in the forward pass reads it in between (only DynamicCache.__iter__, for
# export), and neither trace records the cache a model returns.
_STORED_SITES = {("transformers/cache_utils.py", "DynamicSlidingWindowLayer.__init__"): True}
_OWN_FILES = (__file__.rsplit("shape_rules", 1)[0], torch.__file__.rsplit("__init__", 1)[0])


def _stored_for_a_move() -> bool:
    """Whether the Python code that called the factory is one of :data:`_STORED_SITES`
    (the nearest frame outside modelmath's tracer and torch)."""
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_OWN_FILES):
        frame = frame.f_back
    if frame is None:
        return False
    return known_site(frame.f_code, _STORED_SITES) is not None


def _on_meta(device: Any, stored: bool = False) -> None:
    """Refuses a device other than meta; ``stored``: a tensor made without a device at a
    site of :data:`_STORED_SITES` counts as made on meta."""
    if device is None:
        if stored and _stored_for_a_move():
            return
        device = torch.get_default_device()
    if isinstance(device, str):
        device = torch.device(device) if device == "meta" else None
    if not isinstance(device, torch.device) or device.type != "meta":
        raise Unsupported("a tensor made off the meta device")


def _factory_options(
    options: Mapping[str, Any], default: torch.dtype, *, stored: bool = False
) -> torch.dtype:
    """Checks a factory's keyword options and gives the dtype it makes (``stored``: see
    :func:`_on_meta`)."""
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
    _on_meta(options.get("device"), stored)
    dtype = _PYTHON_DTYPES.get(options.get("dtype"), options.get("dtype"))  # type: ignore[arg-type]
    if dtype is None:
        return default
    if not isinstance(dtype, torch.dtype) or dtype.is_complex:
        raise Unsupported("a factory dtype that is not a real dtype")
    return dtype


# Python's types as dtypes, as torch reads them (Llama 4's masks: dtype=int)
_PYTHON_DTYPES = {int: torch.int64, float: torch.float64, bool: torch.bool}


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


def _drawn_by(generator: Any) -> None:
    """A random factory's generator: none, or a torch.Generator (it draws values only)."""
    if generator is not None and not isinstance(generator, torch.Generator):
        raise Unsupported("a generator that is not a torch.Generator")


def _random(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.rand and torch.randn: made as torch.empty is, of a float dtype (torch refuses
    others). Their values are never read (a traced tensor has none): ViT-MAE's noise is
    only sorted, and the sort's indices only gather rows."""
    options = dict(kwargs)
    _drawn_by(options.pop("generator", None))
    shape = _sizes(args, options)
    dtype = _factory_options(options, torch.get_default_dtype())
    if not dtype.is_floating_point:
        raise Unsupported("random floats of another dtype")
    return _new(shape, dtype)


HANDLERS[torch.rand] = HANDLERS[torch.randn] = _random


@_register(torch.randint)
def _randint(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.randint(high, size) or randint(low, high, size): int64 unless given, made as
    torch.empty is (values never read). Bounds as Python ints, low below high."""
    options = dict(kwargs)
    _drawn_by(options.pop("generator", None))
    names = ("low", "high", "size") if len(args) == 3 or "low" in options else ("high", "size")
    bound = _bind(args, {k: options.pop(k) for k in names if k in options}, names,
                  (0, _MISSING, _MISSING) if len(names) == 3 else (_MISSING, _MISSING))  # fmt: skip
    low, high, size = bound if len(bound) == 3 else (0, *bound)
    if type(low) is not int or type(high) is not int or not low < high:
        raise Unsupported("randint bounds that are not ints, low below high")
    shape = _sizes((size,), {})
    dtype = _factory_options(options, torch.int64)
    if dtype == torch.bool or dtype.is_complex:
        raise Unsupported("random ints of a bool dtype")
    return _new(shape, dtype)


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
    given = {k: kwargs[k] for k in ("start", "end", "step") if k in kwargs}
    kwargs = {k: v for k, v in kwargs.items() if k not in given}
    if len(args) == 1 and not given:
        start, end, step = 0, args[0], 1
    else:  # by position (start, end, step) or keyword (RT-DETR's arange(end=height))
        named = dict(zip(("start", "end", "step"), args))
        if len(args) > 3 or set(named) & set(given) or "end" not in {*named, *given}:
            raise Unsupported("arange bounds given twice, or without an end")
        named.update(given)
        start, end, step = named.get("start", 0), named["end"], named.get("step", 1)
    bounds = (start, end, step)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bounds):
        raise Unsupported("arange bounds that are not numbers")
    floats = any(isinstance(v, float) for v in bounds)
    dtype = _factory_options(kwargs, torch.get_default_dtype() if floats else torch.int64)
    integral = all(float(v).is_integer() for v in bounds if math.isfinite(v))
    if dtype == torch.bool or (floats and not dtype.is_floating_point and not integral):
        # Whole-valued float bounds (XLNet's step of 2.0) count as the integers they are;
        # others are cast by rules of torch's own, not followed.
        raise Unsupported("arange of fractional bounds into an integer dtype")
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
        if fmt is torch.contiguous_format:
            return _new(x._shape, dtype)
        if fmt is not torch.preserve_format:
            raise Unsupported("a tensor made like one in another memory format")
        # preserve_format: the strides torch's references give an element-wise result of
        # the input alone (a dense input's own, a gapped or expanded one's made dense in
        # its axis order); held to torch over 60,000 fuzzed layouts
        return SymTensor(x._shape, dtype, _reference_strides(x._shape, [x._stride]))

    return handler


for _like in (torch.zeros_like, torch.ones_like, torch.empty_like):
    HANDLERS[_like] = _like_factory(fill=False)
HANDLERS[torch.full_like] = _like_factory(fill=True)
_empty_like = HANDLERS[torch.empty_like]


def _random_like(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.rand_like and torch.randn_like: as torch.empty_like, of a float dtype."""
    out = _empty_like(args, kwargs, aten)
    if not out.dtype.is_floating_point:
        raise Unsupported("random floats of another dtype")
    return out


HANDLERS[torch.rand_like] = HANDLERS[torch.randn_like] = _random_like


def _data_dtype(values: Sequence[Any]) -> torch.dtype:
    """The dtype torch.tensor infers for Python numbers: bool when all are bools, int64
    when all are ints (bools among them), else the default float dtype (also for none)."""
    kinds = {type(v) for v in values}
    if not kinds <= {bool, int, float}:
        raise Unsupported("torch.tensor of data that is not Python numbers")
    if kinds == {bool}:
        return torch.bool
    if kinds and kinds <= {bool, int}:
        return torch.int64
    return torch.get_default_dtype()


def _nested(data: Any, values: list[Any], depth: int = 0) -> Shape:
    """The shape of Python data as torch.tensor reads it (lists and tuples, nested to equal
    lengths), its numbers put in ``values``. Ragged data (torch raises) is refused."""
    if not isinstance(data, (list, tuple)):
        values.append(data)
        return ()
    if depth > 8:
        raise Unsupported("data nested too deep")
    inner = [_nested(item, values, depth + 1) for item in data]
    if any(shape != inner[0] for shape in inner[1:]):
        raise Unsupported("ragged data")
    return (len(data), *(inner[0] if inner else ()))


def _tensor(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.tensor(data) and torch.as_tensor(data) of Python numbers: a new tensor of the
    data's shape (a number: 0-d; lists and tuples nested to equal lengths: one axis per
    level, as LW-DETR's list of (height, width) pairs), its dtype inferred from their types
    unless given. Made on the meta device only (as the other factories); tensor data is
    refused (as_tensor would hand it back)."""
    (data,) = _bind(args, {}, ("data",), (_MISSING,))
    if set(kwargs) - {"dtype", "device", "requires_grad", "pin_memory"}:
        raise Unsupported("torch.tensor with another keyword")
    values: list[Any] = []
    shape = _nested(data, values)
    return _new(shape, _factory_options(kwargs, _data_dtype(values), stored=True))


HANDLERS[torch.tensor] = HANDLERS[torch.as_tensor] = _tensor


def _spaced(names: tuple[str, ...], defaults: tuple[Any, ...]) -> Handler:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        """torch.linspace(start, end, steps) and logspace(start, end, steps, base): a
        1-d tensor of ``steps`` values, of the default float dtype unless given. Bounds
        and base as Python numbers (tensors and complex numbers are refused)."""
        options = dict(kwargs)
        bound = _bind(args, {k: options.pop(k) for k in names if k in options}, names, defaults)
        if not all(type(v) in (int, float) for v in (*bound[:2], *bound[3:])):
            raise Unsupported("bounds that are not real Python numbers")
        steps = bound[2]
        if type(steps) is not int or steps < 0:
            raise Unsupported("a number of steps that is not a size")
        dtype = _factory_options(options, torch.get_default_dtype())
        return _new((steps,), dtype)

    return handler


HANDLERS[torch.linspace] = _spaced(("start", "end", "steps"), (_MISSING,) * 3)
HANDLERS[torch.logspace] = _spaced(("start", "end", "steps", "base"), (*(_MISSING,) * 3, 10.0))


def _new_factory(fill: bool) -> Handler:
    """Tensor.new_empty/new_zeros/new_ones(size) and new_full(size, fill_value): a fresh
    row-major tensor on the source tensor's device (meta) in its dtype, unless the
    options give others (checked as the factories' options are). ``size`` is ints or one
    sequence, except for new_full, where torch takes only a sequence."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        if not args:
            raise Unsupported("a new_* factory without a tensor")
        x = _sym(args[0])
        options = dict(kwargs)
        if "memory_format" in options:
            raise Unsupported("a new_* factory with a memory format")  # torch refuses it
        rest: Sequence[Any] = args[1:]
        if fill:
            if "fill_value" in options:
                rest = (*rest, options.pop("fill_value"))
            if "size" in options:
                rest = (options.pop("size"), *rest)
            if len(rest) != 2 or not isinstance(rest[0], (tuple, list, torch.Size)):
                raise Unsupported("new_full without one sequence of sizes and a value")
            _scalar_dtype(rest[1])
            rest = rest[:1]
        shape = _sizes(rest, options)
        if options.get("device") is None:
            options["device"] = x.device
        return _new(shape, _factory_options(options, x.dtype))

    return handler


for _new_func in (torch.Tensor.new_empty, torch.Tensor.new_zeros, torch.Tensor.new_ones):
    HANDLERS[_new_func] = _new_factory(fill=False)
HANDLERS[torch.Tensor.new_full] = _new_factory(fill=True)
