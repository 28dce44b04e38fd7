"""Point-wise math: powers, roots, exponentials and logarithms, trigonometry, absolute
values, comparisons, ``where`` and element-wise minima and maxima.

Shape rules registered into :data:`HANDLERS` (see the package docstring). Each result has
its operands' broadcast shape, laid out as torch's TensorIterator lays it; the dtype
follows torch's type promotion where it is the simple case (tensors of one dtype and
Python numbers); any other mix is refused.

>>> import torch
>>> x = SymTensor((2, 3), torch.float16)
>>> _power((x, 2), {}, []).dtype, _compare((x, 0.5), {}, []).dtype
(torch.float16, torch.bool)
"""

from __future__ import annotations

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
    _elementwise,
    _iter_like,
    _iterator_strides,
    _result_dtype,
)
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    contiguous_strides,
    is_contiguous,
)

_NUMBERS = (bool, int, float)


def _is_sym(x: Any) -> bool:
    return type(x) is SymTensor or isinstance(x, SymTensor)


def _layout(tensors: Sequence[SymTensor]) -> tuple[Shape, Shape]:
    """The broadcast shape of ``tensors`` and the strides TensorIterator gives a result of
    it (row-major when every operand is contiguous and of that shape; else in the
    operands' axis order)."""
    shape: Shape = ()
    for t in tensors:
        shape = _broadcast(shape, t._shape)
    if all(t._shape == shape and is_contiguous(t._shape, t._stride) for t in tensors):
        return shape, contiguous_strides(shape)
    return shape, _iterator_strides(shape, tensors)


# -- unary float functions ------------------------------------------------------------

_FLOAT_UNARY = (
    "rsqrt", "sqrt", "exp", "log", "log1p", "expm1", "cos", "sin", "tan", "erf", "reciprocal",
)  # fmt: skip


def _float_unary(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.rsqrt, exp, log, cos, sin, ...: a result of the input's shape and float
    dtype (an integer input would be promoted to the default float dtype: refused here)."""
    (x,) = _bind(args, kwargs, ("input",), (_MISSING,))
    x = _sym(x)
    if not x.dtype.is_floating_point:
        raise Unsupported("a float function of a non-float tensor")
    return _iter_like(x)


for _name in _FLOAT_UNARY:
    HANDLERS[getattr(torch, _name)] = HANDLERS[getattr(torch.Tensor, _name)] = _float_unary


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
    """base ** exponent for a tensor and a number (either way round) or two tensors of one
    dtype. An integer tensor to a negative integer is refused, as torch refuses it."""
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


@_register(torch.Tensor.__rpow__)
def _rpower(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``number ** tensor``: torch.pow(number, tensor)."""
    exponent, base = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _power_of(base, exponent)


# -- comparisons --------------------------------------------------------------------------


def _compare(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.eq, ne, lt, le, gt, ge: a bool tensor of the operands' broadcast shape. Tensors
    of different dtypes are compared in a promoted dtype: refused here as not followed."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    tensors = [t for t in (a, b) if _is_sym(t)]
    if not tensors or len({t.dtype for t in tensors}) != 1:
        raise Unsupported("a comparison of tensors of different dtypes")
    for v in (a, b):
        if not _is_sym(v) and type(v) not in _NUMBERS:
            raise Unsupported(f"a comparison with a {type(v).__name__}")
    if tensors[0].dtype.is_complex:
        raise Unsupported("a comparison of complex tensors")
    shape, strides = _layout(tensors)
    return SymTensor(shape, torch.bool, strides)


for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    for _func in (getattr(torch, _name), getattr(torch.Tensor, _name)):
        HANDLERS[_func] = _compare
    HANDLERS[getattr(torch.Tensor, f"__{_name}__")] = _compare


# -- selections ------------------------------------------------------------------------


def _where_of(condition: Any, x: Any, y: Any) -> SymTensor:
    """torch.where(condition, x, y): the three broadcast together, in the dtype of x and y
    (promoted as torch promotes a tensor with a Python number)."""
    cond = _sym(condition)
    if cond.dtype != torch.bool:
        raise Unsupported("where with a condition that is not a bool tensor")
    dtype = _result_dtype((x, y))
    shape, strides = _layout([t for t in (cond, x, y) if _is_sym(t)])
    return SymTensor(shape, dtype, strides)


# torch.where itself has no rule yet: called as torch.where(condition, x, number) with a
# SymTensor, torch's argument parser tries the overload whose ``self`` is a Scalar and
# reads the SymTensor as a real tensor (it claims to be one): the process crashes before
# any rule could answer. Without a rule, a model's first torch.where refuses the symbolic
# trace instead of letting it go on to such a call. The method form is safe (it reaches
# the trace without torch's parser).


@_register(torch.Tensor.where)
def _where_method(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """x.where(condition, y): torch.where(condition, x, y)."""
    x, cond, y = _bind(args, kwargs, ("input", "condition", "other"), (_MISSING,) * 3)
    return _where_of(cond, x, y)


def _extremum(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.minimum/maximum, and torch.min/max of two tensors: the element-wise extremum,
    of the operands' broadcast shape and (shared) dtype. torch.min/max of one tensor (a
    reduction, or values and indices along a dim) is another operation: refused."""
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    a, b = _sym(a), _sym(b)
    if a.dtype != b.dtype or a.dtype.is_complex:
        raise Unsupported("an extremum of tensors of different dtypes")
    return _elementwise((a, b))


for _name in ("minimum", "maximum", "min", "max"):
    HANDLERS[getattr(torch, _name)] = HANDLERS[getattr(torch.Tensor, _name)] = _extremum
