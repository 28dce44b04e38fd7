"""Point-wise math: powers, roots, exponentials and logarithms, trigonometry, absolute
values, comparisons, ``where`` and element-wise minima and maxima.

Shape rules registered into :data:`HANDLERS` (see the package docstring). Each result has
its operands' broadcast shape, laid out as torch lays it on meta, where these ops run its
Python references (``torch._refs``; see ``elementwise._reference_strides``); the dtype
follows torch's type promotion where it is the simple case (tensors of one dtype and
Python numbers); any other mix is refused.

>>> import torch
>>> x = SymTensor((2, 3), torch.float16)
>>> _power((x, 2), {}, []).dtype, _compare((x, 0.5), {}, []).dtype
(torch.float16, torch.bool)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    _bind,
    _broadcast,
    _register,
    _sym,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import (
    _HALF,
    _all_converted,
    _elementwise,
    _expanded,
    _iter_like,
    _reference_layout,
    _reference_strides,
    _result_dtype,
)
from modelmath.frontends.torch_module.shape_rules.views import _reduced
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    contiguous_strides,
)

_NUMBERS = (bool, int, float)


def _is_sym(x: Any) -> bool:
    return type(x) is SymTensor or isinstance(x, SymTensor)


def _layout(tensors: Sequence[SymTensor]) -> tuple[Shape, Shape]:
    """The broadcast shape of ``tensors`` and the strides torch's reference kernels give a
    result of it (see :func:`_reference_layout`)."""
    shape: Shape = ()
    for t in tensors:
        shape = _broadcast(shape, t._shape)
    return shape, _reference_layout(shape, tensors)


# -- unary float functions ------------------------------------------------------------

_FLOAT_UNARY = (
    "rsqrt", "sqrt", "exp", "exp2", "log", "log1p", "log2", "log10", "expm1", "cos", "sin",
    "tan", "acos", "asin", "atan", "cosh", "sinh", "acosh", "asinh", "atanh", "erf", "erfc",
    "erfinv", "lgamma", "digamma", "i0", "sinc", "deg2rad", "rad2deg", "frac", "reciprocal",
    "floor", "ceil", "trunc",
)  # fmt: skip


def _float_unary(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.rsqrt, exp, log, cos, sin, floor, ...: a result of the input's shape and float
    dtype (an integer input would be promoted to the default float dtype, or copied by
    floor and its kin: refused here)."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if not x.dtype.is_floating_point:
        raise Unsupported("a float function of a non-float tensor")
    return _iter_like(x)


for _name in _FLOAT_UNARY:
    HANDLERS[getattr(torch, _name)] = HANDLERS[getattr(torch.Tensor, _name)] = _float_unary


@_register(torch.sinc, torch.Tensor.sinc)
def _sinc(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.sinc, as torch's reference runs it: ``a = pi * x``, then ``where(a == 0, 1,
    sin(a) / a)``, each step by its own rule (as one unary op, it answered some inputs
    with axes of size 1 wrong: the layout fuzz). Half precision, computed in float32 and
    cast back, is laid out as the other unary float functions say (odd such inputs
    refused)."""
    result = _float_unary(args, kwargs, aten)  # its checks, and the half-precision answer
    if result.dtype in _HALF:
        return result
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    a = HANDLERS[torch.mul]((x, math.pi), {}, aten)
    ratio = HANDLERS[torch.div]((HANDLERS[torch.sin]((a,), {}, aten), a), {}, aten)
    return _where_of(HANDLERS[torch.eq]((a, 0), {}, aten), 1, ratio)


@_register(torch.abs, torch.Tensor.abs, torch.Tensor.__abs__)
def _abs(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.abs: the input's shape and dtype (torch refuses a bool tensor)."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if x.dtype == torch.bool or x.dtype.is_complex:
        raise Unsupported("abs of a bool or complex tensor")
    return _iter_like(x)


# -- powers -----------------------------------------------------------------------------


def _power_of(base: Any, exponent: Any) -> SymTensor:
    """base ** exponent for a tensor and a number (either way round) or two tensors (of
    different dtypes, promoted: see _result_dtype). An integer tensor to a negative
    integer is refused, as torch refuses it."""
    dtype = _result_dtype((base, exponent))
    if dtype == torch.bool or dtype.is_complex:
        raise Unsupported("a power of bool or complex tensors")
    if _is_sym(base) and _is_sym(exponent):
        return _elementwise((base, exponent))
    if not dtype.is_floating_point and not _is_sym(exponent) and exponent < 0:
        raise Unsupported("an integer tensor to a negative power")
    return _iter_like(_sym(base if _is_sym(base) else exponent), dtype)


@_register(torch.pow, torch.Tensor.pow, torch.Tensor.__pow__)
def _power(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.pow(input, exponent): either may be a Python number (not both)."""
    base, exponent = _bind(args, kwargs, ("input", "exponent"), (_MISSING, _MISSING))
    return _power_of(base, exponent)


@_register(torch.square, torch.Tensor.square)
def _square(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.square(input): torch.pow(input, 2), which torch itself calls."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    return _power_of(_sym(x), 2)


@_register(torch.Tensor.__rpow__)
def _rpower(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``number ** tensor``: torch.pow(number, tensor)."""
    exponent, base = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _power_of(base, exponent)


# -- comparisons --------------------------------------------------------------------------


def _compare(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.eq, ne, lt, le, gt, ge: a bool tensor of the operands' broadcast shape. Two
    tensors of different dtypes are compared in their promoted dtype, as torch's reference
    does: the other one converted first, which lays the result out (CPM-Ant's int mask
    against a float one)."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    tensors = [t for t in (a, b) if _is_sym(t)]
    if not tensors:
        raise Unsupported("a comparison of no tensor")
    for v in (a, b):
        if not _is_sym(v) and type(v) not in _NUMBERS:
            raise Unsupported(f"a comparison with a {type(v).__name__}")
    if any(t.dtype.is_complex for t in tensors):
        raise Unsupported("a comparison of complex tensors")
    if len({t.dtype for t in tensors}) != 1:
        tensors = _all_converted(tensors, _result_dtype(tensors))
    shape, strides = _layout(tensors)
    return SymTensor(shape, torch.bool, strides)


for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    for _func in (getattr(torch, _name), getattr(torch.Tensor, _name)):
        HANDLERS[_func] = _compare
    HANDLERS[getattr(torch.Tensor, f"__{_name}__")] = _compare


# -- selections ------------------------------------------------------------------------


def _numbers_dtype(values: Sequence[Any]) -> torch.dtype:
    """torch's result dtype of Python numbers alone (each a wrapped 0-d tensor): the
    default float dtype if one is a float, else int64 if one is an int, else bool."""
    kinds = {type(v) for v in values}
    if not kinds <= set(_NUMBERS):
        raise Unsupported("an operand that is not a tensor or a Python number")
    if float in kinds:
        return torch.get_default_dtype()
    return torch.int64 if int in kinds else torch.bool


def _where_of(condition: Any, x: Any, y: Any) -> SymTensor:
    """torch.where(condition, x, y): the three broadcast together, in the dtype of x and y
    (promoted as torch promotes a tensor with a Python number, two numbers, or two
    tensors of different real dtypes: see _result_dtype).

    On meta, where runs torch's Python reference (``torch._refs.where``), not
    TensorIterator: each operand is expanded to the result's shape (a number becomes a
    0-d tensor first) and the result laid out as :func:`_reference_strides` says."""
    cond = _sym(condition)
    if cond.dtype != torch.bool:
        raise Unsupported("where with a condition that is not a bool tensor")
    numbers = not (_is_sym(x) or _is_sym(y))
    dtype = _numbers_dtype((x, y)) if numbers else _result_dtype((x, y))
    shape: Shape = ()
    for t in (cond, x, y):
        if _is_sym(t):
            shape = _broadcast(shape, t._shape)
    number = SymTensor((), dtype)
    # An operand of another dtype is converted to the result's first (the reference's
    # type promotion), which lays out some inputs anew (the layout fuzz: a half (2, 1, 1)
    # of strides (4, 8, 2) beside a float32 other): by the conversion's own rule.
    operands = [cond] + [
        (t if t.dtype == dtype else HANDLERS[torch.Tensor.to]((t, dtype), {}, []))
        if _is_sym(t) else number
        for t in (x, y)
    ]  # fmt: skip
    strides = [_expanded(t, shape) for t in operands]
    return SymTensor(shape, dtype, _reference_strides(shape, strides))


@_register(torch.where)
def _where(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.where(condition, input, other). torch.where(condition) alone is nonzero (its
    shape depends on the values): refused, and so are keywords (the overloads name the
    number slot ``self``)."""
    if kwargs or len(args) != 3:
        raise Unsupported("where without three positional operands")
    return _where_of(*args)


@_register(torch.Tensor.where)
def _where_method(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """x.where(condition, y): torch.where(condition, x, y)."""
    x, cond, y = _bind(args, kwargs, ("input", "condition", "other"), (_MISSING,) * 3)
    return _where_of(cond, _sym(x), y)


@_register(torch.clamp, torch.clip, torch.Tensor.clamp, torch.Tensor.clip)
def _clamp(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.clamp(input, min, max) by numbers: the input's shape, its dtype (a float bound
    on an integer tensor promotes it). On meta, torch's Python reference runs it as a
    where per bound, ``where(ge(a, min) | isnan(a), a, min)`` (isnan being ``ne(a, a)``),
    and so it is laid out here, by those steps' own rules: the ``|`` of two bool tensors
    lays out axes of size 1 its own way (the layout fuzz found a lower bound alone answered
    wrong when that step was skipped). Tensor bounds, and inputs broadcast along an axis,
    are refused."""
    x, low, high = _bind(args, kwargs, ("input", "min", "max"), (_MISSING, None, None))
    x = _sym(x)
    bounds = [b for b in (low, high) if b is not None]
    if not bounds or any(type(b) not in (int, float) for b in bounds):
        raise Unsupported("clamp without bounds, or by tensors")
    if x.dtype == torch.bool or x.dtype.is_complex:
        raise Unsupported("clamp of a bool or complex tensor")
    dtype = _result_dtype((x, *bounds))
    if any(st == 0 and size > 1 for size, st in zip(x._shape, x._stride)):
        raise Unsupported("clamp of a broadcast input")
    result = x
    for bound, compare in ((low, torch.ge), (high, torch.le)):
        if bound is not None:
            within = HANDLERS[compare]((result, bound), {}, aten)
            nan = HANDLERS[torch.ne]((result, result), {}, aten)
            condition = HANDLERS[torch.bitwise_or]((within, nan), {}, aten)
            result = HANDLERS[torch.where]((condition, result, bound), {}, aten)
    return SymTensor(x._shape, dtype, result._stride)


@_register(torch.clamp_min, torch.Tensor.clamp_min)
def _clamp_min(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.clamp_min(input, min): clamp with the lower bound only, as torch's reference
    runs it."""
    x, low = _bind(args, kwargs, ("input", "min"), (_MISSING, _MISSING))
    if low is None:
        raise Unsupported("clamp_min without a bound")
    return _clamp((x, low, None), {}, aten)


@_register(torch.clamp_max, torch.Tensor.clamp_max)
def _clamp_max(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.clamp_max(input, max): clamp with the upper bound only."""
    x, high = _bind(args, kwargs, ("input", "max"), (_MISSING, _MISSING))
    if high is None:
        raise Unsupported("clamp_max without a bound")
    return _clamp((x, None, high), {}, aten)


def _extremum(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.minimum/maximum, and torch.min/max of two tensors: the element-wise extremum,
    of the operands' broadcast shape and (shared) dtype."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    a, b = _sym(a), _sym(b)
    if a.dtype != b.dtype or a.dtype.is_complex:
        raise Unsupported("an extremum of tensors of different dtypes")
    return _elementwise((a, b))


def _min_or_max(kind: Any) -> Any:
    """torch.min/max: of two tensors, element-wise (:func:`_extremum`); of one, over all
    its elements (a 0-d tensor), or along ``dim``: the values and their int64 indices,
    both new row-major tensors of the reduced shape (torch's return type ``kind``)."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        if "other" in kwargs or (len(args) > 1 and _is_sym(args[1])):
            return _extremum(args, kwargs, aten)
        x, dim, keepdim = _bind(args, kwargs, ("input", "dim", "keepdim"), (_MISSING, None, False))
        x = _sym(x)
        if x.dtype.is_complex or 0 in x._shape or not x._shape:
            raise Unsupported("min or max of a complex, empty or 0-d tensor")
        if dim is None:
            if "keepdim" in kwargs or len(args) > 2:
                raise Unsupported("min or max over all elements with keepdim")
            return SymTensor((), x.dtype)
        if type(dim) is not int:
            raise Unsupported("min or max along a dim that is not an int")
        values = _reduced(x, dim, keepdim)[0]
        return kind((values, SymTensor(values._shape, torch.int64)))

    return handler


for _name in ("minimum", "maximum"):
    HANDLERS[getattr(torch, _name)] = HANDLERS[getattr(torch.Tensor, _name)] = _extremum
for _name in ("min", "max"):
    _handler = _min_or_max(getattr(torch.return_types, _name))
    HANDLERS[getattr(torch, _name)] = HANDLERS[getattr(torch.Tensor, _name)] = _handler


# -- bitwise and logical ----------------------------------------------------------------


def _bitwise_of(a: Any, b: Any) -> SymTensor:
    """torch.bitwise_and/or/xor (``&``, ``|``, ``^``) of bool or integer operands: one
    dtype (a Python bool with a bool tensor, an int or bool with an integer tensor), laid
    out as the other element-wise references lay their results."""
    if not (_is_sym(a) or _is_sym(b)):
        raise Unsupported("a bitwise op without a traced tensor")
    for v in (a, b):
        if not _is_sym(v) and type(v) not in (bool, int):
            raise Unsupported(f"a bitwise op with a {type(v).__name__}")
    out = _elementwise((a, b))
    if out.dtype.is_floating_point or out.dtype.is_complex:
        raise Unsupported("a bitwise op on float tensors")
    return out


def _bitwise(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _bitwise_of(a, b)


def _bitwise_reflected(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``number & tensor``: bitwise_and(tensor, number), the tensor leading."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _bitwise_of(_sym(a), b)


def _bitwise_inplace(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``x &= y``: ``x`` itself, when the result keeps its shape and dtype."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    target = _sym(a)
    out = _bitwise_of(target, b)
    if out._shape != target._shape or out.dtype != target.dtype:
        raise Unsupported("an in-place op that would change the tensor")
    if any(st == 0 and size > 1 for size, st in zip(target._shape, target._stride)):
        raise Unsupported("an in-place op on an expanded tensor")
    return target


for _name in ("and", "or", "xor"):
    for _func in (
        getattr(torch, f"bitwise_{_name}"),
        getattr(torch.Tensor, f"bitwise_{_name}"),
        getattr(torch.Tensor, f"__{_name}__"),
    ):
        HANDLERS[_func] = _bitwise
    HANDLERS[getattr(torch.Tensor, f"__r{_name}__")] = _bitwise_reflected
    HANDLERS[getattr(torch.Tensor, f"__i{_name}__")] = _bitwise_inplace


@_register(torch.logical_and, torch.Tensor.logical_and, torch.logical_or, torch.Tensor.logical_or)
def _logical(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.logical_and/or(input, other) of two tensors: a bool tensor of their broadcast
    shape. torch's reference makes any other operand bool first: followed for one laid
    out exactly row-major (LongT5's integer masks), whose bool copy is laid out alike."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    a, b = _sym(a), _sym(b)
    for t in (a, b):
        if t.dtype != torch.bool and (
            t.dtype.is_complex or t._stride != contiguous_strides(t._shape)
        ):
            raise Unsupported("a logical op on tensors that are not bool, not row-major")
    shape, strides = _layout([a, b])
    return SymTensor(shape, torch.bool, strides)


@_register(torch.logical_not, torch.Tensor.logical_not)
def _logical_not(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if x.dtype.is_complex:
        raise Unsupported("a logical op on complex tensors")
    # As torch's reference runs it, by those steps' own rules: ``a == 0``, or ``~a`` of a
    # bool tensor (a half input, which that comparison lays out its own way, was answered
    # wrong as a plain unary op: the layout fuzz)
    if x.dtype == torch.bool:
        return HANDLERS[torch.bitwise_not]((x,), {}, aten)
    return HANDLERS[torch.eq]((x, 0), {}, aten)


@_register(torch.bitwise_not, torch.Tensor.bitwise_not, torch.Tensor.__invert__)
def _bitwise_not(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if x.dtype.is_floating_point or x.dtype.is_complex:
        raise Unsupported("a bitwise op on float tensors")
    return _iter_like(x)


# -- complex numbers ----------------------------------------------------------------------

_COMPLEX_OF = {torch.float32: torch.complex64, torch.float64: torch.complex128}


def _complex_from_parts(names: tuple[str, str]) -> Any:
    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        """torch.polar(abs, angle) and torch.complex(real, imag): the complex tensor of
        their broadcast shape, laid out as torch's meta kernel lays it out (both parts
        converted to the complex dtype, then an element-wise result of the two). Parts of
        float32 or float64, the same for both (torch refuses two dtypes on the CPU)."""
        a, b = _bind(args, kwargs, names, (_MISSING, _MISSING))
        if not (_is_sym(a) and _is_sym(b)):
            raise Unsupported("a complex number of other than two tensors")
        a, b = _sym(a), _sym(b)
        dtype = _COMPLEX_OF.get(a.dtype)
        if dtype is None or b.dtype != a.dtype:
            raise Unsupported("a complex tensor of parts other than float32 or float64 alike")
        return _elementwise((a, b), dtype)

    return handler


HANDLERS[torch.polar] = _complex_from_parts(("abs", "angle"))
HANDLERS[torch.complex] = _complex_from_parts(("real", "imag"))
