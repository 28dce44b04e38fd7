"""Linear layers and matrix products, with the contractions torch dispatches.

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
    _broadcast,
    _new,
    _prod,
    _register,
    _sym,
)
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
    is_contiguous,
)


@_register(F.linear)
def _linear(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, w, b = _bind(args, kwargs, ("input", "weight", "bias"), (_MISSING, _MISSING, None))
    x, w = _sym(x), _sym(w)
    if w.dim() != 2 or x.dim() < 1 or x._shape[-1] != w._shape[1] or x.dtype != w.dtype:
        raise Unsupported("linear of mismatched sizes or dtypes")
    if b is not None and (_sym(b)._shape != (w._shape[0],) or b.dtype != x.dtype):
        raise Unsupported("linear bias of another size")
    if not x.dtype.is_floating_point or 0 in x._shape or 0 in w._shape:
        raise Unsupported("linear of a non-float or empty input")
    rows = _prod(x._shape[:-1])
    k, n = w._shape[1], w._shape[0]
    fused = b is not None and (x.dim() <= 2 or is_contiguous(x._shape, x._stride))
    if fused or x.dim() <= 2:
        aten.append(AtenOp("addmm" if fused else "mm", ((rows, k), (k, n)), (rows, n)))
        return _new((*x._shape[:-1], n), x.dtype)
    # Otherwise torch runs matmul(x, weight.t()), the bias added in place: one mm of the
    # folded rows, or a bmm where matmul does not fold them (a frozen weight, SAM 2's).
    transposed = SymTensor((k, n), w.dtype, w._stride[::-1], w.requires_grad)
    return _matmul_of(x, transposed, aten)


@_register(torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__)
def _matmul(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _matmul_of(_sym(a), _sym(b), aten)


@_register(torch.Tensor.__rmatmul__)
def _rmatmul(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = _bind(args, kwargs, ("input", "other"), (_MISSING, _MISSING))
    return _matmul_of(_sym(b), _sym(a), aten)


def _matmul_of(a: SymTensor, b: SymTensor, aten: list[AtenOp]) -> SymTensor:
    if a.dtype != b.dtype or not a.dtype.is_floating_point:
        raise Unsupported("matmul of mixed or non-float dtypes")
    if a.dim() < 2 or b.dim() < 2 or a._shape[-1] != b._shape[-2]:
        raise Unsupported("matmul of vectors or mismatched sizes")
    if 0 in a._shape or 0 in b._shape:
        raise Unsupported("matmul of an empty tensor")
    n, k, p = a._shape[-2], a._shape[-1], b._shape[-1]
    if a.dim() == 2 and b.dim() == 2:
        aten.append(AtenOp("mm", ((n, k), (k, p)), (n, p)))
        return _new((n, p), a.dtype)
    if _folds(a, b):
        if a.dim() >= b.dim():  # the left operand's leading axes folded into its rows
            rows = _prod(a._shape[:-1])
            aten.append(AtenOp("mm", ((rows, k), (k, p)), (rows, p)))
            return _new((*a._shape[:-1], p), a.dtype)
        # A matrix times a batch: (bᵀ folded) · aᵀ, transposed back into a new tensor.
        rows = _prod(b._shape[:-2]) * p
        aten.append(AtenOp("mm", ((rows, k), (k, n)), (rows, n)))
        return _new((*b._shape[:-2], n, p), a.dtype)
    batch = _broadcast(a._shape[:-2], b._shape[:-2])
    size = _prod(batch)
    aten.append(AtenOp("bmm", ((size, n, k), (size, k, p)), (size, n, p)))
    return _new((*batch, n, p), a.dtype)


def _folds(a: SymTensor, b: SymTensor) -> bool:
    """ATen's ``should_fold`` for matmul: one operand of 3 or more axes and the other a
    matrix are done as one mm, the larger's leading axes folded into rows, when the
    matrix requires grad (its gradient then stays small), or when the larger is the left
    operand and folds without a copy (its leading axes laid out one after the other)."""
    left_larger = a.dim() >= b.dim()
    big, small = (a, b) if left_larger else (b, a)
    if not (big.dim() >= 3 and small.dim() <= 2):
        return False
    if small.requires_grad:
        return True
    if a.dim() == 2:  # the transposed product would have to be copied back
        return False
    shape, stride = big._shape, big._stride
    return all(stride[i] == stride[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


@_register(torch.mm, torch.Tensor.mm)
def _mm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = (_sym(v) for v in _bind(args, kwargs, ("input", "mat2"), (_MISSING, _MISSING)))
    if a.dim() != 2 or b.dim() != 2:
        raise Unsupported("mm of tensors that are not matrices")
    return _matmul_of(a, b, aten)


@_register(torch.bmm, torch.Tensor.bmm)
def _bmm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b = (_sym(v) for v in _bind(args, kwargs, ("input", "mat2"), (_MISSING, _MISSING)))
    if a.dim() != 3 or b.dim() != 3 or a._shape[0] != b._shape[0]:
        raise Unsupported("bmm of tensors that are not batches of matrices")
    return _matmul_of(a, b, aten)


def _added_product(op: str, names: tuple[str, ...], rank: int) -> Handler:
    """``beta·input + alpha·(a @ b)`` as one ``op`` (addmm of matrices, baddbmm of batches
    of them): the input broadcast to the product's shape, a new row-major tensor."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bias, a, b, beta, alpha = _bind(args, kwargs, names, (_MISSING,) * 3 + (1, 1))
        bias, a, b = _sym(bias), _sym(a), _sym(b)
        if type(beta) not in (int, float) or type(alpha) not in (int, float):
            raise Unsupported(f"{op} with a beta or alpha that is not a number")
        if (
            a.dim() != rank or b.dim() != rank
            or a._shape[:-2] != b._shape[:-2] or a._shape[-1] != b._shape[-2]
        ):  # fmt: skip
            raise Unsupported(f"{op} of tensors that are not matching matrices")
        if not a.dtype.is_floating_point or not a.dtype == b.dtype == bias.dtype:
            raise Unsupported(f"{op} of mixed or non-float dtypes")
        if 0 in a._shape or 0 in b._shape:
            raise Unsupported(f"{op} of an empty matrix")
        out = (*a._shape[:-1], b._shape[-1])
        if bias.dim() > rank or _broadcast(bias._shape, out) != out:
            raise Unsupported(f"{op} with an input that does not broadcast to the product")
        aten.append(AtenOp(op, (a._shape, b._shape), out))
        return _new(out, a.dtype)

    return handler


# GPT-2's Conv1D adds its bias by addmm; BLOOM makes its ALiBi scores by baddbmm.
HANDLERS[torch.addmm] = HANDLERS[torch.Tensor.addmm] = _added_product(
    "addmm", ("input", "mat1", "mat2", "beta", "alpha"), 2
)
HANDLERS[torch.baddbmm] = HANDLERS[torch.Tensor.baddbmm] = _added_product(
    "baddbmm", ("input", "batch1", "batch2", "beta", "alpha"), 3
)
