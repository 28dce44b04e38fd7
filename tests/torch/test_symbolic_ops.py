"""Each shape rule of the fast tracer answers as torch does on the meta device.

For every case the operation runs twice: on meta tensors by torch itself (with the
contractions it dispatches recorded, as the general tracer records them), and on
SymTensors of the same shapes, strides and dtypes by the rule. The rule must give the
same shapes, strides and dtypes and the same contractions, or refuse the case
(``Unsupported``); where torch raises, the rule must refuse. Cases marked ``must`` are
ones the fast tracer exists for: refusing them fails the test too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules import HANDLERS
from modelmath.frontends.torch_module.symbolic import SymParameter, SymTensor, Unsupported
from modelmath.frontends.torch_module.tracer import _CONTRACTIONS


class _Contractions(TorchDispatchMode):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.ops: list[AtenOp] = []

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        if name in _CONTRACTIONS:
            a, b = _CONTRACTIONS[name]
            config = {}
            if name in ("convolution", "_convolution"):
                config = {"transposed": bool(args[6]), "groups": int(args[8])}
            self.ops.append(
                AtenOp(name, (tuple(args[a].shape), tuple(args[b].shape)), tuple(out.shape), config)
            )
        return out


def meta(
    *shape: int,
    dtype: torch.dtype = torch.float32,
    order: Sequence[int] | None = None,
    param: bool = False,
) -> torch.Tensor:
    """A meta tensor of ``shape``; with ``order``, laid out in that axis order (a permuted
    contiguous tensor, so its strides are not row-major)."""
    if order is None:
        t = torch.empty(shape, dtype=dtype, device="meta")
    else:
        base = torch.empty([shape[i] for i in order], dtype=dtype, device="meta")
        t = base.permute(*[order.index(i) for i in range(len(shape))])
    return torch.nn.Parameter(t, requires_grad=True) if param else t


def _sym(obj: Any, memo: dict[int, SymTensor] | None = None) -> Any:
    """``obj`` with each meta tensor replaced by a SymTensor of its metadata; one tensor
    passed twice becomes one SymTensor (rules may branch on ``q is k``, as torch does)."""
    memo = {} if memo is None else memo
    if isinstance(obj, torch.Tensor):
        found = memo.get(id(obj))
        if found is None:
            kind = SymParameter if isinstance(obj, torch.nn.Parameter) else SymTensor
            found = memo[id(obj)] = kind(
                obj.shape, obj.dtype, obj.stride(), requires_grad=obj.requires_grad
            )
        return found
    if isinstance(obj, (list, tuple)):
        return type(obj)(_sym(v, memo) for v in obj)
    return obj


def _describe(obj: Any) -> Any:
    if isinstance(obj, SymTensor):
        return (tuple(obj._shape), tuple(obj._stride), obj.dtype, obj.device.type,
                obj.requires_grad)  # fmt: skip
    if isinstance(obj, torch.Tensor):  # a factory may make it off the meta device
        return (tuple(obj.shape), tuple(obj.stride()), obj.dtype, obj.device.type,
                obj.requires_grad)  # fmt: skip
    if isinstance(obj, (list, tuple)):
        return type(obj)(_describe(v) for v in obj)
    return obj


Case = tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any], bool]


def _cases() -> Iterator[Case]:
    def c(func: Any, *args: Any, must: bool = True, **kwargs: Any) -> Case:
        label = f"{getattr(func, '__name__', func)}{tuple(_describe(a) for a in args)}{kwargs}"
        return label, func, args, kwargs, must

    w = meta(8, 3, 3, 3, param=True)
    b8 = meta(8, param=True)
    # convolution
    for stride, padding, dilation in [
        (1, 0, 1),
        (2, 1, 1),
        ((2, 1), (1, 2), 1),
        (1, 2, 2),
        (1, "same", 1),
        (1, "valid", 1),
        (3, 0, 1),
    ]:
        yield c(torch.conv2d, meta(2, 3, 17, 16), w, b8, stride, padding, dilation)
    yield c(torch.conv2d, meta(1, 6, 9, 9), meta(8, 3, 3, 3), None, 1, 1, 1, 2)
    yield c(torch.conv2d, meta(1, 6, 9, 9), meta(6, 1, 3, 3), None, 1, 1, 1, 6)
    yield c(torch.conv2d, meta(1, 4, 9, 9), w, must=False)  # wrong channels: torch raises
    yield c(torch.conv2d, meta(1, 3, 2, 2), w, must=False)  # kernel larger than input
    # any input layout: torch's meta kernel lays the output out row-major (ConvNeXt's
    # channels-last input); an even kernel's 'same' padding pads the input on the right
    # first, and the convolution sees the padded input (LASR's)
    for t in (meta(1, 3, 9, 9, order=(0, 2, 3, 1)), meta(2, 3, 9, 18)[..., ::2],
              meta(2, 3, 9, 9).transpose(2, 3)):  # fmt: skip
        yield c(torch.conv2d, t, w)
        yield c(torch.conv2d, t, meta(6, 1, 3, 3), None, 1, 1, 1, 3)
        yield c(torch.conv_transpose2d, t, meta(3, 4, 3, 3), None, 2)
        yield c(torch.conv2d, t, meta(8, 3, 2, 2), None, 1, "same")
        yield c(torch.conv2d, t, meta(8, 3, 4, 3), None, 1, "same", (1, 2))
        yield c(torch.conv2d, t, w, None, 1, "same", 2)
    yield c(torch.conv1d, meta(2, 4, 50).transpose(1, 2).transpose(1, 2), meta(6, 4, 5))
    yield c(torch.conv1d, meta(2, 50, 4).transpose(1, 2), meta(6, 4, 5), meta(6), 2, 2)
    yield c(torch.conv3d, meta(1, 2, 6, 7, 8, order=(0, 2, 3, 4, 1)), meta(4, 2, 3, 3, 3))
    yield c(torch.conv1d, meta(2, 4, 50), meta(6, 4, 4), None, 1, "same")
    yield c(torch.conv1d, meta(2, 4, 50), meta(6, 4, 4), meta(6), 1, "same", 3)
    yield c(torch.conv3d, meta(1, 2, 6, 7, 8), meta(4, 2, 2, 3, 4), None, 1, "same")
    yield c(torch.conv1d, meta(2, 4, 50), meta(6, 4, 4), None, 2, "same", must=False)
    yield c(torch.conv1d, meta(2, 4, 50), meta(6, 4, 3), None, 1, "same", 3)
    yield c(torch.conv1d, meta(2, 4, 50), meta(6, 4, 5), meta(6), 2, 2)
    yield c(torch.conv3d, meta(1, 2, 6, 7, 8), meta(4, 2, 3, 3, 3), None, 1, 1)
    yield c(torch.conv_transpose2d, meta(2, 8, 7, 7), meta(8, 4, 3, 3), meta(4), 2, 1, 1)
    yield c(torch.conv_transpose2d, meta(2, 8, 7, 7), meta(8, 2, 4, 4), None, 2, 1, 0, 2)
    yield c(torch.conv_transpose1d, meta(2, 8, 10), meta(8, 4, 3), None, 3, 0, 2)
    yield c(torch.conv_transpose3d, meta(1, 4, 3, 4, 5), meta(4, 2, 2, 2, 2), None, 2)
    # linear and matmul: the contractions must be the dispatcher's
    lw, lb = meta(5, 4, param=True), meta(5, param=True)
    for x in (
        meta(3, 4),
        meta(2, 3, 4),
        meta(2, 2, 3, 4),
        meta(4),
        meta(3, 2, 4, order=(1, 0, 2)),
        meta(2, 3, 2, 4, order=(0, 2, 1, 3)),
    ):
        yield c(F.linear, x, lw, lb)
        yield c(F.linear, x, lw)
    yield c(F.linear, meta(3, 5), lw, lb, must=False)
    # baddbmm: beta·input + alpha·(batch1 @ batch2), the input broadcast (BLOOM's ALiBi)
    biases = (meta(4, 3, 5), meta(4, 1, 5), meta(5), meta(1, 1, 1), meta(4, 5, 3).transpose(1, 2))
    for bias in biases:
        for func in (torch.baddbmm, torch.Tensor.baddbmm):
            yield c(func, bias, meta(4, 3, 2), meta(4, 2, 5))
            yield c(func, bias, meta(4, 2, 3).transpose(1, 2), meta(4, 2, 5), beta=0.0, alpha=0.5)
        yield c(torch.Tensor.baddbmm, bias, batch1=meta(4, 3, 2), batch2=meta(4, 2, 5), beta=1.0)
    yield c(torch.baddbmm, meta(4, 3, 5), meta(4, 3, 2), meta(3, 2, 5), must=False)
    yield c(torch.baddbmm, meta(4, 3, 5), meta(4, 3, 2), meta(4, 3, 5), must=False)
    yield c(torch.baddbmm, meta(2, 3, 5), meta(4, 3, 2), meta(4, 2, 5), must=False)
    yield c(torch.baddbmm, meta(4, 3, 5), meta(4, 3, 2), meta(4, 2, 5, dtype=torch.float16),
            must=False)  # fmt: skip
    # frozen weights: torch's matmul folds only inputs whose leading axes are laid out one
    # after the other, and runs a bmm for others (SAM 2's transposed image tokens)
    frozen_w = torch.nn.Parameter(meta(5, 4), requires_grad=False)
    frozen_b = torch.nn.Parameter(meta(5), requires_grad=False)
    for x in (
        meta(1, 1, 6, 4).as_strided((1, 1, 6, 4), (24, 6, 1, 6)),
        meta(2, 1, 6, 4).as_strided((2, 1, 6, 4), (24, 6, 1, 6)),
        meta(3, 2, 4, order=(1, 0, 2)),
        meta(2, 3, 2, 4, order=(0, 2, 1, 3)),
        meta(2, 3, 4, order=(0, 2, 1)),
        meta(2, 3, 4),
        meta(3, 4),
    ):
        for weight in (frozen_w, lw):
            yield c(F.linear, x, weight, frozen_b)
            yield c(F.linear, x, weight)
    for a, b_ in [
        ((3, 4), (4, 5)),
        ((2, 3, 4), (4, 5)),
        ((3, 4), (2, 4, 5)),
        ((2, 3, 4, 5), (2, 3, 5, 6)),
        ((2, 3, 4, 5), (1, 3, 5, 6)),
        ((6, 4, 5), (6, 5, 7)),
        ((2, 3, 4, 5), (5, 6)),
        ((2, 3, 4, 5), (3, 5, 6)),
    ]:
        yield c(torch.matmul, meta(*a), meta(*b_))
        yield c(torch.Tensor.__matmul__, meta(*a), meta(*b_))
    yield c(torch.matmul, meta(2, 3, 4), meta(2, 5, 4).transpose(1, 2))
    yield c(torch.matmul, meta(4), meta(4, 5), must=False)
    # ATen folds a batch times a matrix into one mm when the matrix requires grad, or when
    # the batch is on the left and folds without a copy; otherwise a bmm
    for a, b_ in [
        (meta(64, 48, param=True), meta(2, 48, 10)),  # Mamba's A · B: (Bᵀ folded) · Aᵀ
        (meta(3, 4, param=True), meta(2, 5, 4, 6).transpose(0, 1)),
        (meta(2, 5, 3).transpose(0, 1), meta(3, 4)),  # leading axes apart: bmm
        (meta(2, 5, 3).transpose(0, 1), meta(3, 4, param=True)),  # ... unless it needs grad
        (meta(2, 3, 5, 4).transpose(1, 2), meta(4, 6)),
        (meta(2, 3, 5, 4).transpose(2, 3), meta(5, 6)),  # last two swapped: still folds
        (meta(2, 3, 4, param=True), meta(4, 5)),  # the batch's own grad does not matter
        (meta(3, 4), meta(2, 4, 5, param=True)),
    ]:
        yield c(torch.matmul, a, b_)
    yield c(torch.bmm, meta(6, 4, 5), meta(6, 5, 7))
    yield c(torch.mm, meta(4, 5), meta(5, 7))
    for bias in ((7,), (4, 7), (1, 7), (4, 1), ()):  # GPT-2's Conv1D: addmm(bias, x, w)
        yield c(torch.addmm, meta(*bias), meta(4, 5), meta(5, 7))
    yield c(torch.addmm, meta(7), meta(4, 5), meta(7, 5).t(), beta=0.5, alpha=2)
    yield c(torch.Tensor.addmm, meta(7), meta(4, 5), meta(5, 7))
    yield c(torch.addmm, meta(6), meta(4, 5), meta(5, 7), must=False)  # bias of another size
    yield c(torch.addmm, meta(2, 4, 7), meta(4, 5), meta(5, 7), must=False)
    yield c(torch.addmm, meta(7), meta(4, 5), meta(6, 7), must=False)
    yield c(torch.addmm, meta(7, dtype=torch.float64), meta(4, 5), meta(5, 7), must=False)
    # element-wise
    x = meta(2, 8, 5, 5)
    xt = meta(2, 8, 5, 5, order=(0, 2, 3, 1))
    for func in (
        F.relu,
        F.gelu,
        F.silu,
        torch.sigmoid,
        torch.tanh,
        F.hardswish,
        F.relu6,
        F.leaky_relu,
        F.elu,
        F.softplus,
        F.hardsigmoid,
        F.mish,
    ):
        yield c(func, x)
        yield c(func, xt)
    yield c(F.relu, x, inplace=True)
    yield c(F.dropout, x, 0.1, False)
    yield c(F.dropout, x, 0.1, True)
    yield c(F.dropout, x, 0.0, True)
    for func in (F.fractional_max_pool2d, F.fractional_max_pool2d_with_indices):
        yield c(func, meta(2, 3, 10, 9), 3, output_size=(5, 4))
        yield c(func, meta(2, 3, 10, 9), (2, 3), output_size=4, return_indices=True)
        yield c(func, meta(3, 10, 9), 2, output_ratio=(0.5, 0.5))
        yield c(func, meta(2, 3, 10, 9, order=(0, 2, 3, 1)), 2, output_ratio=(0.5, 0.7))
        yield c(func, meta(2, 3, 10, 9), 3, output_ratio=(0.6,), return_indices=True, must=False)
        yield c(func, meta(2, 3, 10, 9), 3, output_ratio=0.5, must=False)  # torch raises
        yield c(func, meta(2, 3, 6, 6), 4, output_size=(5, 5), must=False)  # too large
        yield c(func, meta(2, 3, 10, 9), 3, must=False)  # neither size nor ratio
        yield c(func, meta(10, 9), 3, output_size=(5, 4), must=False)
    ids = meta(2, 3, 5, 4, dtype=torch.long)
    yield c(F.max_unpool2d, meta(2, 3, 5, 4), ids, 2)
    yield c(F.max_unpool2d, meta(2, 3, 5, 4, order=(0, 2, 3, 1)), ids, 3, 2, 1)
    yield c(F.max_unpool2d, meta(3, 5, 4), meta(3, 5, 4, dtype=torch.long), 2, output_size=(11, 9))
    yield c(F.max_unpool2d, meta(2, 3, 5, 4), ids, 2, output_size=(2, 3, 9, 9))
    yield c(F.max_unpool2d, meta(2, 3, 5, 4), ids, 2, output_size=(20, 9), must=False)
    yield c(F.max_unpool2d, meta(2, 3, 5, 4), meta(2, 3, 5, 5, dtype=torch.long), 2, must=False)
    yield c(F.max_unpool2d, meta(2, 3, 5, 4), meta(2, 3, 5, 4), 2, must=False)  # float ids
    for func in (F.alpha_dropout, F.feature_alpha_dropout):  # eval by default: the input
        yield c(func, x, 0.1)
        yield c(func, xt, 0.2, False)
        yield c(func, x, 0.1, True, must=False)
        yield c(func, xt, 0.1, training=True, must=False)
        yield c(func, x, 1.5, must=False)
    for func, batched, unbatched in (
        (F.dropout1d, meta(2, 8, 5), meta(8, 5)),
        (F.dropout2d, x, meta(8, 5, 5)),
        (F.dropout3d, meta(2, 3, 4, 5, 6), meta(3, 4, 5, 6)),
    ):
        yield c(func, batched, 0.3, False)
        yield c(func, batched, training=False, p=0.0)
        yield c(func, batched, 0.3, True, must=False)  # random channels: refused
        yield c(func, unbatched, 0.3, False)
        yield c(func, unbatched, 0.3, False, True)
        yield c(func, meta(4), 0.3, False, must=False)  # torch raises
    yield c(F.softmax, meta(2, 4, 7), -1)
    yield c(F.softmax, meta(2, 4, 7).transpose(0, 2), 0)
    yield c(F.softmax, meta(2, 4, 7), dim=1, dtype=torch.float64)
    yield c(F.log_softmax, meta(2, 4, 7), 1)
    for other in (meta(2, 8, 5, 5), meta(8, 1, 1), meta(5), 2.0, 3, meta(1, 8, 1, 1)):
        yield c(torch.add, x, other)
        yield c(torch.Tensor.__mul__, x, other)
        yield c(torch.Tensor.__truediv__, x, other)
        yield c(torch.Tensor.__sub__, x, other)
    yield c(torch.add, xt, xt)
    yield c(torch.add, xt, x)
    yield c(torch.add, x, xt)
    yield c(torch.mul, xt, meta(8, 1, 1))
    yield c(torch.mul, meta(2, 1, 5, 5), xt)
    yield c(torch.add, meta(2, 3, 4).transpose(0, 1), meta(4))
    yield c(torch.add, meta(3, 1, 4), meta(3, 5, 1).transpose(0, 0))
    yield c(torch.add, meta(1, 8), meta(8, 1))
    # an axis of size 1 whose stride is not a fresh result's: the clamping kernels keep
    # it here but not on other such layouts (refused); the others lay it out afresh
    yield c(F.relu, meta(2, 1, 5).transpose(1, 2), must=False)
    yield c(F.gelu, meta(2, 1, 5).transpose(1, 2))
    yield c(F.gelu, meta(2048).as_strided((2, 1, 1024), (1024, 1, 1)))  # SegFormer's
    yield c(F.gelu, meta(4, 6)[:, ::2] if False else meta(6, 4).t())
    yield c(torch.add, meta(3, 4, dtype=torch.int64), 2.5, must=False)
    yield c(torch.add, meta(3, 4, dtype=torch.int64), 2)
    yield c(torch.add, meta(3, 4), meta(3, 4, dtype=torch.float16))
    # two tensors of different dtypes: promoted as torch.result_type promotes them, the
    # other operand converted first (MPT's and Pegasus-X's int positions times float
    # frequencies), over layouts with broadcast, odd strides and axes of size 1
    pairs = [
        (meta(10, 1, dtype=torch.int64).t().t(), meta(32)),
        (meta(13, 1, dtype=torch.int64), meta(1, 1, 32)),
        (meta(1, 1, 1, 8, dtype=torch.int32), meta(1, 4, 1, 1)),
        (meta(3, 4, dtype=torch.float16), meta(4, 3).t()),
        (meta(2, 3, 4, dtype=torch.bfloat16).transpose(0, 2), meta(4, 3, 2)),
        (meta(4, 3, dtype=torch.int64).t(), meta(3, 4, dtype=torch.float16)),
        (meta(3, 8, dtype=torch.int32)[:, ::2], meta(1, 4, dtype=torch.float64)),
        (meta(dtype=torch.float64), meta(2, 3)),  # a 0-d tensor weighs less
        (meta(2, 3, dtype=torch.int64), meta()),
        (meta(2, 3, dtype=torch.float16), meta(3, dtype=torch.bfloat16)),
        # integers of different widths, bools with integers (CPM-Ant's int32 positions
        # and int64 offsets): the wider integer
        (meta(2, 3, dtype=torch.int32), meta(2, 3, dtype=torch.int64)),
        (meta(3, dtype=torch.uint8), meta(2, 3, dtype=torch.int8)),
        (meta(2, 3, dtype=torch.bool), meta(3, 2, dtype=torch.int16).t()),
        (meta(dtype=torch.int64), meta(2, 3, dtype=torch.int32)),
        # a bool mask times floats (SAM 2's point labels)
        (meta(1, 2, 3, 1, dtype=torch.bool), meta(1, 2, 3, 8)),
        (meta(2, 3, dtype=torch.bool).t(), meta(3, 2, dtype=torch.float16)),
        (meta(dtype=torch.bool), meta(2, 3)),
        (meta(dtype=torch.float64), meta(2, 3, dtype=torch.bool)),
        # odd strides on axes of size 1, which the conversion moves: refused
        (meta(1, 3, 1, dtype=torch.int64).transpose(0, 2), meta(2, 1, 1)),
    ]
    for a_, b_ in pairs:
        must = a_ is not pairs[-1][0]
        for func in (torch.add, torch.mul, torch.sub, torch.Tensor.__mul__, torch.Tensor.__radd__):
            yield c(func, a_, b_, must=must)
            yield c(func, b_, a_, must=must)
        yield c(torch.div, a_, b_, must=must)
        # the other element-wise ops that take two tensors of any dtypes
        for func in (torch.pow, torch.Tensor.__rsub__, torch.Tensor.__truediv__):
            yield c(func, a_, b_, must=False)
            yield c(func, b_, a_, must=False)
        cond = meta(*torch.broadcast_shapes(a_.shape, b_.shape), dtype=torch.bool)
        yield c(torch.where, cond, a_, b_, must=False)
        yield c(torch.where, cond, b_, a_, must=False)
        yield c(torch.Tensor.add_, meta(*cond.shape), a_, must=False)
    yield c(torch.add, meta(3, dtype=torch.bool), meta(3))
    yield c(torch.add, meta(3, dtype=torch.bool), meta(3, dtype=torch.int64), must=False)
    yield c(torch.add, meta(2, 3, dtype=torch.int8), meta(dtype=torch.int64), must=False)
    yield c(torch.div, meta(2, 3, dtype=torch.uint8), meta(2, 3, dtype=torch.int8), must=False)
    yield c(torch.add, meta(3, dtype=torch.complex64), meta(3), must=False)
    yield c(torch.add, meta(3, 4), meta(2, 4), must=False)
    yield c(torch.Tensor.__iadd__, meta(3, 4), meta(4))
    yield c(torch.Tensor.__iadd__, meta(4), meta(3, 4), must=False)
    yield c(torch.Tensor.__radd__, meta(3, 4), 1.0)
    yield c(torch.Tensor.__rsub__, meta(3, 4), 1.0)
    yield c(torch.Tensor.__neg__, meta(3, 4))
    # normalization
    yield c(F.batch_norm, x, meta(8), meta(8), meta(8), meta(8), False, 0.1, 1e-5)
    yield c(F.batch_norm, meta(2, 8), meta(8), meta(8), None, None, True, 0.1, 1e-5)
    yield c(F.batch_norm, meta(1, 8), meta(8), meta(8), None, None, True, must=False)
    # any layout: torch's decomposition, element-wise steps in the computation dtype
    # (SAM 3 Lite's channels-last input with an axis of size 1)
    for t in (meta(2, 4, 1, 5, order=(0, 2, 3, 1)), meta(2, 4, 5, 6, order=(0, 2, 3, 1)),
              meta(2, 5, 4).transpose(1, 2), meta(2, 4, 10)[..., ::2],
              meta(1, 4, 5).as_strided((1, 4, 5), (7, 5, 1)), meta(4, 1, 1).expand(4, 4, 3),
              meta(2, 4, 3, 5, 6, order=(0, 2, 3, 4, 1)), meta(3, 4).t().t(),
              meta(2, 4, 5, order=(2, 0, 1))):  # fmt: skip
        for dtype in (torch.float32, torch.float16, torch.bfloat16):
            x_ = t.to(dtype)  # the same layout, where it is dense
            v = meta(4)
            yield c(F.batch_norm, x_, v, v, v, v, False, must=dtype == torch.float32)
            yield c(F.batch_norm, x_, v, v, None, v, False, must=dtype == torch.float32)
            yield c(F.batch_norm, x_, None, None, v, None, True, must=dtype == torch.float32)
            yield c(F.batch_norm, x_, v, v, meta(4, dtype=dtype), None, True, must=False)
    yield c(F.layer_norm, meta(2, 5, 8), (8,), meta(8), meta(8), 1e-5)
    yield c(F.layer_norm, meta(2, 5, 8), [5, 8])
    yield c(F.layer_norm, meta(2, 5, 8, order=(1, 0, 2)), (8,), meta(8), meta(8), 1e-5)
    yield c(F.layer_norm, meta(2, 8, 5, order=(0, 2, 1)), (5,))
    yield c(F.layer_norm, meta(2, 5, 8), (5,), must=False)
    yield c(F.group_norm, x, 4, meta(8), meta(8))
    yield c(F.group_norm, x, 3, must=False)
    # pooling
    for k, s, p, ceil in [
        (2, 2, 0, False),
        (3, 2, 1, False),
        (3, 2, 1, True),
        (3, 2, 0, True),
        ((2, 3), (1, 2), (1, 0), False),
        (3, None, 0, True),
    ]:
        yield c(F.max_pool2d, meta(2, 4, 11, 10), k, s, p, ceil_mode=ceil)
        yield c(F.avg_pool2d, meta(2, 4, 11, 10), k, s, p, ceil)
    yield c(F.max_pool2d, meta(2, 4, 11, 10), 3, 2, 1, 2)
    yield c(F.max_pool2d, meta(2, 4, 11, 10), 2, 2, 2, must=False)
    yield c(F.max_pool1d, meta(2, 4, 11), 3, 2)
    yield c(F.avg_pool1d, meta(2, 4, 11), 3, 2, 1)
    yield c(F.max_pool3d, meta(1, 2, 5, 6, 7), 2)
    yield c(F.avg_pool3d, meta(1, 2, 5, 6, 7), 2, 2, 1, True, False)
    yield c(F.adaptive_avg_pool2d, x, 1)
    yield c(F.adaptive_avg_pool2d, x, (3, None))
    yield c(F.adaptive_avg_pool1d, meta(2, 4, 11), 4)
    yield c(F.adaptive_max_pool2d, x, (2, 2))
    yield c(F.adaptive_avg_pool3d, meta(1, 2, 5, 6, 7), (1, 2, 3))
    # views and shape changes
    y = meta(2, 3, 4, 5)
    yt = y.transpose(1, 2)
    for t in (y, yt):
        yield c(torch.Tensor.view, t, 2, -1, must=t is y)
        yield c(torch.Tensor.view, t, (6, 20), must=t is y)
        yield c(torch.Tensor.view, t, 2, 3, 4, 5, must=False)
        yield c(torch.Tensor.reshape, t, 6, 20)
        yield c(torch.Tensor.reshape, t, (-1, 5))
        yield c(torch.reshape, t, (2, 60))
        yield c(torch.flatten, t, 1)
        yield c(torch.Tensor.flatten, t, 2)
        yield c(torch.Tensor.flatten, t, 1, 1)
        yield c(torch.Tensor.flatten, t, -2)
        yield c(torch.Tensor.permute, t, 0, 2, 3, 1)
        yield c(torch.permute, t, (3, 2, 1, 0))
        yield c(torch.Tensor.transpose, t, 1, -1)
        yield c(torch.transpose, t, 0, 1)
        yield c(torch.Tensor.unsqueeze, t, 1)
        yield c(torch.Tensor.unsqueeze, t, -1)
        yield c(torch.unsqueeze, t, 4)
        yield c(torch.Tensor.contiguous, t)
        yield c(torch.Tensor.chunk, t, 2, 3)
        yield c(torch.chunk, t, 3, -1)
        yield c(torch.Tensor.split, t, 2, 2)
        yield c(torch.split, t, [1, 4], 3)
        yield c(torch.Tensor.mean, t, 1)
        yield c(torch.Tensor.mean, t, (2, 3), True)
        yield c(torch.mean, t, dim=-1, keepdim=True)
        yield c(torch.Tensor.sum, t, 1)
        yield c(torch.Tensor.mean, t)
        # reductions to a fresh tensor: vector norms (cosine similarity, QK norms) and
        # logsumexp (mixture-of-experts router losses)
        vector_norm = torch.linalg.vector_norm
        yield c(vector_norm, t)
        yield c(vector_norm, t, keepdim=True)
        yield c(vector_norm, t, 2, -1, True)
        yield c(vector_norm, t, ord=1, dim=(1, 3))
        yield c(vector_norm, t, float("inf"), dim=[0, 2], keepdim=True)
        yield c(vector_norm, t, 0.5, 1)
        yield c(vector_norm, t, dim=(1, -3), must=False)  # one axis twice: torch raises
        yield c(vector_norm, t, dtype=torch.float64, must=False)  # a dtype: not followed
        # torch.norm and linalg.norm where they are vector norms (CLIP's x / x.norm(...))
        yield c(torch.Tensor.norm, t, p=2, dim=-1, keepdim=True)
        yield c(torch.Tensor.norm, t)
        yield c(torch.norm, t, 1, (1, 2))
        yield c(torch.norm, t, "fro", (0, 3), True)
        yield c(torch.norm, t, float("inf"), 2)
        yield c(torch.norm, t, "nuc", (1, 2), must=False)
        yield c(torch.norm, t, "fro", (0, 1, 2), must=False)  # torch refuses
        yield c(torch.linalg.norm, t)
        yield c(torch.linalg.norm, t, dim=-1, keepdim=True)
        yield c(torch.linalg.norm, t, None, (1, 2))
        yield c(torch.linalg.norm, t, 3, 1)
        yield c(torch.linalg.norm, t, ord=1, dim=[2])
        yield c(torch.linalg.norm, t, "fro", (1, 2), must=False)  # a matrix norm: refused
        yield c(torch.linalg.norm, t, 2, (1, 2), must=False)
        yield c(torch.linalg.norm, t, None, (0, 1, 2), must=False)
        yield c(torch.prod, t)
        yield c(torch.prod, t, 1)
        yield c(torch.Tensor.prod, t, -1, True)
        yield c(torch.Tensor.prod, t, dim=0, keepdim=False)
        yield c(torch.prod, t, (0, 1), must=False)
        yield c(torch.logsumexp, t, 1)
        yield c(torch.logsumexp, t, (0, 3), True)
        yield c(torch.Tensor.logsumexp, t, -1, keepdim=True)
        yield c(torch.Tensor.logsumexp, t, [1, 2])
    yield c(torch.linalg.vector_norm, meta(3, 4, dtype=torch.float16), dim=1)
    # meshgrid: each input viewed along its axis, expanded (RT-DETR's anchors)
    a4, b3 = meta(4), meta(6)[::2]
    for indexing in ("ij", "xy"):
        yield c(torch.meshgrid, a4, b3, indexing=indexing)
        yield c(torch.meshgrid, a4, b3, meta(1), meta(), indexing=indexing)
        yield c(torch.meshgrid, [a4, b3], indexing=indexing)
        yield c(torch.meshgrid, a4, indexing=indexing)
        yield c(torch.meshgrid, a4, meta(0), indexing=indexing)
    yield c(torch.meshgrid, a4, meta(2, 3), indexing="ij", must=False)  # torch needs 0-d, 1-d
    # outer: a column times a row, element-wise (RT-DETR's sine position embedding)
    for u, v in ((a4, b3), (b3, a4), (meta(1), b3), (a4, meta(1)), (meta(1), meta(1))):
        yield c(torch.outer, u, v)
        yield c(torch.Tensor.outer, u, v)
        yield c(torch.ger, u, v)
        yield c(torch.Tensor.ger, u, v)
    yield c(torch.outer, a4, meta(2, 3), must=False)
    yield c(torch.outer, a4, meta(3, dtype=torch.float64), must=False)
    yield c(torch.meshgrid, a4, meta(3, dtype=torch.int64), indexing="ij", must=False)
    yield c(torch.linalg.norm, meta(5), 3)
    yield c(torch.prod, meta(3, 4, dtype=torch.int32), 1)  # integers reduce into int64
    yield c(torch.prod, meta(3, 0), 1)
    yield c(torch.linalg.norm, meta(3, 4), 1, must=False)  # the matrix 1-norm
    yield c(torch.norm, meta(3, 4), None)
    yield c(torch.linalg.vector_norm, meta(3, 4, dtype=torch.int64), must=False)  # torch raises
    yield c(torch.linalg.vector_norm, meta(), keepdim=True, must=False)  # 0-d: not followed
    yield c(torch.linalg.vector_norm, meta(0, 4), -1, 1, must=False)  # torch raises
    yield c(torch.logsumexp, meta(3, 4, dtype=torch.int64), 1, must=False)  # promoted
    yield c(torch.logsumexp, meta(3, 0), 1, must=False)
    yield c(torch.Tensor.view, meta(2, 1, 3).transpose(0, 1), 3, 2)
    yield c(torch.Tensor.view, meta(4, 6)[:, :3] if False else meta(4, 6), 24)
    yield c(torch.Tensor.expand, meta(1, 1, 8), 4, -1, -1)
    yield c(torch.Tensor.expand, meta(3, 1), 2, 3, 5)
    yield c(torch.Tensor.expand, meta(3, 2), 3, 5, must=False)
    yield c(torch.cat, [meta(2, 3, 4), meta(2, 5, 4)], 1)
    yield c(torch.cat, [meta(1, 1, 4).expand(2, -1, -1), meta(2, 5, 4)], 1)
    yield c(torch.cat, [meta(2, 3, 4), meta(2, 5, 4).transpose(0, 0)], -2)
    yield c(torch.cat, [meta(2, 3, 4), meta(2, 5, 3)], 1, must=False)
    yield c(torch.cat, (meta(2, 3), meta(2, 3)))
    yield c(torch.stack, [meta(2, 3), meta(2, 3)], 1)
    yield c(torch.stack, [meta(2, 3), meta(2, 3)], -1)
    yield c(torch.cat, [meta(2, 3), meta(2, 5)], axis=1)  # NumPy's name, as torch takes it
    yield c(torch.concat, [meta(2, 3), meta(4, 3)], axis=0)
    yield c(torch.stack, [meta(2, 3), meta(2, 3)], axis=2)
    yield c(torch.cat, [meta(2, 3), meta(2, 5)], axis=1, dim=1, must=False)
    yield c(torch.mean, meta(2, 3, 4), axis=-1, keepdim=True)  # ImageGPT's
    yield c(torch.sum, meta(2, 3, 4), axis=(0, 2))
    yield c(torch.Tensor.mean, meta(2, 3, 4), axis=1)
    yield c(torch.prod, meta(2, 3, 4), axis=1)
    yield c(torch.prod, meta(2, 3, 4), axis=(0, 1), must=False)
    # joined tensors keep channels-last when every one suggests it (Inkling 2's images)
    cl4, cl5 = meta(2, 3, 4, 5, order=(0, 2, 3, 1)), meta(2, 3, 2, 4, 5, order=(0, 2, 3, 4, 1))
    joins = [
        [cl4, cl4],
        [cl4, meta(2, 3, 4, 5)],
        [meta(2, 3, 4, 5), cl4],
        [cl5, cl5],
        [cl4, meta(0), cl4],
        [meta(2, 1, 4, 5, order=(0, 2, 3, 1)), meta(2, 1, 4, 5)],
        [meta(2, 3, 1, 1, order=(0, 2, 3, 1)), meta(2, 3, 1, 1, order=(0, 2, 3, 1))],
        [cl4[:, :, ::2], cl4[:, :, 1::2]],
        [cl4.expand(2, 3, 4, 5), meta(1, 3, 4, 5, order=(0, 2, 3, 1)).expand(2, 3, 4, 5)],
        [meta(3, 4, 5, order=(1, 2, 0)), meta(3, 4, 5, order=(1, 2, 0))],
        [meta(3, 4, 5, order=(2, 0, 1)), meta(3, 4, 5)],
    ]
    for tensors in joins:
        rank = max(t.dim() for t in tensors)
        for dim in range(-rank - 1, rank + 1):
            yield c(torch.cat, tensors, dim, must=-rank <= dim < rank)
            yield c(torch.stack, [t for t in tensors if t.dim() == rank], dim)
    # the other names of the same operations (methods, operators, in-place forms)
    yield c(torch.Tensor.matmul, meta(2, 3, 4), meta(4, 5))
    yield c(torch.Tensor.__rmatmul__, meta(4, 5), meta(2, 3, 4))
    yield c(torch.Tensor.mm, meta(3, 4), meta(4, 5))
    yield c(torch.Tensor.bmm, meta(2, 3, 4), meta(2, 4, 5))
    for func in (
        F.hardtanh,
        torch.relu,
        F.sigmoid,
        F.tanh,
        torch.Tensor.relu,
        torch.Tensor.sigmoid,
        torch.Tensor.tanh,
        torch.relu_,
        torch.Tensor.relu_,
        torch.neg,
    ):
        yield c(func, meta(2, 3, 4))
        yield c(func, meta(2, 3, 4, order=(2, 0, 1)))
    for func in (
        torch.Tensor.add,
        torch.Tensor.__add__,
        torch.sub,
        torch.Tensor.sub,
        torch.mul,
        torch.Tensor.mul,
        torch.Tensor.__rmul__,
        torch.Tensor.add_,
        torch.Tensor.sub_,
        torch.Tensor.__isub__,
        torch.Tensor.mul_,
        torch.Tensor.__imul__,
        torch.div,
        torch.Tensor.div,
        torch.Tensor.div_,
        torch.Tensor.__itruediv__,
    ):
        yield c(func, meta(2, 3, 4), meta(3, 4))
        yield c(func, meta(2, 3, 4), 2.0)
        yield c(func, meta(3, 4), meta(2, 3, 4), must=False)
    yield c(torch.add, meta(2, 3), meta(2, 3), alpha=2)
    # division rounded down or toward zero: integers stay integers (SAM 2's positions)
    for mode in ("floor", "trunc"):
        for dtype in (torch.float32, torch.int64, torch.int32):
            for t in _layouts(dtype):  # row-major operands must answer, others may refuse
                row_major = t.stride() == torch.empty(t.shape, device="meta").stride()
                yield c(torch.div, t, 2, rounding_mode=mode, must=row_major)
                yield c(torch.div, t, t, rounding_mode=mode, must=row_major)
                yield c(torch.Tensor.div, t, meta(t.shape[-1], dtype=dtype), rounding_mode=mode,
                        must=row_major)  # fmt: skip
                yield c(torch.div, meta(*t.shape[-2:], dtype=dtype), t, rounding_mode=mode,
                        must=row_major)  # fmt: skip
            yield c(torch.div, meta(2, 3, dtype=dtype), 0, rounding_mode=mode, must=False)
            yield c(torch.Tensor.div_, meta(2, 3, dtype=dtype), 2, rounding_mode=mode)
        yield c(torch.div, meta(2, 3, dtype=torch.int64), 2.5, rounding_mode=mode, must=False)
        yield c(torch.div, meta(2, 3, dtype=torch.int64), meta(3), rounding_mode=mode, must=False)
        yield c(torch.div, meta(2, 3, dtype=torch.bool), 2, rounding_mode=mode, must=False)
    yield c(torch.div, meta(2, 3), meta(2, 3), rounding_mode="round", must=False)
    # true division of integers: a float of the default dtype (Ministral 3's positions)
    for t in _layouts(torch.int64):  # odd strides on axes of size 1 may refuse
        plain = 1 not in t.shape
        yield c(torch.div, t, 8, must=plain)
        yield c(torch.Tensor.__truediv__, t, t, must=plain)
        yield c(torch.div, t, meta(t.shape[-1], dtype=torch.int32), must=plain)
        yield c(torch.div, t, 2.5, must=False)  # a float number with integers: refused
    yield c(torch.Tensor.div_, meta(2, 3, dtype=torch.int64), 2, must=False)
    yield c(torch.div, meta(2, 3, dtype=torch.bool), meta(2, 3, dtype=torch.bool), must=False)
    yield c(F.adaptive_max_pool1d, meta(2, 4, 11), 3)
    yield c(F.adaptive_max_pool3d, meta(1, 2, 5, 6, 7), 2)
    yield c(F.adaptive_max_pool2d, meta(1, 2, 5, 6), 2, True)
    yield c(F.max_pool2d, meta(1, 2, 5, 6), 2, return_indices=True)
    yield c(torch.concat, [meta(2, 3), meta(2, 3)], 1)
    yield c(torch.concatenate, [meta(2, 3), meta(2, 3)])
    yield c(torch.sum, meta(2, 3, 4), (0, 2))
    # bools and integers sum (and multiply) into int64; a dtype asked for is the result's
    # (CPM-Ant counts its segments, DiffLlama sums in float32); a mean of integers torch
    # refuses
    for dtype in (torch.bool, torch.int32, torch.int64, torch.float16):
        t = meta(2, 3, 4, dtype=dtype)
        yield c(torch.sum, t, -1)
        yield c(torch.Tensor.sum, t)
        yield c(torch.sum, t, (0, 2), True)
        yield c(torch.prod, t, 1)
        yield c(torch.sum, t, -1, dtype=torch.float32)
        yield c(torch.Tensor.sum, t, 1, dtype=torch.int32)
        yield c(torch.mean, t, -1, must=dtype.is_floating_point)
        yield c(torch.mean, t, -1, dtype=torch.float64)
        yield c(torch.mean, t, -1, dtype=torch.int64, must=False)
    yield c(torch.sum, meta(2, 3, dtype=torch.complex64), 1, must=False)
    # var/std, by each overload (xLSTM's x.var(dim=-1, keepdim=True, unbiased=False))
    for t in (meta(2, 3, 4), meta(4, 3, 2).transpose(0, 2), meta(2, 3, 4, dtype=torch.float16)):
        for func in (torch.var, torch.Tensor.var, torch.std, torch.Tensor.std):
            yield c(func, t)
            yield c(func, t, False)
            yield c(func, t, unbiased=False)
            yield c(func, t, -1)
            yield c(func, t, dim=-1, keepdim=True, unbiased=False)
            yield c(func, t, 1, True, True)
            yield c(func, t, (0, 2), correction=0)
            yield c(func, t, dim=None, keepdim=True)
            yield c(func, t, dim=[0, 1], correction=2.5, keepdim=True)
    for dtype in (torch.int64, torch.bool, torch.complex64):
        yield c(torch.var, meta(2, 3, dtype=dtype), 1, must=False)  # torch raises, or real
    yield c(torch.var, meta(2, 3), 1, unbiased=True, correction=0, must=False)  # raises
    yield c(torch.std, meta(2, 3), True, 1, must=False)  # no such overload
    yield c(torch.var, meta(2, 3), (), must=False)
    # all/any: bool results (RT-DETR's valid anchors)
    for dtype in (torch.bool, torch.float32, torch.int64):
        for t in (meta(2, 3, 4, dtype=dtype), meta(4, 3, 2, dtype=dtype).transpose(0, 2)):
            for func in (torch.all, torch.Tensor.all, torch.any, torch.Tensor.any):
                yield c(func, t)
                yield c(func, t, -1)
                yield c(func, t, 1, True)
                yield c(func, t, dim=(0, 2))
    yield c(torch.all, meta(2, 3, dtype=torch.uint8), 1, must=False)
    yield c(torch.any, meta(2, 3), None, True, must=False)
    yield c(torch.sum, meta(2, 3), 1, dtype=torch.complex64, must=False)
    yield c(torch.sum, meta(2, 3, 4), (1, -2), must=False)  # an axis twice: torch raises
    yield c(torch.mean, meta(2, 0, 4), 1)  # over an empty axis: nan, of the reduced shape
    # attention and transformer pieces
    for q, k, v in [
        ((2, 4, 7, 8), (2, 4, 9, 8), (2, 4, 9, 6)),
        ((4, 7, 8), (4, 9, 8), (4, 9, 8)),
        ((2, 4, 7, 8), (2, 1, 9, 8), (2, 1, 9, 8)),
        ((7, 8), (9, 8), (9, 8)),
    ]:
        yield c(F.scaled_dot_product_attention, meta(*q), meta(*k), meta(*v), must=len(q) > 2)
    sq = meta(2, 4, 7, 8)
    yield c(F.scaled_dot_product_attention, sq, sq, sq, is_causal=True)
    yield c(F.scaled_dot_product_attention, sq, sq, sq, attn_mask=meta(7, 7))
    yield c(F.scaled_dot_product_attention, sq, sq, sq, None, 0.0, False, 0.5, must=False)
    yield c(F.scaled_dot_product_attention, sq, sq, sq, scale=0.5)
    tq = meta(2, 7, 4, 8).transpose(1, 2)
    yield c(F.scaled_dot_product_attention, tq, tq, tq)
    yield c(F.scaled_dot_product_attention, sq, meta(2, 4, 9, 5), meta(2, 4, 9, 6), must=False)
    yield c(F.rms_norm, meta(2, 5, 8), (8,), meta(8), 1e-6)
    yield c(F.rms_norm, meta(2, 5, 8), [5, 8])
    yield c(torch.rms_norm, meta(2, 5, 8), [8])
    yield c(F.rms_norm, meta(2, 5, 8), (5,), must=False)
    for t in (meta(2, 9, 4, 8), meta(2, 9, 4, 8).transpose(1, 2)):
        yield c(torch.Tensor.repeat_interleave, t, 2, 1)
        yield c(torch.repeat_interleave, t, 3, -1)
        yield c(torch.Tensor.repeat_interleave, t, 2)  # flattened first
        yield c(torch.Tensor.repeat_interleave, t, 2, dim=2, output_size=8)  # Mamba 2's hint
        yield c(torch.repeat_interleave, t, 2, 1, output_size=t.shape[1] * 2)
        yield c(torch.repeat_interleave, t, 2, 1, output_size=5, must=False)  # not its size
        yield c(torch.repeat_interleave, t, 0, 0)
    yield c(torch.repeat_interleave, meta(), 3)  # 0-d: flattened to one element
    yield c(torch.repeat_interleave, meta(), 3, 0, must=False)
    yield c(torch.repeat_interleave, meta(3), meta(3, dtype=torch.int64), must=False)  # counts
    for index in [
        0,
        -1,
        (slice(None), 0),
        (Ellipsis, 1),
        (slice(None), None),
        (None, 1),
        (slice(1, 3), slice(None, None, 2)),
        (slice(-2, None),),
        (Ellipsis, None),
        (0, Ellipsis, slice(1, None)),
        (slice(5, 2),),
        (slice(None), slice(None), 3),
        (slice(None), 7),
        (0, 0, 0, 0),
    ]:
        yield c(
            torch.Tensor.__getitem__,
            meta(4, 5, 6),
            index,
            must=index not in [(slice(None), 7), (0, 0, 0, 0)],
        )
        yield c(
            torch.Tensor.__getitem__,
            meta(4, 5, 6).transpose(0, 2),
            index,
            must=index not in [(slice(None), 7), (0, 0, 0, 0)],
        )
    # indexing by a tensor of indices: the rows it names (a relative-position table)
    get = torch.Tensor.__getitem__
    yield c(get, meta(4, 5), meta(4, dtype=torch.int64))
    yield c(get, meta(10, 4), meta(3, 5, dtype=torch.int64))
    yield c(get, meta(10, 4), meta(5, 3, dtype=torch.int64).t())
    yield c(get, meta(10), meta(3, 5, dtype=torch.int64))
    yield c(get, meta(10, 4, 3), meta(7, dtype=torch.int64))
    yield c(get, meta(10, 4).t(), meta(2, dtype=torch.int64), must=False)  # not row-major
    yield c(get, meta(10, 4), meta(10, dtype=torch.bool), must=False)  # a mask
    yield c(get, meta(10, 4), meta(3, dtype=torch.int32), must=False)
    yield from _advanced_indexing_cases(c)
    yield c(torch.Tensor.unflatten, meta(2, 12, 5), 1, (3, 4))
    yield c(torch.unflatten, meta(2, 12, 5), -1, (5, 1))
    yield c(torch.Tensor.unflatten, meta(2, 12, 5).transpose(1, 2), 2, (-1, 4))
    for func in (F.selu, F.celu, F.logsigmoid, F.softsign, F.tanhshrink):
        yield c(func, x)
    # axes of size 1 with odd strides: kernels lay them out each their own way, so an
    # activation (or PReLU) answers only where torch's layout does not depend on it (on
    # the old rules, one answer in nine on such layouts was wrong)
    odd_ones = [meta(1, 5, 5).as_strided((1, 5, 5), (1, 5, 1)),
                meta(3, 1, 1).as_strided((3, 1, 1), (1, 3, 1)),
                meta(1, 3, 1, 1).as_strided((1, 3, 1, 1), (7, 1, 7, 100)),
                meta(5, 1, 1, 1).as_strided((5, 1, 1, 1), (1, 5, 1, 1)),
                meta(1, 2).as_strided((1, 2), (1, 1))]  # fmt: skip
    for t in odd_ones:
        for func in (F.relu, F.gelu, F.hardtanh, F.elu, F.softsign, torch.tanh):
            yield c(func, t, must=False)
        yield c(F.dropout, t, 0.5, True, must=False)
        yield c(torch.prelu, t, meta(t.shape[1]), must=False)
        yield c(torch.prelu, t, meta(1), must=False)
    # kernels that make their input contiguous first keep a contiguous one as it is, and
    # lay out its axes of size 1 each their own way when their strides are odd (SegFormer's
    # layer norm input): refused, as are half-precision element-wise ops on such axes
    # (computed in float32); the old rules answered each of these wrong
    odd_rows = meta(8).as_strided((2, 1, 4), (4, 1, 1))
    # (layer norm follows its decomposition on float32 and float64 inputs of any layout)
    yield c(F.layer_norm, odd_rows, (4,), meta(4), meta(4))
    yield c(F.layer_norm, odd_rows, (1, 4), None, meta(1, 4))
    yield c(F.layer_norm, meta(3, 1, 5).as_strided((3, 1, 5), (5, 100, 1)), (5,), meta(5))
    yield c(F.layer_norm, meta(2, 5, 4).transpose(1, 2), (5,))
    yield c(F.layer_norm, odd_rows.to(torch.float64), (4,))
    yield c(F.layer_norm, meta(8, dtype=torch.float16).as_strided((2, 1, 4), (4, 1, 1)), (4,),
            must=False)  # fmt: skip
    yield c(F.rms_norm, odd_rows, (4,), meta(4), must=False)
    yield c(torch.softmax, meta(3).as_strided((1, 3), (1, 1)), -1, must=False)
    yield c(torch.log_softmax, meta(3).as_strided((1, 3), (1, 1)), 0, must=False)
    yield c(F.group_norm, meta(9).as_strided((3, 1, 3), (3, 1, 1)), 1, must=False)
    yield c(F.instance_norm, meta(24).as_strided((4, 3, 2, 1), (6, 2, 1, 6)), must=False)
    yield c(F.glu, meta(4).as_strided((1, 2, 2, 1), (4, 2, 1, 1)), 2, must=False)
    half_odd = meta(10, dtype=torch.float16).as_strided((1, 5), (1, 2))
    yield c(torch.exp, half_odd, must=False)
    yield c(torch.add, half_odd, 1, must=False)
    yield c(torch.gt, half_odd, 0.5, must=False)
    # logsigmoid of inputs of any layout (xLSTM's gates: axes of size 1 with odd strides),
    # as its decomposition's steps lay it out (half precision computed in float32)
    odd = [meta(4, 1, 3).as_strided((4, 1, 3), (12, 2, 2)), meta(2, 4, 2, 1, order=(0, 1, 3, 2)),
           meta(3, 5, 6, 1)[:, :, ::2], meta(1, 1, 2).as_strided((1, 1, 2), (2, 2, 2))]  # fmt: skip
    for t in (*_layouts(), *odd):
        for dtype in (torch.float32, torch.float64, torch.float16, torch.bfloat16):
            t_ = t if dtype == torch.float32 else t.to(dtype)
            yield c(F.logsigmoid, t_)
    for t in (meta(3, 4, 5), meta(3, 4, 5).permute(2, 0, 1)):
        yield c(torch.Tensor.unbind, t)
        yield c(torch.unbind, t, 2)
        yield c(torch.Tensor.softmax, t, -1)
        yield c(torch.Tensor.log_softmax, t, 0)
        yield c(torch.softmax, t, 1)
        yield c(torch.log_softmax, t, 1, dtype=torch.float64)
    for t in (meta(3, 1, 4, 1), meta(3, 1, 4, 1).transpose(0, 2)):
        yield c(torch.Tensor.squeeze, t)
        yield c(torch.Tensor.squeeze, t, 1)
        yield c(torch.squeeze, t, -1)
        yield c(torch.squeeze, t, 0)
        yield c(torch.squeeze, t, (1, 3))
    yield c(torch.squeeze, meta(3), 1, must=False)
    yield from _attention_cases(c)
    yield from _padding_and_factory_cases(c)
    yield from _pooling_layout_cases(c)
    ids = meta(2, 7, dtype=torch.int64)
    yield c(F.embedding, ids, meta(50, 16, param=True))
    yield c(F.embedding, ids, meta(50, 16), 0)
    yield c(F.embedding, meta(2, 7), meta(50, 16), must=False)
    yield from _indexing_cases(c)
    yield from _conversion_cases(c)
    yield from _pointwise_cases(c)
    yield from _complex_cases(c)
    yield from _loss_cases(c)
    yield from _grid_sample_cases(c)
    yield from _mixed_comparison_cases(c)
    yield from _unfold_cases(c)
    yield from _random_and_sort_cases(c)
    yield from _where_and_scan_cases(c)
    yield from _method_cases(c)


def _pooled_layouts(nd: int) -> list[torch.Tensor]:
    """Batched inputs of ``nd`` spatial axes that are not row-major: permuted (channels
    last among them), sliced, broadcast, with one channel, with odd strides on axes of
    size 1."""
    spatial = (7, 6, 5)[:nd]
    dims = nd + 2
    out = [
        meta(2, 4, *spatial, order=(0, *range(2, dims), 1)),  # channels last
        meta(2, 4, *spatial, order=(*range(2, dims), 1, 0)),
        meta(2, 4, *spatial, order=(1, 0, *range(2, dims))),
        meta(2, 4, *spatial[:-1], spatial[-1] * 2)[..., ::2],
        meta(1, 4, *spatial, order=(0, *range(2, dims), 1)),
        meta(2, 1, *spatial, order=(0, *range(2, dims), 1)),
        meta(2, 4, *(1,) * nd).as_strided((2, 4, *(1,) * nd), (4, 1, *(7,) * nd)),
        meta(2, 1, *spatial).expand(2, 4, *spatial),
    ]
    if nd == 1:  # Swin's and SEW's: a sequence (batch, length, channels) transposed
        out.append(meta(2, 7, 4).transpose(1, 2))
    return out


def _pooling_layout_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Pooling keeps the input's suggested memory format (1-d and 2-d pooling of any
    layout must answer; 3-d pooling of a layout not row-major may refuse)."""
    for nd in (1, 2, 3):
        for t in _pooled_layouts(nd):
            must = nd < 3
            yield c(getattr(F, f"max_pool{nd}d"), t, 1, 2, must=must)
            yield c(getattr(F, f"max_pool{nd}d"), t, 2, 1, 0, 1, True, must=must)
            yield c(getattr(F, f"max_pool{nd}d"), t, 1, return_indices=True, must=must)
            yield c(getattr(F, f"avg_pool{nd}d"), t, 1, 2, must=must)
            yield c(getattr(F, f"avg_pool{nd}d"), t, 2, 1, 1, True, must=must)
            for size in (1, 2, 3):
                yield c(getattr(F, f"adaptive_avg_pool{nd}d"), t, size, must=must)
                yield c(getattr(F, f"adaptive_max_pool{nd}d"), t, size, must=must)
            yield c(getattr(F, f"adaptive_max_pool{nd}d"), t, 2, True, must=must)
            yield c(getattr(F, f"max_pool{nd}d_with_indices"), t, 1, must=must)
            yield c(F.interpolate, t, size=2, mode="area", must=must)


def _fuzzed_layout(rng: random.Random, shape: list[int], dtype: torch.dtype) -> torch.Tensor:
    """A meta tensor of ``shape`` in a random layout: axes permuted, some expanded from 1,
    odd strides on axes of size 1."""
    nd = len(shape)
    perm = list(range(nd))
    rng.shuffle(perm)
    base = [shape[i] for i in perm]
    grown = [1 if rng.random() < 0.25 else size for size in base]
    t = torch.empty(grown, device="meta", dtype=dtype).expand(base)
    t = t.permute([perm.index(i) for i in range(nd)])
    if rng.random() < 0.3:
        strides = [rng.choice([1, 2, 3, 7, 100]) if size == 1 and rng.random() < 0.7 else st
                   for size, st in zip(t.shape, t.stride())]  # fmt: skip
        t = torch.empty(1000, device="meta", dtype=dtype).as_strided(t.shape, strides)
    return t


def _fuzzed_masked_fill_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """masked_fill over random layouts with axes of size 1 (seeded): answered, right."""
    rng = random.Random(0)
    for _ in range(300):
        shape = [rng.choice([1, 1, 2, 3, 4]) for _ in range(rng.randint(1, 5))]
        mask_shape = [s if rng.random() < 0.7 else 1 for s in shape[rng.randint(0, len(shape)) :]]
        mask = _fuzzed_layout(rng, mask_shape, torch.bool)
        yield c(torch.masked_fill, _fuzzed_layout(rng, shape, torch.float32), mask, 0.0,
                must=False)  # fmt: skip


def _advanced_indexing_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Tensors of indices among basic indices: adjacent or apart (the broadcast indices go
    first), broadcasting, after ints, slices and None; sources of odd layouts, of size-1
    and empty axes. Masks and 0-d indices are refused (their values decide)."""
    get = torch.Tensor.__getitem__

    def ids(*shape: int, dtype: torch.dtype = torch.int64) -> torch.Tensor:
        return meta(*shape, dtype=dtype)

    sources = [
        meta(4, 5, 6),
        meta(4, 5, 6).transpose(0, 2),
        meta(4, 5, 6, order=(1, 2, 0)),
        meta(4, 5, 6)[:, ::2],
        meta(1, 5, 1),
        meta(4, 1, 6).transpose(0, 1),
        meta(4, 0, 6),
    ]
    indices = [
        (ids(3),),
        (ids(3, 1), ids(1, 2)),
        (ids(2, 1, 1, 1), ids(1, 1, 1, 3)),  # transformers' padding mask: batch, key
        (ids(3), slice(None), ids(3)),  # apart: the indices' axis goes first
        (slice(None), ids(2, 2)),
        (Ellipsis, ids(3)),
        (None, ids(3), slice(1, None)),
        (ids(3), 0, ids(1)),  # an int between: selected first, so they are adjacent
        (0, ids(2), ids(2)),
        (ids(3), None, ids(3)),
        (ids(2, dtype=torch.int32), ids(2)),
        (ids(0),),  # no index at all: an empty result
        (slice(None), ids(0, 3)),
        (ids(3), ids(4)),  # do not broadcast: torch refuses
        (ids(3), ids(3), ids(3), ids(3)),  # too many
    ]
    for x in sources:
        for index in indices:
            yield c(get, x, index)
    # lists of ints: torch makes a tensor of indices of each (Falcon's fused_qkv[..., [-2], :])
    lists = [
        [0, 2],
        [-1],
        (Ellipsis, [-2], slice(None)),
        (slice(None), [0, 0, 2]),
        ([3, 0], slice(None), [1, 2]),
        (slice(None), [2], ids(1)),
        (None, [1, -4]),
        [6],  # out of range (torch's meta kernel does not check; a real pass raises)
        (slice(None), [5]),
        (slice(None), [-6]),
        (slice(None), []),  # empty: refused
        ([True, False, True, False],),  # a mask
        (slice(None), [[0, 1]]),  # nested
        (slice(None), [0.5]),
    ]
    for x in sources[:4]:
        for index in lists:
            yield c(get, x, index, must=index not in lists[-7:])
    yield c(get, meta(4, 5), (meta(4, dtype=torch.bool), slice(None)), must=False)  # a mask
    yield c(get, meta(4, 5), (ids(), slice(None)), must=False)  # 0-d: a select by value
    yield c(get, meta(4, 5), (ids(2, dtype=torch.int16), slice(None)), must=False)


def _method_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Tensor.type, new_* factories, index_select, argmax, repeat and tile: fresh
    row-major results (type as to), whatever the input's layout."""
    T, i64, f16 = torch.Tensor, torch.int64, torch.float16
    for t in (*_layouts()[:-1], meta(4, param=True), meta(2, 3, dtype=i64)):
        yield c(T.type, t)  # the type's name: "torch.meta.FloatTensor"
        yield c(T.type, t, torch.float32, must=t.dtype == torch.float32)
        yield c(T.type, t, f16)
        yield c(T.type, t, dtype=i64, non_blocking=True)
        yield c(T.new_empty, t, 2, 3)
        yield c(T.new_empty, t, (2, 3), dtype=f16, device="meta")
        yield c(T.new_zeros, t, [4])
        yield c(T.new_zeros, t, size=(2, 0))
        yield c(T.new_ones, t, ())
        yield c(T.new_ones, t, 5, dtype=torch.bool)
        yield c(T.new_full, t, (2, 3), 1.5)
        yield c(T.new_full, t, [2], 7, dtype=i64)
        yield c(T.new_full, t, size=(2,), fill_value=True)
        yield c(torch.argmax, t)
        yield c(torch.argmax, t, keepdim=True)
        yield c(T.argmax, t, -1)
        yield c(torch.argmax, t, dim=0, keepdim=True)
        yield c(torch.index_select, t, 0, meta(5, dtype=i64))
        yield c(T.index_select, t, -1, meta(2, dtype=torch.int32))
        yield c(torch.index_select, t, 0, meta(dtype=i64))  # a 0-d index: one row
        yield c(torch.index_select, t, dim=t.dim() - 1, index=meta(3, dtype=i64)[::2])
        yield c(T.repeat, t, *(2,) * t.dim())
        yield c(T.repeat, t, (1,) * t.dim())
        yield c(T.repeat, t, [3, *(1,) * t.dim()])
        yield c(T.repeat, t, 1, 2, *(1,) * t.dim())
        yield c(torch.tile, t, (2,))
        yield c(torch.tile, t, [2, 1, 1, 3, 1])
        yield c(torch.tile, t, dims=(1,) * t.dim())
        yield c(T.tile, t, 2)
        yield c(T.tile, t, (2, 3))
        yield c(T.tile, t, ())
    x = meta(2, 3)
    # refused: torch raises, or its meta kernel checks less than its CPU kernel
    yield c(T.type, x, "torch.FloatTensor", must=False)  # a CPU type: torch raises
    yield c(T.type, x, torch.FloatTensor, must=False)
    yield c(T.type, x, torch.float16, non_blocking=1, must=False)
    yield c(T.type, meta(0, 3), torch.float16, must=False)
    yield c(T.type, meta(2, dtype=torch.complex64), must=False)
    yield c(T.new_empty, x, 2, device="cpu", must=False)
    yield c(T.new_ones, x, 2, requires_grad=True, must=False)
    yield c(T.new_zeros, x, 2, memory_format=torch.contiguous_format, must=False)
    yield c(T.new_full, x, 2, 1.0, must=False)  # torch takes a sequence of sizes only
    yield c(T.new_full, x, (2,), meta(), must=False)  # reads the value: torch raises
    yield c(T.new_empty, x, must=False)
    yield c(torch.argmax, meta(0, 3), must=False)
    yield c(torch.argmax, meta(0, 3), -1, must=False)
    yield c(torch.argmax, x, 2, must=False)
    yield c(torch.argmax, meta(3, dtype=torch.bool), must=False)
    yield c(torch.argmax, meta(), 0)
    yield c(torch.argmax, x, 0, keepdim=1, must=False)
    yield c(torch.index_select, x, 0, meta(2, 2, dtype=i64), must=False)  # meta answers
    yield c(torch.index_select, x, 0, meta(2, dtype=torch.int16), must=False)
    yield c(torch.index_select, x, 0, meta(2), must=False)
    yield c(torch.index_select, meta(), 0, meta(5, dtype=i64), must=False)
    yield c(torch.index_select, x, 2, meta(2, dtype=i64), must=False)
    yield c(torch.index_select, x, 0, meta(0, dtype=i64), must=False)
    yield c(T.repeat, x, 2, must=False)  # fewer counts than dimensions
    yield c(T.repeat, x, 2, 0, must=False)
    yield c(T.repeat, x, 2, -1, must=False)
    yield c(T.repeat, x, must=False)
    yield c(T.repeat, meta(0, 3), 2, 1, must=False)
    yield c(torch.tile, x, 2, must=False)  # torch.tile takes a sequence only
    yield c(torch.tile, x, (0,), must=False)
    yield c(T.tile, x, must=False)


def _layouts(dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
    """Row-major, permuted, sliced (gapped), broadcast and odd-size-1 layouts."""
    return [
        meta(2, 3, 4, dtype=dtype),
        meta(2, 3, 4, dtype=dtype, order=(2, 0, 1)),
        meta(2, 3, 8, dtype=dtype)[..., 4:],
        meta(1, 4, 2, 8, dtype=dtype).transpose(1, 2)[..., :4],
        meta(3, 1, dtype=dtype).expand(3, 4),
        meta(2, 1, 4, dtype=dtype).transpose(0, 1),
        meta(0, 3, dtype=dtype),
    ]


def _conversion_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """to, float, type_as, ...: the input itself when nothing changes, else a copy."""
    to = torch.Tensor.to
    for t in (*_layouts(), meta(2, 3, dtype=torch.float16), meta(4, param=True)):
        yield c(to, t, torch.float16, must=False)
        yield c(to, t, torch.float32)
        yield c(to, t, "meta")
        yield c(to, t, torch.device("meta"), torch.float64, must=False)
        yield c(to, t, device="meta", dtype=torch.float32)
        yield c(to, t, dtype=torch.int64, must=False)
        yield c(to, t, torch.float32, copy=True, must=False)
        yield c(to, t, meta(1, dtype=torch.bfloat16), must=False)
        yield c(to, t, meta(1), non_blocking=True)
        yield c(to, t, "cpu", must=False)
        yield c(to, t, torch.float32, memory_format=torch.contiguous_format)
        yield c(to, t, torch.float16, memory_format=torch.contiguous_format, must=False)
        yield c(to, t, torch.float32, memory_format=torch.channels_last, must=False)
        for func in (torch.Tensor.float, torch.Tensor.half, torch.Tensor.double,
                     torch.Tensor.bfloat16, torch.Tensor.long, torch.Tensor.int,
                     torch.Tensor.bool):  # fmt: skip
            yield c(func, t, must=func is torch.Tensor.float and t.dtype == torch.float32)
        yield c(torch.Tensor.type_as, t, meta(1), must=t.dtype == torch.float32)
        yield c(torch.Tensor.type_as, t, meta(1, dtype=torch.int64), must=False)
    yield c(to, meta(2, 3), torch.float16)
    yield c(to, meta(2, 3, order=(1, 0)), torch.float16)
    # to a row-major format: the input itself where torch suggests that format for it
    # (any layout but a channels-last-like one, Lara's transposed query included), else
    # a row-major copy
    for t in (meta(2, 5, 3, 4).transpose(1, 2), meta(2, 3, 4, 5, order=(0, 2, 3, 1)),
              meta(2, 1, 4, 5, order=(0, 2, 3, 1)), meta(2, 3, 1, 1, order=(0, 2, 3, 1)),
              meta(2, 3, 4, 5, 6, order=(0, 2, 3, 4, 1)), meta(2, 3, 4, 5)[:, :, ::2],
              meta(2, 3, 4, 5, order=(0, 2, 3, 1))[..., 1:], meta(1, 3, 1, 5).transpose(1, 3),
              meta(3, 1, 1, 1).expand(3, 4, 1, 1)):  # fmt: skip
        for dtype in (torch.float32, torch.float16, torch.int64):
            yield c(to, t, dtype, memory_format=torch.contiguous_format)
        yield c(to, t, torch.float32, copy=True, memory_format=torch.contiguous_format)
        yield c(to, t, memory_format=torch.contiguous_format)
    yield c(torch.Tensor.float, meta(2, 3, dtype=torch.int64))
    yield c(to, meta(2, 3), torch.complex64, must=False)
    yield c(to, meta(2, 3), 0, must=False)  # a CUDA device by index
    # a layout that is not dense comes out dense in its axis order (GLM-4V's position ids)
    for t in (
        meta(3, 2, 10, dtype=torch.int64).expand(3, 2, 10)[..., None],
        meta(1, 2, 10, dtype=torch.int64).expand(3, 2, 10)[..., None],
        meta(2, 3, 8)[..., 4:],
        meta(1, 4, 2, 8, order=(0, 2, 1, 3))[..., ::2],
        meta(3, 1, 5, dtype=torch.float16).expand(3, 4, 5).transpose(0, 2),
        meta(2, 3, 4, 5, order=(0, 2, 3, 1))[:, :2],
    ):
        yield c(torch.Tensor.float, t, must=t.dtype != torch.float32)
        yield c(to, t, torch.bfloat16)
        yield c(to, t, t.dtype, copy=True)
        yield c(torch.Tensor.type_as, t, meta(1, dtype=torch.float64))
    yield c(torch.Tensor.float, meta(2, 0, 3, dtype=torch.int64)[:, :, ::2], must=False)


def _where_and_scan_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """torch.where: layouts (a number or a 0-d tensor among the operands keeps
    TensorIterator off its row-major fast path), dtypes of numbers alone; cumsum."""
    b = torch.bool
    for t in _layouts():
        cond = meta(*t.shape, dtype=b)
        yield c(torch.where, cond, t, -1.0)
        yield c(torch.where, cond, 0, t)
        yield c(torch.where, cond, t, meta())  # GPT-Neo's 0-d mask value
        yield c(torch.where, cond, t, t, must=t.is_contiguous())
        yield c(torch.where, meta(4, dtype=b), t, meta(1, 4))
        yield c(torch.where, meta(1, 1, dtype=b), t, 2.0)
        yield c(torch.where, cond, 1.0, 0.0)
        yield c(torch.Tensor.where, t, cond, meta(4))
        yield c(torch.cumsum, t, 1)
        yield c(torch.Tensor.cumsum, t, -1)
        yield c(torch.cumsum, t, dim=0, dtype=torch.float16)
    yield c(torch.where, meta(1, 1, 5, 5, dtype=b), meta(2, 4, 5, 5), meta())
    yield c(torch.where, meta(2, 1, 5, 1, dtype=b, order=(3, 0, 2, 1)), meta(2, 4, 5, 5), -1e9)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=torch.int64),
            meta(3, 4, dtype=torch.int64))  # fmt: skip  # T5's relative buckets
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=torch.int32), 7)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=b), True)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=torch.float16), 2)
    for x, y in ((1, 0), (True, False), (1, 0.5), (False, 2)):
        yield c(torch.where, meta(3, 4, dtype=b), x, y)
    yield c(torch.where, meta(dtype=b), meta(), 0.0)
    yield c(torch.where, meta(dtype=b), 1.0, 0.0)
    yield c(torch.where, meta(dtype=b), meta(3, 4), meta(4))
    cl = meta(2, 3, 4, 5, order=(0, 2, 3, 1))
    yield c(torch.where, meta(2, 3, 4, 5, dtype=b, order=(0, 2, 3, 1)), cl, cl, must=False)
    yield c(torch.where, meta(2, 3, 4, 5, dtype=b), cl, 0.0)
    yield c(torch.where, meta(1, 3, 1, 1, dtype=b), cl, meta(5))
    # promoted across dtypes, a condition of another dtype, nonzero, keywords: refused
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4), meta(3, 4, dtype=torch.float16),
            must=False)  # fmt: skip
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=torch.float16), meta(),
            must=False)  # fmt: skip
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=torch.int64), 0.5, must=False)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4, dtype=b), 2, must=False)
    yield c(torch.where, meta(3, 4, dtype=torch.uint8), meta(3, 4), 0.0, must=False)
    yield c(torch.where, meta(3, 4), meta(3, 4), 0.0, must=False)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 5), 0.0, must=False)
    yield c(torch.where, meta(3, 4, dtype=b), must=False)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4), other=meta(4), must=False)
    yield c(torch.where, meta(3, 4, dtype=b), meta(3, 4), 1j, must=False)
    yield c(torch.Tensor.where, meta(3, 4), meta(3, 4, dtype=b), 0.0)
    # SiLU and sigmoid lay out any input as torch's references do (a gated MLP's chunk)
    gapped = [
        meta(2, 5, 16)[..., :8],
        meta(2, 5, 16).chunk(2, -1)[1],
        meta(3, 1, 4).expand(3, 2, 4),
        meta(2, 3, 4, 5, order=(0, 2, 3, 1))[:, :2],
        meta(1, 3, 1, 1).expand(2, 3, 4, 4),
    ]
    for t in [*_layouts(), *gapped]:
        for func in (F.silu, torch.sigmoid, F.sigmoid, torch.Tensor.sigmoid):
            yield c(func, t)
    # other activations of a gapped input (ModernBERT's GELU of a chunk) without axes of
    # size 1: laid out densely in its axis order
    for t in (gapped[0], gapped[1], meta(2, 3, 4, 5, order=(0, 2, 3, 1))[:, :2],
              meta(3, 8, 4).transpose(0, 2)[::2]):  # fmt: skip
        for func in (F.gelu, F.relu, F.relu6, F.hardtanh, F.leaky_relu, F.elu, F.mish,
                     F.softplus, F.hardswish, torch.tanh, F.softshrink):  # fmt: skip
            yield c(func, t)
        yield c(F.dropout, t, 0.1, True)
    for func in (F.gelu, F.relu6, F.hardtanh, F.dropout):
        yield c(func, meta(1, 3, 8)[..., :4], must=False)  # an axis of size 1
        yield c(func, meta(3, 1, 4).expand(3, 2, 4), must=False)  # a broadcast axis
    # clamp by numbers: a where per bound, laid out as torch's reference lays them
    # (the last: gapped, with an axis of size 1, where the | of the two bool steps lays
    # that axis out its own way; the layout fuzz found a bound alone answered wrong there)
    for t in [*_layouts(), *gapped[:2], meta(2, 1, 4).as_strided((2, 1, 4), (4, 100, 1)),
              meta(8, 4, 5, 1)[::2].as_strided((4, 4, 5, 1), (40, 5, 1, 40))]:  # fmt: skip
        broadcast = 0 in [st for st, n in zip(t.stride(), t.shape) if n > 1]
        yield c(torch.clamp, t, min=0.5, must=not broadcast)
        yield c(torch.clamp, t, max=2, must=not broadcast)
        yield c(torch.clip, t, -1.0, 1.0, must=not broadcast)
        yield c(torch.Tensor.clamp, t, min=-1e4, max=1e4, must=not broadcast)
        yield c(torch.Tensor.clip, t, None, 3.0, must=not broadcast)
        yield c(torch.clamp_min, t, 1e-6, must=not broadcast)
        yield c(torch.Tensor.clamp_min, t, min=0, must=not broadcast)
        yield c(torch.clamp_max, t, 2.5, must=not broadcast)
        yield c(torch.Tensor.clamp_max, t, max=-1, must=not broadcast)
    yield c(torch.clamp, meta(2, 3, dtype=torch.int64), min=1)
    yield c(torch.clamp, meta(2, 3, dtype=torch.int64), 0, 5)
    yield c(torch.clamp, meta(2, 3, dtype=torch.int64), min=0.5, must=False)  # promoted
    yield c(torch.clamp, meta(2, 3), must=False)  # torch raises
    yield c(torch.clamp, meta(2, 3), meta(2, 3), must=False)  # tensor bounds
    yield c(torch.clamp, meta(2, 3, dtype=torch.bool), min=True, must=False)
    yield c(torch.clamp_min, meta(2, 3, dtype=torch.int64), 2)
    yield c(torch.clamp_min, meta(2, 3, dtype=torch.int64), 0.5, must=False)  # promoted
    yield c(torch.clamp_min, meta(2, 3), meta(3), must=False)  # a tensor bound
    yield c(torch.clamp_max, meta(2, 3), None, must=False)
    # x.unfold(dimension, size, step): a view of the windows (PatchTSMixer's patches)
    for t in _layouts():
        for dim, size, step in ((-1, 2, 1), (0, 1, 1), (1, 2, 2), (-1, 4, 3), (1, 3, 5)):
            yield c(torch.Tensor.unfold, t, dim, size, step, must=size <= t.shape[dim])
    yield c(torch.Tensor.unfold, meta(), 0, 1, 1)
    yield c(torch.Tensor.unfold, meta(), 0, 2, 1, must=False)
    yield c(torch.Tensor.unfold, meta(3, 4), 1, 2, 0, must=False)
    yield c(torch.Tensor.unfold, meta(3, 4), 1, 0, 1)
    # to another tensor's shape; t; clone in the input's layout
    for t in _layouts():
        yield c(torch.Tensor.view_as, t, meta(*t.shape), must=t.is_contiguous())
        yield c(torch.Tensor.reshape_as, t, meta(t.numel()))
        yield c(torch.Tensor.expand_as, t, meta(2, *t.shape))
        yield c(torch.clone, t, must=t.numel() > 0)
        yield c(torch.Tensor.clone, t, memory_format=torch.preserve_format, must=t.numel() > 0)
        yield c(torch.clone, t, memory_format=torch.contiguous_format, must=False)
    yield c(torch.Tensor.view_as, meta(2, 3, 4), meta(6, 4))
    yield c(torch.Tensor.view_as, meta(2, 3, 4), meta(5, 4), must=False)
    yield c(torch.Tensor.expand_as, meta(2, 3), meta(3, 3), must=False)
    for t in (meta(3, 4), meta(4, 3).t(), meta(5), meta(), meta(2, 3, 4)):
        yield c(torch.t, t, must=t.dim() <= 2)
        yield c(torch.Tensor.t, t, must=t.dim() <= 2)
    # weight norm's fused case (dim first or last) on row-major operands
    for v, g, dim in [
        ((8, 4, 5), (1, 1, 5), 2),
        ((8, 4, 5), (8, 1, 1), 0),
        ((8, 1, 5), (8, 1, 1), 0),
        ((6,), (6,), 0),
    ]:
        yield c(torch._weight_norm, meta(*v), meta(*g), dim)
        yield c(torch._weight_norm, meta(*v, dtype=torch.float16), meta(*g, dtype=torch.float16),
                dim, must=False)  # fmt: skip
    yield c(torch._weight_norm, meta(8, 4, 5), meta(1, 4, 1), 1, must=False)
    yield c(torch._weight_norm, meta(8, 4, 5), meta(1, 1, 5), -1, must=False)
    yield c(torch._weight_norm, meta(8, 4, 5), meta(5), 2, must=False)
    yield c(torch._weight_norm, meta(8, 4, 5), meta(1, 1, 5, dtype=torch.float64), 2, must=False)
    yield c(torch._weight_norm, meta(5, 4, 8).permute(2, 1, 0), meta(1, 1, 5), 2, must=False)
    yield c(torch._weight_norm, meta(8, 1, 5).as_strided((8, 1, 5), (5, 100, 1)), meta(8, 1, 1),
            0, must=False)  # fmt: skip
    # normalize: the input divided by its expanded norm, each step as torch lays it out
    # (axes of size 1 with odd strides included: SwinV2's attention)
    extra = [
        meta(2, 4, 6)[:, ::2], meta(1, 3, 5), meta(2, 4, 7, 8, order=(0, 2, 1, 3)),
        meta(1, 3, 5).as_strided((1, 3, 5), (7, 5, 1)), meta(3, 1, 5).transpose(0, 1),
        meta(2, 1, 4, 5, order=(0, 2, 3, 1)), meta(1, 4, 1, 6).permute(2, 3, 0, 1),
    ]  # fmt: skip
    for t in [*_layouts(), *extra]:
        broadcast = any(st == 0 and n > 1 for n, st in zip(t.shape, t.stride()))
        plain = t.numel() > 0 and not broadcast
        yield c(F.normalize, t, dim=-1, must=plain)
        yield c(F.normalize, t, 1.0, 0, must=plain)
        yield c(F.normalize, t, float("inf"), 1, 1e-6, must=plain and t.dim() > 1)
    yield c(F.normalize, meta(2, 4), dim=2, must=False)
    yield c(F.normalize, meta(2, 4), meta(), must=False)
    yield c(F.normalize, meta(2, 4, dtype=torch.int64), must=False)

    # element-wise layouts as torch's references make them on meta: operands of lower rank
    # expanded first, odd strides on axes of size 1, rsub led by its other operand
    def odd(shape: tuple[int, ...], stride: tuple[int, ...]) -> torch.Tensor:
        return meta(256).as_strided(shape, stride)

    yield c(torch.add, meta(2, 2, 3), odd((1, 1, 2, 3), (3, 3, 3, 1)))
    yield c(torch.mul, odd((1, 3, 1, 1), (1, 1, 100, 1)), odd((1, 3, 1, 1), (3, 1, 3, 3)))
    yield c(torch.gt, odd((1, 3, 1, 1), (1, 1, 100, 1)), odd((1, 3, 1, 1), (3, 1, 3, 3)))
    yield c(
        torch.Tensor.__rsub__, odd((1, 3, 3, 2), (18, 2, 6, 1)), odd((1, 3, 1, 2), (1, 1, 6, 3))
    )
    yield c(torch.Tensor.__rsub__, odd((1, 3, 3, 2), (18, 2, 6, 1)), 1.0)
    # a number divided by a tensor: x.reciprocal() * number
    rtruediv = torch.Tensor.__rtruediv__
    for x_ in (
        meta(2, 3), meta(3, 2).t(), meta(2, 6)[:, ::2], odd((1, 3, 3, 2), (18, 2, 6, 1)),
        odd((3, 1, 3, 1), (3, 18, 1, 18)), meta(2, 3, dtype=torch.float16), meta(),
    ):  # fmt: skip
        yield c(rtruediv, x_, 1.0)
        yield c(rtruediv, x_, 3)
    yield c(rtruediv, meta(2, 3, dtype=torch.int64), 1.0, must=False)  # promoted: not followed
    yield c(rtruediv, meta(2, 3), meta(3), must=False)
    yield c(rtruediv, meta(2, 3), 1j, must=False)
    yield c(torch.add, odd((1, 2, 1, 3), (6, 1, 2, 2)), 2.0)
    for func in (torch.neg, torch.exp, torch.abs, torch.square):
        yield c(func, odd((3, 1, 3, 1), (3, 18, 1, 18)))
    yield c(torch.pow, odd((1, 2, 1, 3), (6, 1, 2, 2)), 2)
    # cumsum: integers and bools sum in int64
    for dtype in (torch.int64, torch.int32, torch.bool, torch.float16):
        yield c(torch.cumsum, meta(2, 10, dtype=dtype), 1)
        yield c(torch.Tensor.cumsum, meta(2, 10, dtype=dtype), dim=-1, dtype=torch.float32)
    yield c(torch.cumsum, meta(), 0)
    yield c(torch.cumsum, meta(), -1)
    yield c(torch.cumsum, meta(2, 3), 2, must=False)
    yield c(torch.cumsum, meta(2, 3), 1.0, must=False)
    yield c(torch.cumsum, meta(2, 3, dtype=torch.complex64), 1, must=False)
    yield c(torch.cumsum, meta(2, 3), 1, dtype=torch.complex64, must=False)


def _loss_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """F.mse_loss of two tensors of any layouts, each reduction."""
    for t in _layouts():
        for u in (meta(*t.shape), meta(*t.shape, order=tuple(reversed(range(t.dim())))), t):
            for reduction in ("none", "mean", "sum"):
                # axes of size 1 leave the iterator's order open: refused unless row-major
                must = reduction != "none" or all(size > 1 for size in t.shape)
                yield c(F.mse_loss, t, u, reduction=reduction, must=must)
                yield c(F.mse_loss, u, t, None, None, reduction, must=must)
    yield c(F.mse_loss, meta(2, 3), meta(2, 3))
    yield c(F.mse_loss, meta(1, 3), meta(1, 3), reduction="none")
    yield c(F.mse_loss, meta(2, 3), meta(3), must=False)  # broadcast: refused
    yield c(F.mse_loss, meta(2, 3), meta(2, 4), must=False)
    yield c(F.mse_loss, meta(2, 3), meta(2, 3), reduction="max", must=False)
    yield c(F.mse_loss, meta(2, 3, dtype=torch.long), meta(2, 3, dtype=torch.long), must=False)
    yield c(F.mse_loss, meta(2, 3, dtype=torch.float64), meta(2, 3), must=False)


def _unfold_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """F.unfold of any layout, settings as ints, pairs and keywords; blocks that do not fit."""
    for t in (meta(2, 3, 8, 9), meta(2, 3, 8, 9, order=(0, 2, 3, 1)),
              meta(2, 3, 9, 8).transpose(2, 3), meta(3, 8, 9), meta(1, 3, 8, 9),
              meta(2, 3, 8, 18)[..., ::2], meta(2, 3, 8, 9, dtype=torch.float64)):  # fmt: skip
        yield c(F.unfold, t, 3)
        yield c(F.unfold, t, (2, 3), (1, 2), 1, 2)
        yield c(F.unfold, t, kernel_size=[4, 2], stride=(3, 1), padding=(0, 2))
        yield c(F.unfold, t, kernel_size=[4], must=False)  # torch takes pairs only
        yield c(F.unfold, t, 1)
    yield c(F.unfold, meta(2, 3, 2, 2), 3, must=False)  # larger than the input: torch raises
    yield c(F.unfold, meta(2, 3, 2, 2), 3, padding=1)
    yield c(F.unfold, meta(2, 3, 8), 2, must=False)
    yield c(F.unfold, meta(2, 3, 8, 9), 0, must=False)
    yield c(F.unfold, meta(2, 3, 8, 9), 2, padding=-1, must=False)
    yield c(F.unfold, meta(2, 3, 8, 9, dtype=torch.long), 2, must=False)
    yield c(F.unfold, meta(0, 3, 8, 9), 2, must=False)


def _mixed_comparison_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Comparisons of two tensors of different dtypes, any layouts: compared promoted."""
    kinds = (torch.int64, torch.int32, torch.bool, torch.float16, torch.float64)
    for t in _layouts():
        for dtype in kinds:
            # a conversion of a layout with axes of size 1 may go either way: refused
            must = 1 not in t.shape
            u = meta(*t.shape, dtype=dtype)
            v = meta(*t.shape, dtype=dtype, order=tuple(reversed(range(t.dim()))))
            for name in ("eq", "lt", "ge"):
                yield c(getattr(torch, name), t, u, must=must)
                yield c(getattr(torch.Tensor, f"__{name}__"), u, t, must=must)
                yield c(getattr(torch, name), v, t, must=must)
                yield c(getattr(torch, name), t, meta(t.shape[-1], dtype=dtype), must=must)
    yield c(torch.eq, meta(2, 3, dtype=torch.long), meta(1, 3, dtype=torch.float32))
    yield c(torch.lt, meta(2, 3), torch.polar(meta(2, 3), meta(2, 3)), must=False)


def _grid_sample_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """F.grid_sample of any layouts, 2-d and 3-d, each mode and padding."""
    inputs = (meta(2, 3, 8, 9), meta(2, 3, 8, 9, order=(0, 2, 3, 1)), meta(1, 3, 8, 18)[..., ::2])
    grids = (meta(2, 5, 6, 2), meta(2, 6, 5, 2).transpose(1, 2), meta(2, 1, 6, 2))
    for x in inputs:
        for g in grids:
            g = g[: x.shape[0]]
            for mode in ("bilinear", "nearest", "bicubic"):
                yield c(F.grid_sample, x, g, mode, "zeros", False)
            yield c(F.grid_sample, x, g, padding_mode="border", align_corners=True)
            yield c(F.grid_sample, x, g, "nearest", "reflection")
    for x in (meta(2, 3, 4, 8, 9), meta(2, 3, 4, 8, 9, order=(0, 2, 3, 4, 1))):
        yield c(F.grid_sample, x, meta(2, 4, 5, 6, 3), align_corners=False)
        yield c(F.grid_sample, x, meta(2, 4, 5, 6, 3), "nearest", align_corners=True)
        yield c(F.grid_sample, x, meta(2, 4, 5, 6, 3), "bicubic", must=False)
    yield c(F.grid_sample, meta(2, 3, 8, 9), meta(2, 5, 6, 3), must=False)
    yield c(F.grid_sample, meta(2, 3, 8, 9), meta(3, 5, 6, 2), must=False)
    yield c(F.grid_sample, meta(2, 3, 8, 9), meta(2, 5, 6, 2, dtype=torch.float64), must=False)
    yield c(F.grid_sample, meta(2, 3, 8, 9), meta(2, 5, 6, 2), "area", must=False)
    yield c(F.grid_sample, meta(2, 3, 8), meta(2, 5, 1), must=False)


def _complex_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """torch.polar and torch.complex of two float tensors, any layouts and broadcasts;
    complex tensors times Python numbers."""
    for t in _layouts():
        # Parts of another dtype are converted first, and a conversion of a layout with
        # axes of size 1 may lay them out either way (see _converted_operand): refused.
        must = 1 not in t.shape
        for func in (torch.polar, torch.complex):
            yield c(func, t, t, must=must)
            yield c(func, t, meta(4), must=must)
            yield c(func, meta(4), t, must=must)
            yield c(func, t, meta(*t.shape), must=must)
            yield c(func, t, meta(*t.shape, order=tuple(reversed(range(t.dim())))), must=must)
    for func in (torch.polar, torch.complex):
        yield c(func, meta(3, 1, dtype=torch.float64), meta(1, 4, dtype=torch.float64))
        yield c(func, meta(3, 4, dtype=torch.float64), meta(3, 4), must=False)
        yield c(func, meta(3, 4, dtype=torch.float16), meta(3, 4, dtype=torch.float16),
                must=False)  # fmt: skip
        yield c(func, meta(3, 4, dtype=torch.long), meta(3, 4, dtype=torch.long), must=False)
        yield c(func, meta(3, 4), 1.0, must=False)
        yield c(func, meta(3, 5), meta(3, 4), must=False)  # not broadcastable: torch raises
    yield c(torch.polar, abs=meta(2, 3), angle=meta(2, 3))
    yield c(torch.complex, real=meta(2, 3), imag=meta(3))
    z = torch.polar(meta(2, 3), meta(2, 3))
    for number in (0.5, 2, True):
        yield c(torch.mul, z, number)
        yield c(torch.Tensor.__mul__, z, number)
        yield c(torch.Tensor.__rmul__, z, number)
        yield c(torch.add, z, number)
    yield c(torch.mul, z, z)
    yield c(torch.mul, z, meta(2, 3), must=False)  # complex times float: promoted


def _pointwise_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Unary math, powers, comparisons, Tensor.where, extrema; cat skipping empty vectors;
    grouped-query attention; torch.tensor of Python numbers."""
    unary = ("rsqrt", "sqrt", "exp", "exp2", "log", "log1p", "log2", "log10", "expm1", "cos",
             "sin", "tan", "acos", "asin", "atan", "cosh", "sinh", "acosh", "asinh", "atanh",
             "erf", "erfc", "erfinv", "lgamma", "digamma", "i0", "sinc", "deg2rad", "rad2deg",
             "frac", "reciprocal", "floor", "ceil", "trunc")  # fmt: skip
    for t in _layouts():
        dense = t.numel() == 0 or t.stride(-1) != 0
        for name in unary:
            yield c(getattr(torch, name), t)
            yield c(getattr(torch.Tensor, name), t)
        for func in (torch.abs, torch.Tensor.abs, torch.Tensor.__abs__, torch.neg):
            yield c(func, t)
        for func in (torch.pow, torch.Tensor.pow, torch.Tensor.__pow__):
            yield c(func, t, 2)
            yield c(func, t, 0.5)
            yield c(func, t, meta(4), must=dense)
        yield c(torch.Tensor.__rpow__, t, 2.0)
        yield c(torch.square, t)
        yield c(torch.Tensor.square, t)
        yield c(torch.pow, 2, t)
        for name in ("eq", "ne", "lt", "le", "gt", "ge"):
            yield c(getattr(torch, name), t, 0.5)
            yield c(getattr(torch.Tensor, name), t, meta(4))
            yield c(getattr(torch.Tensor, f"__{name}__"), t, 1)
        cond = meta(*t.shape, dtype=torch.bool)
        yield c(torch.Tensor.where, t, cond, -1.0)
        yield c(torch.Tensor.where, t, meta(4, dtype=torch.bool), meta(1, 4))
        yield c(torch.Tensor.where, meta(4), cond, t)
        for func in (torch.minimum, torch.maximum, torch.min, torch.max, torch.Tensor.minimum,
                     torch.Tensor.maximum, torch.Tensor.min, torch.Tensor.max):  # fmt: skip
            yield c(func, t, meta(4))
            yield c(func, meta(4), t)
    ints = meta(2, 5, dtype=torch.int64)
    yield c(torch.abs, ints)
    yield c(torch.pow, ints, 2)
    yield c(torch.pow, ints, -1, must=False)
    yield c(torch.square, ints)
    yield c(torch.square, meta(3, dtype=torch.bool), must=False)
    yield c(torch.pow, ints, 0.5, must=False)  # promoted to float: not followed
    yield c(torch.rsqrt, ints, must=False)
    yield c(torch.floor, ints, must=False)
    yield c(torch.abs, meta(3, dtype=torch.bool), must=False)
    yield c(torch.pow, meta(3, dtype=torch.bool), meta(3, dtype=torch.bool), must=False)
    yield c(torch.Tensor.__lt__, ints, 2.5)
    yield c(torch.lt, ints, meta(2, 5), must=False)  # compared in a promoted dtype
    yield c(torch.Tensor.__eq__, meta(3), None, must=False)
    yield c(torch.Tensor.where, meta(3), meta(3), 0.0, must=False)  # a float condition
    yield c(torch.Tensor.where, meta(3), meta(3, dtype=torch.bool), meta(3, dtype=torch.float16),
            must=False)  # fmt: skip
    # min and max of one tensor: along a dim, the values and their indices (a router's
    # top expert); over all elements, a 0-d tensor
    for t in (meta(3, 4, 5), meta(3, 4, 5).transpose(0, 2), meta(2, 8)[:, ::2], ints):
        yield c(torch.min, t, 1)
        yield c(torch.max, t, -1, True)
        yield c(torch.Tensor.max, t, dim=0)
        yield c(torch.Tensor.min, t, dim=1, keepdim=True)
        yield c(torch.max, t)
        yield c(torch.Tensor.min, t)
    yield c(torch.max, meta(3, 4, dtype=torch.bool), 1)
    yield c(torch.max, meta(3, 0), 1, must=False)  # an empty axis: torch refuses
    yield c(torch.max, meta(0, 3), must=False)
    yield c(torch.max, meta(3, 4), (0, 1), must=False)  # not an int: torch refuses
    yield c(torch.max, meta(3, 4), 2, must=False)
    yield c(torch.minimum, meta(3), meta(3, dtype=torch.int64), must=False)
    # bitwise and logical ops (transformers' masking_utils: and_mask, or_mask), detach,
    # copy_, scatter: laid out as the element-wise references lay them; in place, the
    # tensor itself
    b = torch.bool
    odd_b = meta(2, 1, 3, 4, dtype=b, order=(0, 2, 3, 1))
    for x_, y_ in (
        (meta(2, 3, dtype=b), meta(2, 3, dtype=b)),
        (meta(1, 1, 5, 5, dtype=b), meta(2, 1, 1, 5, dtype=b)),
        (odd_b, meta(4, dtype=b)),
        (meta(3, 4, dtype=b).t(), meta(4, 3, dtype=b)),
        (meta(2, 6, dtype=torch.int64)[:, ::2], meta(3, dtype=torch.int64)),
        (meta(dtype=b), meta(2, 3, dtype=b).t()),
    ):
        for name in ("and", "or", "xor"):
            yield c(getattr(torch, f"bitwise_{name}"), x_, y_)
            yield c(getattr(torch.Tensor, f"bitwise_{name}"), x_, y_)
            yield c(getattr(torch.Tensor, f"__{name}__"), x_, y_)
            yield c(getattr(torch.Tensor, f"__{name}__"), x_, True)
            yield c(getattr(torch.Tensor, f"__r{name}__"), x_, True)
            if torch.broadcast_shapes(x_.shape, y_.shape) == x_.shape:  # torch would resize
                yield c(getattr(torch.Tensor, f"__i{name}__"), x_, y_, must=x_.dtype == b)
        yield c(torch.logical_and, x_, y_, must=x_.dtype == b)
        yield c(torch.Tensor.logical_and, x_, y_, must=x_.dtype == b)
        yield c(torch.logical_or, x_, y_, must=x_.dtype == b)
        yield c(torch.Tensor.logical_or, x_, y_, must=x_.dtype == b)
        for func in (torch.logical_not, torch.Tensor.logical_not, torch.bitwise_not,
                     torch.Tensor.bitwise_not, torch.Tensor.__invert__):  # fmt: skip
            yield c(func, x_)
            yield c(func, y_)
    yield c(torch.Tensor.__iand__, meta(2, 3, dtype=b), meta(3, dtype=b))
    yield c(torch.Tensor.__ior__, meta(2, 3, dtype=b), meta(3, dtype=b))
    yield c(torch.Tensor.__ixor__, meta(2, 3, dtype=torch.int32), 5)
    yield c(torch.Tensor.__iand__, meta(3, dtype=b), meta(2, 3, dtype=b), must=False)
    yield c(torch.Tensor.__and__, meta(3), meta(3), must=False)  # float: torch raises
    yield c(torch.Tensor.__or__, meta(3, dtype=b), 2, must=False)  # promoted to int64
    yield c(torch.Tensor.__and__, meta(3, dtype=b), meta(3, dtype=torch.int64), must=False)
    yield c(torch.bitwise_not, meta(3), must=False)
    # other dtypes made bool first: followed for operands laid out exactly row-major
    # (LongT5's integer masks)
    for x_, y_ in (
        (meta(3), meta(3)),
        (meta(2, 3, dtype=torch.int64), meta(3, dtype=torch.int64)),
        (meta(2, 1, 3, dtype=torch.int32), meta(4, 1, dtype=b)),
        (meta(2, 3, dtype=torch.int64).t(), meta(3, 2, dtype=torch.int64)),
        (meta(2, 6)[:, ::2], meta(2, 3)),
    ):
        row_major = all(t.stride() == torch.empty(t.shape).stride() for t in (x_, y_))
        for func in (torch.logical_and, torch.Tensor.logical_or):
            yield c(func, x_, y_, must=row_major)
            yield c(func, y_, x_, must=row_major)
    yield c(torch.logical_not, meta(2, 3).t())
    for t in (meta(2, 3), meta(2, 3).t(), meta(2, 6)[:, ::2], meta(3, 1).expand(3, 4),
              meta(2, 3, param=True), meta(dtype=torch.int64)):  # fmt: skip
        yield c(torch.Tensor.detach, t)
        yield c(torch.detach, t)
    for target, src in (
        (meta(2, 3), meta(2, 3)),
        (meta(2, 3).t(), meta(3, 2)),
        (meta(2, 3), meta(3, dtype=torch.int64)),
        (meta(4, 2, 3), meta(1, 3, dtype=torch.float16)),
        (meta(2, 3, dtype=b), meta(2, 3)),
    ):
        yield c(torch.Tensor.copy_, target, src)
    yield c(torch.Tensor.copy_, meta(3), meta(2, 3), must=False)  # torch raises
    yield c(torch.Tensor.copy_, meta(3, 1), meta(3, 4), must=False)
    yield c(torch.Tensor.copy_, meta(3, param=True), meta(3), must=False)  # a leaf
    yield c(torch.Tensor.copy_, meta(3, 1).expand(3, 4), meta(3, 4), must=False)
    # item assignment, x[index] = value: basic indexing; the value's leading 1s dropped
    setitem = torch.Tensor.__setitem__
    for target, index, value in (
        (meta(3, 4), (slice(None), slice(1, None)), meta(3, 3)),
        (meta(3, 4), (slice(None), 0), meta(3)),
        (meta(3, 4), 0, 1.0),
        (meta(3, 4, dtype=torch.int64), (slice(None), 0), 7),
        (meta(3, 4), Ellipsis, meta(1, 4)),
        (meta(3, 4), Ellipsis, meta(1, 1, 3, 1)),
        (meta(2, 3, 4), (0, None, slice(None, None, 2)), meta(4, dtype=torch.float16)),
        (meta(4, 3).t(), (slice(1, 3),), meta(2, 1)),
        (meta(3, 4, dtype=b), 1, True),
        (meta(3, 4), (slice(None), slice(1, None)), meta(3, 3, dtype=torch.int64)),
    ):
        yield c(setitem, target, index, value)
    yield c(setitem, meta(3, 4), 0, meta(2, 4), must=False)  # torch raises: no broadcast
    yield c(setitem, meta(4), slice(None), meta(2, 4), must=False)
    yield c(setitem, meta(3, 1).expand(3, 4), 0, 1.0, must=False)  # an expanded target
    yield c(setitem, meta(3, 4), meta(2, dtype=torch.int64), 0.0, must=False)  # index_put_
    # through a bool mask of the target's leading sizes (multimodal models' image tokens):
    # a number, or rows that broadcast to the selected ones (their count is in the values)
    for target, mask, value in (
        (meta(2, 5, dtype=torch.int64), meta(2, 5, dtype=b), 0),
        (meta(2, 5, 8), meta(2, 5, dtype=b), meta(8)),
        (meta(2, 5, 8), meta(2, 5, dtype=b), meta(3, 8)),
        (meta(2, 5, 8), meta(2, 5, dtype=b), meta(1, 3, 1)),
        (meta(2, 5, 8), meta(2, dtype=b), 0.0),
        (meta(2, 5, 8), meta(2, 5, 8, dtype=b), 1.0),
        (meta(5, 2, 8).transpose(0, 1), meta(2, 5, dtype=b), meta(8, dtype=torch.float16)),
    ):
        yield c(setitem, target, mask, value)
    for target, mask, value in (  # torch refuses these on real data, not all on meta
        (meta(2, 5, 8), meta(2, 4, dtype=b), 0.0),
        (meta(2, 5, 8), meta(2, 5, dtype=b), meta(7)),
        (meta(2, 5, 8), meta(2, 5, dtype=b), meta(4, 3, 8)),
        (meta(2, 5, 8), meta(2, 5, dtype=torch.uint8), 0.0),
        (meta(2, 5), meta(2, 5, 1, dtype=b), 0.0),
    ):
        yield c(setitem, target, mask, value, must=False)
    yield c(setitem, meta(3, 4), [0, 1], 0.0, must=False)  # advanced indexing
    yield c(setitem, meta(3, 4), 5, 0.0, must=False)  # out of range
    yield c(setitem, meta(3, 4, param=True), 0, 1.0, must=False)  # a leaf: not followed
    idx = meta(2, 3, dtype=torch.int64)
    for target in (meta(2, 5), meta(5, 2).t(), meta(2, 10)[:, ::2], meta(4, 3)):
        dim = 1 if target.shape[0] == 2 else 0
        yield c(torch.scatter, target, dim, idx, 1.0)
        yield c(torch.Tensor.scatter, target, dim, idx, meta(2, 3))
        yield c(torch.Tensor.scatter, target, dim, idx, value=0.0)
        yield c(torch.Tensor.scatter_, target, dim, idx, meta(2, 4))
        yield c(torch.Tensor.scatter_, target, dim, idx, src=meta(3, 3))
        yield c(torch.Tensor.scatter_, target, dim, idx, True)
    yield c(torch.Tensor.scatter_, meta(2, 5, dtype=b), 1, idx, True)
    yield c(torch.Tensor.scatter, meta(2, 5), 1, idx, meta(2, 3, dtype=torch.float16),
            must=False)  # fmt: skip
    yield c(torch.Tensor.scatter, meta(2, 5), 1, idx, 1.0, reduce="add", must=False)
    yield c(torch.Tensor.scatter, meta(2, 5), 1, meta(2, 3, dtype=torch.int32), 1.0, must=False)
    yield c(torch.Tensor.scatter, meta(2, 5), 1, meta(3, 3, dtype=torch.int64), 1.0, must=False)
    yield c(torch.Tensor.scatter, meta(2, 5, dtype=torch.int64), 1, idx, 0.5, must=False)
    # masked_fill (transformers' eager attention masks): where(mask, value, x) made
    # contiguous; an input with axes of size 1 refused (torch's strides of them vary)
    for x_, m_ in (
        (meta(2, 3, 4, 5), meta(2, 1, 4, 5, dtype=b)),
        (meta(2, 3, 4, 5, order=(0, 2, 1, 3)), meta(4, 5, dtype=b)),
        (meta(2, 3, 4, 5).transpose(2, 3), meta(2, 3, 5, 4, dtype=b)),
        (meta(3, 4, dtype=torch.int64), meta(4, 3, dtype=b).t()),
        (meta(3, 8)[:, ::2], meta(dtype=b)),
    ):
        for value in (float("-inf"), -1e9, 0):
            must = x_.dtype.is_floating_point or type(value) is int
            yield c(torch.masked_fill, x_, m_, value, must=must)
            yield c(torch.Tensor.masked_fill, x_, m_, value, must=must)
            yield c(torch.Tensor.masked_fill_, x_, m_, value, must=must)
    # axes of size 1: a result torch keeps as contiguous is followed for an input laid out
    # exactly row-major only (Hunyuan's (2, 1, 10, 10) masks); a result torch makes
    # row-major is followed for any layout (Mamba 2's segment sums: an expanded input)
    for x_, m_ in (
        (meta(2, 1, 10, 10), meta(2, 1, 10, 10, dtype=b)),
        (meta(2, 1, 10, 10), meta(1, 10, dtype=b).expand(10, 10)),
        (meta(2, 8, 16, 1).as_strided((2, 8, 1, 16, 16), (128, 1, 128, 8, 0)),
         meta(16, 16, dtype=b)),
        (meta(1, 4, 1), meta(4, 1, dtype=b)),
    ):  # fmt: skip
        yield c(torch.masked_fill, x_, m_, float("-inf"))
    yield c(torch.masked_fill, meta(4, 2).t()[:1], meta(1, 4, dtype=b), 0.0, must=False)
    yield c(torch.Tensor.masked_fill, meta(1, 3, 4), meta(3, 4, dtype=b), 0.0)
    yield from _fuzzed_masked_fill_cases(c)
    yield c(torch.Tensor.masked_fill, meta(3, 4), meta(3, 4), 0.0, must=False)  # float mask
    yield c(torch.Tensor.masked_fill, meta(3, 4), meta(2, 3, 4, dtype=b), 0.0, must=False)
    yield c(torch.Tensor.masked_fill, meta(3, 4), meta(3, 4, dtype=b), meta(), must=False)
    yield c(torch.Tensor.masked_fill_, meta(3, 4, param=True), meta(4, dtype=b), 0.0,
            must=False)  # fmt: skip
    # cat leaves 1-d empty tensors out; a channels-last input leads the layout
    kv = meta(1, 2, 5, 8)
    yield c(torch.cat, [meta(0), kv], -2)
    yield c(torch.cat, [meta(0), kv, meta(0)], 2)
    yield c(torch.cat, [meta(0, dtype=torch.float16), kv], -2, must=False)
    yield c(torch.cat, [meta(0), meta(0)], must=False)
    q = meta(1, 16, 4, 64).transpose(1, 2)
    yield c(torch.cat, [-q[..., 32:], q[..., :32]], -1)
    cl = meta(2, 3, 4, 5, order=(0, 2, 3, 1))
    yield c(torch.cat, [cl, cl], 1, must=False)
    yield c(torch.cat, [meta(2, 3, 4, 5, order=(0, 1, 3, 2)), meta(2, 3, 4, 5)], 1)
    yield c(torch.cat, [meta(2, 1, 1, 1), meta(2, 1, 1, 1)], 0)
    # grouped-query attention: the key and value heads repeated up to the query's
    sq, kv4 = meta(1, 4, 16, 64), meta(1, 2, 16, 64)
    yield c(F.scaled_dot_product_attention, sq, kv4, kv4, enable_gqa=True)
    yield c(F.scaled_dot_product_attention, sq, kv4, kv4, is_causal=True, enable_gqa=True)
    yield c(F.scaled_dot_product_attention, sq, sq, sq, enable_gqa=True)
    yield c(F.scaled_dot_product_attention, sq, meta(1, 3, 16, 64), meta(1, 3, 16, 64),
            enable_gqa=True, must=False)  # fmt: skip
    yield c(F.scaled_dot_product_attention, sq, kv4, kv4, must=False)
    # torch.tensor of Python numbers, on the meta device
    nested = ([[1, 2]], [(4, 5), (6, 7), (1, 1)], ((1.5,), (2,)), [[[True]], [[False]]],
              [[], []], [[1, 2], [3, 4.0]])  # fmt: skip
    for func in (torch.tensor, torch.as_tensor):
        for data in ([], [1, 2], [True], [1, 2.5], 3, 2.0, False, (1, 2, 3), *nested):
            yield c(func, data, device="meta")
            yield c(func, data, dtype=torch.float16, device="meta")
            yield c(func, data, dtype=torch.long, device="meta")
            yield c(func, data, must=False)  # on the CPU
        yield c(func, [[1, 2], [3]], device="meta", must=False)  # ragged: torch raises
        yield c(func, [[1, 2], 3], device="meta", must=False)
        yield c(func, meta(2), device="meta", must=False)
        yield c(func, [meta(2)], device="meta", must=False)
    yield c(torch.tensor, [1], device="meta", requires_grad=True, must=False)
    for func in (torch.linspace, torch.logspace):
        yield c(func, 0, 1, 5, device="meta")
        yield c(func, -1.5, 2, steps=7, device="meta", dtype=torch.float64)
        yield c(func, 0, 10, 4, device="meta", dtype=torch.long)
        yield c(func, start=0.0, end=1.0, steps=0, device="meta")
        yield c(func, 0, 1, 1, device="meta", dtype=torch.float16)
        yield c(func, 0, 1, 5, must=False)  # on the CPU
        yield c(func, 0, 1, -1, device="meta", must=False)
        yield c(func, 0, 1, 2.0, device="meta", must=False)
        yield c(func, meta(), 1, 5, device="meta", must=False)
    yield c(torch.logspace, 0, 2, 3, 2.0, device="meta")
    yield c(torch.logspace, 0, 2, 3, base=2, device="meta")


def _indexing_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Embedding bags: one row per bag, counted from the offsets' size (never values)."""
    table, ids, offsets = (
        meta(100, 16, param=True),
        meta(20, dtype=torch.int64),
        meta(3, dtype=torch.int64),
    )
    rows = meta(4, 5, dtype=torch.int64)
    for mode in ("mean", "sum", "max"):
        yield c(F.embedding_bag, ids, table, offsets=offsets, mode=mode)
        yield c(F.embedding_bag, ids, table, offsets=offsets, mode=mode, include_last_offset=True)
        yield c(F.embedding_bag, rows, table, mode=mode)
        yield c(F.embedding_bag, rows, table, mode=mode, include_last_offset=True)
        yield c(F.embedding_bag, ids, table, offsets, padding_idx=-3, mode=mode)
    yield c(F.embedding_bag, ids, table, offsets, None, 2, False, "sum", False, meta(20))
    yield c(F.embedding_bag, meta(20, dtype=torch.int32), table, meta(3, dtype=torch.int32))
    yield c(F.embedding_bag, meta(20, dtype=torch.int32), meta(100, 16, dtype=torch.float16),
            offsets)  # fmt: skip
    yield c(F.embedding_bag, ids, table, meta(0, dtype=torch.int64))
    yield c(F.embedding_bag, ids, table, meta(1, dtype=torch.int64), include_last_offset=True)
    yield c(F.embedding_bag, meta(0, dtype=torch.int64), table, offsets)
    yield c(F.embedding_bag, meta(16, 100).t(), table, must=False)  # float ids
    yield c(F.embedding_bag, ids, meta(16, 100).t(), offsets)
    refused = [
        (ids, table, None),  # a 1-d input needs offsets
        (rows, table, offsets),  # a 2-d one takes none
        (meta(4, 0, dtype=torch.int64), table, None),
        (ids, table, offsets.reshape(1, 3)),
        (ids, meta(100, 16, dtype=torch.int64), offsets),
        (meta(2, 3, 4, dtype=torch.int64), table, None),
    ]
    for args in refused:
        yield c(F.embedding_bag, *args, must=False)
    yield c(F.embedding_bag, ids, table, meta(0, dtype=torch.int64), include_last_offset=True,
            must=False)  # fmt: skip
    yield c(F.embedding_bag, ids, table, offsets, padding_idx=100, must=False)
    yield c(F.embedding_bag, ids, table, offsets, max_norm=1.0, must=False)
    yield c(F.embedding_bag, ids, table, offsets, mode="max", per_sample_weights=meta(20),
            must=False)  # fmt: skip
    yield c(F.embedding_bag, ids, table, offsets, mode="max", sparse=True, must=False)
    yield c(F.embedding_bag, ids, table, offsets, mode="median", must=False)
    yield from _selection_cases(c)


def _selection_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """Top-k, gather and einsum: row-major results (einsum's a permuted view of its bmm)."""
    for t in (meta(24, 4), meta(3, 4, 5, order=(2, 0, 1)), meta(3, 4, 5)[:, ::2]):
        yield c(torch.topk, t, 2)
        yield c(torch.Tensor.topk, t, 1, 0, False, False)
        yield c(torch.topk, t, k=2, dim=-2, largest=False)
        yield c(torch.topk, t, t.shape[-1])
    yield c(torch.topk, meta(24, 4, dtype=torch.int64), 2)
    yield c(torch.topk, meta(24, 4), 5, must=False)  # k beyond the axis: torch raises
    yield c(torch.topk, meta(24, 4), 0, must=False)
    yield c(torch.topk, meta(24, 4, dtype=torch.bool), 2, must=False)
    yield c(torch.topk, meta(0, 4), 2, must=False)
    yield c(torch.topk, meta(), 1, must=False)
    x, index = meta(24, 4, 16), meta(24, 2, 16, dtype=torch.int64)
    indices = (
        index,
        meta(24, 2, 1, dtype=torch.int64).expand(-1, -1, 16),
        meta(24, 2, 16, dtype=torch.int64, order=(2, 0, 1)),
        meta(2, 9, 3, dtype=torch.int64),
    )
    for i in indices:
        yield c(torch.gather, x, 1, i)
        yield c(torch.Tensor.gather, meta(24, 4, 16, order=(2, 0, 1)), -2, i)
    yield c(torch.gather, x, 2, index, sparse_grad=True)
    yield c(torch.gather, x, 1, meta(24, 2, 17, dtype=torch.int64), must=False)
    yield c(torch.gather, x, 1, meta(24, 2, dtype=torch.int64), must=False)
    yield c(torch.gather, x, 1, meta(24, 2, 16, dtype=torch.int32), must=False)
    yield c(torch.gather, x, 1, meta(24, 0, 16, dtype=torch.int64), must=False)
    for eq, a, b_ in [
        ("nd,edh->neh", meta(24, 16), meta(4, 16, 32)),
        ("neh,ehd->ned", meta(24, 4, 32), meta(4, 32, 16)),
        ("ij,jk->ik", meta(2, 3), meta(3, 4)),
        ("ij,jk->ki", meta(2, 3), meta(3, 40)),
        ("ij,kj->ik", meta(5, 3, order=(1, 0)), meta(4, 3)),
        ("bhqd,bhkd->bhqk", meta(2, 4, 7, 8), meta(2, 4, 9, 8)),
        ("b i d, b j d -> b j i", meta(2, 7, 8), meta(2, 9, 8)),
        ("cXYZd,cYaZ->YXcad", meta(4, 1, 5, 3, 4), meta(4, 5, 5, 3)),
        ("abc,cd->dab", meta(2, 3, 4), meta(4, 5)),
        # an ellipsis the output keeps, over as many axes in each operand that has one
        ("...si,...id->...sd", meta(2, 7, 5), meta(2, 5, 4)),
        ("...si,...id->...sd", meta(3, 2, 7, 5), meta(3, 2, 5, 4)),
        ("...si,...id->s...d", meta(3, 2, 7, 5), meta(3, 2, 5, 4, order=(3, 0, 1, 2))),
        ("b...i,bij->b...j", meta(2, 3, 4, 5), meta(2, 5, 6)),
        ("...ij,jk->...ik", meta(2, 3), meta(3, 4)),  # over no axes
        ("...ij,jk->...ik", meta(4, 2, 3), meta(3, 4)),
        ("ij,...jk->i...k", meta(2, 3), meta(5, 3, 4)),
        ("...ZA,...Ab->...bZ", meta(2, 7, 5), meta(2, 5, 4)),  # upper-case labels beside
    ]:
        yield c(torch.einsum, eq, a, b_)
        yield c(torch.einsum, eq, [a, b_])  # the operands in a list (CvT's, ProphetNet's)
        yield c(torch.einsum, eq, (a, b_))
    refused = [
        ("ij,jk", meta(2, 3), meta(3, 4)),  # implicit output
        ("...ij,jk->ik", meta(5, 2, 3), meta(3, 4)),  # the ellipsis summed
        ("...ij,...jk->...ik", meta(5, 2, 3), meta(6, 5, 3, 4)),  # broadcast, right-aligned
        ("...ij,...jk->...ik", meta(1, 2, 3), meta(5, 3, 4)),  # broadcast from size 1
        ("...i...j,jk->...ik", meta(5, 2, 3), meta(3, 4)),  # written twice
        ("ij,jk->...ik", meta(2, 3), meta(3, 4)),  # in the output only
        ("ii,ij->ij", meta(3, 3), meta(3, 4)),  # a diagonal
        ("ij,jk->ijk", meta(2, 3), meta(3, 4)),  # no contraction: a broadcast product
        ("ij,k->i", meta(2, 3), meta(4)),  # sums of one operand's labels
        ("ij,jk->ik", meta(2, 1), meta(3, 4)),  # a broadcast contraction
        ("ij,jk->ik", meta(2, 3), meta(5, 4)),  # sizes torch refuses
        ("ij,jk->ik", meta(2, 3), meta(3, 4, dtype=torch.float64)),
        ("ij,jk->ik", meta(2, 3, dtype=torch.int64), meta(3, 4, dtype=torch.int64)),
        ("ij,jk->ik", meta(0, 3), meta(3, 4)),
        ("ij,jk,kl->il", meta(2, 3), meta(3, 4)),
    ]
    for eq, a, b_ in refused:
        yield c(torch.einsum, eq, a, b_, must=False)
    yield c(torch.einsum, "ij,jk,kl->il", meta(2, 3), meta(3, 4), meta(4, 5), must=False)
    yield c(torch.einsum, "ij,jk,kl->il", [meta(2, 3), meta(3, 4), meta(4, 5)], must=False)
    yield c(torch.einsum, "ij,jk->ik", [meta(2, 3)], must=False)


def _attention_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """F.multi_head_attention_forward as nn.MultiheadAttention calls it."""
    w, b = meta(48, 16, param=True), meta(48, param=True)
    ow, ob = meta(16, 16, param=True), meta(16, param=True)
    x = meta(5, 2, 16)
    xt = meta(2, 5, 16).transpose(0, 1)  # batch_first inputs, transposed by the module
    mem, mem2 = meta(7, 2, 16), meta(7, 2, 16)
    for q, k, v in [(x, x, x), (xt, xt, xt), (x, mem, mem), (x, mem, mem2), (xt, xt, mem2)]:
        for need, average in [(True, True), (True, False), (False, True)]:
            yield c(
                F.multi_head_attention_forward, q, k, v, 16, 4, w, b, None, None, False, 0.0,
                ow, ob, training=False, need_weights=need, average_attn_weights=average,
            )  # fmt: skip
    u = meta(5, 16)
    for need in (True, False):
        yield c(F.multi_head_attention_forward, u, u, u, 16, 2, w, b, None, None, False, 0.0,
                ow, ob, need_weights=need, training=False)  # fmt: skip
        yield c(F.multi_head_attention_forward, x, x, x, 16, 4, w, None, None, None, False, 0.1,
                ow, None, training=True, need_weights=need)  # fmt: skip
        yield c(F.multi_head_attention_forward, xt, xt, xt, 16, 4, w, b, None, None, False,
                0.1, ow, ob, training=False, need_weights=need)  # fmt: skip
    refused = [
        {"attn_mask": meta(5, 5)},
        {"key_padding_mask": meta(2, 5, dtype=torch.bool)},
        {"is_causal": True},
        {"is_causal": True, "attn_mask": meta(5, 5)},
    ]
    for kwargs in refused:
        yield c(F.multi_head_attention_forward, x, x, x, 16, 4, w, b, None, None, False, 0.0,
                ow, ob, must=False, training=False, **kwargs)  # fmt: skip
    bias_kv = meta(1, 1, 16)
    yield c(F.multi_head_attention_forward, x, x, x, 16, 4, w, b, bias_kv, bias_kv, False,
            0.0, ow, ob, must=False, training=False)  # fmt: skip
    yield c(F.multi_head_attention_forward, x, x, x, 16, 4, w, b, None, None, True, 0.0, ow,
            ob, must=False, training=False)  # fmt: skip
    yield c(F.multi_head_attention_forward, x, x, x, 12, 4, w, b, None, None, False, 0.0, ow,
            ob, must=False, training=False)  # fmt: skip
    yield c(F.multi_head_attention_forward, x, x, x, 16, 3, w, b, None, None, False, 0.0, ow,
            ob, must=False, training=False)  # fmt: skip
    yield c(F.multi_head_attention_forward, x, meta(7, 3, 16), meta(7, 3, 16), 16, 4, w, b,
            None, None, False, 0.0, ow, ob, must=False, training=False)  # fmt: skip


def _random_and_sort_cases(c: Callable[..., Case]) -> Iterator[Case]:
    """rand, randn and their _like kin (made as empty is); sort and argsort, any layout."""
    for func in (torch.rand, torch.randn):
        yield c(func, 2, 3, device="meta")
        yield c(func, (2, 3), device="meta", dtype=torch.float64)
        yield c(func, size=(4,), device="meta")
        yield c(func, 2, 3, device="meta", generator=None)
        yield c(func, 2, 3, device="meta", dtype=torch.long, must=False)  # torch refuses
        yield c(func, 2, 3, must=False)  # on the CPU: not a traced tensor
    yield c(torch.randint, 10, (2, 3), device="meta")
    yield c(torch.randint, 2, 10, (4,), device="meta", dtype=torch.int32)
    yield c(torch.randint, low=1, high=5, size=(2, 2), device="meta")
    yield c(torch.randint, 5, size=(3,), device="meta", dtype=torch.float32)
    yield c(torch.randint, 0, 10, (2,), device="meta", generator=None)
    yield c(torch.randint, 10, (2, 3), must=False)  # on the CPU
    yield c(torch.randint, 5, 5, (2,), device="meta", must=False)  # empty range: torch raises
    yield c(torch.randint, 2.5, (2,), device="meta", must=False)
    for t in _layouts():
        for func in (torch.rand_like, torch.randn_like):
            yield c(func, t)
            yield c(func, t, dtype=torch.float64)
            yield c(func, t, memory_format=torch.contiguous_format)
        for dim in (0, -1):
            yield c(torch.sort, t, dim)
            yield c(torch.Tensor.sort, t, dim, True)
            yield c(torch.sort, t, dim=dim, descending=True, stable=True)
            yield c(torch.argsort, t, dim)
            yield c(torch.Tensor.argsort, t, dim=dim, descending=True)
            yield c(torch.argsort, t, dim=dim, stable=True)
            yield c(torch.argsort, t, dim, stable=True, must=False)  # torch refuses
    yield c(torch.rand_like, meta(2, 3, dtype=torch.long), must=False)
    yield c(torch.sort, meta(5, dtype=torch.bool))
    yield c(torch.argsort, meta(5, dtype=torch.long), 0)
    yield c(torch.sort, meta(2, 3), 2, must=False)  # no such axis: torch raises
    yield c(torch.sort, meta(dtype=torch.float32), must=False)
    yield c(torch.sort, torch.polar(meta(3), meta(3)), must=False)


def _padding_and_factory_cases(c: Callable[..., Case]) -> Iterator[Case]:
    x4, x3 = meta(2, 3, 5, 6), meta(2, 3, 7)
    cl = meta(2, 3, 5, 6, order=(0, 2, 3, 1))
    for t in (x3, x4, meta(1, 2, 4, 5, 6)):
        for mode in ("constant", "reflect", "replicate", "circular"):
            for pad in ((1, 2), (1, 2, 3, 4), (0, 1, 2, 0, 1, 1)):
                yield c(F.pad, t, pad, mode, must=len(pad) // 2 < t.dim() - 1 or mode == "constant")
            yield c(F.pad, t, (4, 4), mode, must=False)  # wider than 3 elements
            yield c(F.pad, t, (6, 7), mode, must=mode in ("constant", "replicate"))
    yield c(F.pad, x4, (1, 1), value=0.5)
    yield c(F.pad, x4, [1, 1, 2, 2], mode="constant", value=2)
    # negative constant padding crops its side: beside a positive pad, a padded result as
    # any other (RWKV's time shift); alone, torch clones the cropped view (not followed)
    for t in (x3, x4, cl, meta(2, 5, 3).transpose(1, 2), meta(2, 3, 5, 6)[:, :, ::2],
              meta(2, 1, 5, 6, order=(0, 2, 3, 1))):  # fmt: skip
        yield c(F.pad, t, (0, 0, 1, -1))
        yield c(F.pad, t, (-1, 2))
        yield c(F.pad, t, (2, -1, -1, 1), value=0.5)
        yield c(F.pad, t, (1, -1), "reflect", must=False)
        yield c(F.pad, t, (0, -1), must=False)  # a crop alone
        yield c(F.pad, t, (-1, -1, 0, 0), must=False)
        yield c(F.pad, t, (-9, 1), must=False)  # crops more than the axis holds
        yield c(F.pad, t, (1, -9), must=False)
    yield c(F.pad, x4, (-6, 1), must=False)  # an empty cropped axis
    yield c(F.pad, x4, (1, -1), must=False)
    # a bool value (Granite Speech 5 pads its mask with False), into any real dtype
    for dtype in (torch.bool, torch.float32, torch.int64):
        yield c(F.pad, meta(2, 7, dtype=dtype), (0, 3), value=False)
        yield c(F.pad, meta(2, 7, dtype=dtype), (1, 2), "constant", True)
    yield c(F.pad, meta(2, 7, dtype=torch.bool), (0, 3), value=0)
    yield c(F.pad, meta(2, 7, dtype=torch.int64), (0, 3), value=0.5, must=False)
    yield c(F.pad, x4, (1, 1), value="0", must=False)
    yield c(F.pad, x4, (1,), must=False)
    # constant padding: channels-last stays so, other layouts become row-major
    for t in (
        cl,
        meta(2, 3, 5, 6).transpose(2, 3),
        meta(2, 5, 3).transpose(1, 2),  # Mamba 2's convolution state: (b, d, t) from (b, t, d)
        meta(2, 3, 5, 6)[:, :, ::2],
        meta(2, 3, 4, 5, 6, order=(0, 2, 3, 4, 1)),
        meta(2, 1, 5, 6, order=(0, 2, 3, 1)),  # row-major and channels-last at once
        meta(2, 3, 1, 6, order=(0, 2, 3, 1)),
        meta(2, 3, 5, 6, order=(0, 2, 3, 1))[:1],
    ):
        yield c(F.pad, t, (1, 1), must=False)
        yield c(F.pad, t, (0, 2, 1, 0), value=1.0, must=False)
        yield c(F.pad, t, (1, 1), "replicate")
    yield c(F.pad, cl, (1, 1))
    # reflect, replicate and circular padding: a row-major result, whatever the layout
    for t in (
        meta(2, 5, 3).transpose(1, 2), meta(2, 3, 14)[..., ::2], meta(7, 2, 3).permute(1, 2, 0),
        meta(1, 7, 3).transpose(1, 2), cl, meta(2, 3, 5, 6).transpose(2, 3),
        meta(2, 3, 5, 12)[..., ::2], meta(1, 5, 6, 3).permute(0, 3, 1, 2),
        meta(2, 1, 5, 6, order=(0, 2, 3, 1)), meta(2, 3, 4, 5, 6, order=(0, 2, 3, 4, 1)),
        meta(2, 3, 4, 5, 6).transpose(3, 4),
    ):  # fmt: skip
        for mode in ("reflect", "replicate", "circular"):
            yield c(F.pad, t, (1, 2), mode)
            yield c(F.pad, t, (2, 1) * (t.dim() - 2), mode)
    for t in (meta(4, 5), meta(3, 4, 5).transpose(0, 2), meta(2, 3, 4)[:, ::2], cl):
        yield c(torch.tril, t)
        yield c(torch.triu, t, 1)
        yield c(torch.Tensor.tril, t, -1)
        yield c(torch.Tensor.triu, t, diagonal=2)
    yield c(torch.tril, meta(4, 5, dtype=torch.bool))
    yield c(torch.tril, meta(5), must=False)  # torch needs two axes
    yield c(torch.triu, meta(4, 5), 1.5, must=False)
    yield c(F.pad, meta(2, 5, 3).transpose(1, 2), (3, 0))
    yield c(F.pad, meta(3, 7, dtype=torch.int64), (1, 1), "reflect", must=False)
    yield c(torch._C._nn.pad, x4, (1, 1), "constant", None)
    for t in (x3, x4, cl, meta(1, 2, 4, 5, 6)):
        yield c(F.instance_norm, t)
        yield c(F.instance_norm, t, None, None, meta(3), meta(3))
        yield c(F.instance_norm, t, meta(3), meta(3), None, None, False)
        yield c(F.instance_norm, t, meta(3), meta(3), meta(3), meta(3), True, 0.1, 1e-5)
    yield c(F.instance_norm, meta(2, 3, 1, 1), must=False)
    yield c(F.instance_norm, x4, None, None, None, None, False, must=False)
    yield c(F.instance_norm, x4, None, None, meta(4), must=False)
    for t in (x3, x4, cl, meta(2, 3, 5).transpose(1, 2), meta(4, 3)):
        yield c(torch.prelu, t, meta(1))
        yield c(F.prelu, t, meta(t.shape[1]))
        yield c(F.softshrink, t)
        yield c(F.softshrink, t, 0.2)
        yield c(F.hardshrink, t, lambd=1.0)
    yield c(F.prelu, x4, meta(4), must=False)
    yield c(F.prelu, meta(5), meta(1), must=False)
    yield c(F.softshrink, x4, -1.0, must=False)
    w = meta(4, 8, 6, param=True)
    yield c(F.bilinear, meta(3, 8), meta(3, 6), w, meta(4))
    yield c(F.bilinear, meta(2, 3, 8), meta(2, 3, 6), w)
    yield c(F.bilinear, meta(3, 2, 8).transpose(0, 1), meta(2, 3, 6), w, meta(4))
    yield c(F.bilinear, meta(8), meta(6), w, must=False)
    yield c(F.bilinear, meta(3, 8), meta(2, 6), w, must=False)
    yield c(F.bilinear, meta(3, 6), meta(3, 8), w, must=False)
    for nd, t in ((1, meta(2, 4, 11)), (2, meta(2, 4, 11, 10)), (3, meta(1, 2, 5, 6, 7))):
        yield c(getattr(F, f"max_pool{nd}d_with_indices"), t, 3, 2, 1)
        yield c(getattr(F, f"max_pool{nd}d_with_indices"), t, 2, ceil_mode=True)
        yield c(getattr(F, f"adaptive_max_pool{nd}d_with_indices"), t, 3)
        yield c(getattr(F, f"adaptive_max_pool{nd}d_with_indices"), t, 2, False)
    for t in (x4, cl, x3, meta(6, 4).t()):
        yield c(F.threshold, t, 0.1, 0.0)
        yield c(F.softmin, t, 1)
        yield c(F.glu, t, 1, must=t.is_contiguous() and t.shape[1] % 2 == 0)
        yield c(F.glu, t, must=t.is_contiguous() and t.shape[-1] % 2 == 0)
    yield c(F.threshold, x4, 0.1, 0.0, True)
    ps = meta(2, 8, 4, 6)
    for r in (1, 2, 3):
        yield c(F.pixel_shuffle, ps, r, must=r < 3)
        yield c(F.pixel_unshuffle, ps, r, must=r < 3)
    yield c(F.pixel_shuffle, meta(3, 2, 8, 4, 6), 2)
    yield c(F.pixel_shuffle, cl, 2, must=False)
    yield c(F.pixel_shuffle, meta(8, 6), 2, must=False)
    for a, b_ in [((3, 8), (3, 8)), ((2, 8, 5, 6), (2, 8, 5, 6)), ((3, 8), (1, 8))]:
        yield c(F.cosine_similarity, meta(*a), meta(*b_))
        yield c(F.cosine_similarity, meta(*a), meta(*b_), -1)
        yield c(F.pairwise_distance, meta(*a), meta(*b_), must=len(a) == 2)
        yield c(F.pairwise_distance, meta(*a), meta(*b_), 1.0, 1e-6, True, must=len(a) == 2)
    yield c(F.cosine_similarity, meta(3, 8), meta(2, 8), must=False)
    # factories: answered on the meta device only (elsewhere they make real tensors)
    for func in (torch.zeros, torch.ones, torch.empty):
        yield c(func, 2, 3, device="meta")
        yield c(func, (2, 3), dtype=torch.float16, device=torch.device("meta"))
        yield c(func, [4], dtype=torch.int64, device="meta")
        yield c(func, size=(2, 0, 3), device="meta")
        yield c(func, 2, 3, must=False)  # on the CPU
        yield c(func, 2, 3, device="cpu", must=False)
        yield c(func, 2, 3, device="meta", requires_grad=True, must=False)
    yield c(torch.empty, 2, 3, device="meta", memory_format=torch.contiguous_format)
    yield c(torch.full, (2, 3), 1.5, device="meta")
    yield c(torch.full, (2, 3), 7, device="meta")
    yield c(torch.full, [2], True, device="meta")
    yield c(torch.full, size=(2,), fill_value=2, dtype=torch.float64, device="meta")
    yield c(torch.full, (2, 3), 1.5, must=False)
    for bounds in [(5,), (2, 9), (2, 9, 3), (9, 2, -2), (0.5, 3.0), (0, 1, 0.25), (3, 2)]:
        yield c(torch.arange, *bounds, device="meta")
        yield c(torch.arange, *bounds, dtype=torch.float16, device="meta")
    yield c(torch.arange, 5, dtype=torch.int32, device="meta")
    yield c(torch.arange, 0.5, 3.0, dtype=torch.int64, device="meta", must=False)
    for bounds in [(0, 10, 2.0), (0, 7, 1.0), (0.0, 5.0), (9.0, 2.0, -2.0), (3.0,), (1.0, 8, 3)]:
        for dtype in (torch.int64, torch.int32):
            yield c(torch.arange, *bounds, dtype=dtype, device="meta")
    yield c(torch.arange, 0, 10, 2.5, dtype=torch.int64, device="meta", must=False)
    # bounds by keyword (RT-DETR's arange(end=height))
    yield c(torch.arange, end=6, device="meta")
    yield c(torch.arange, start=2, end=9, step=3, device="meta")
    yield c(torch.arange, 1, end=7, dtype=torch.float32, device="meta")
    yield c(torch.arange, 1, 9, step=2, device="meta")
    yield c(torch.arange, start=2, device="meta", must=False)  # no end: torch raises
    yield c(torch.arange, 2, start=1, end=5, device="meta", must=False)
    yield c(torch.arange, 0.0, 5.0, dtype=torch.bool, device="meta", must=False)
    yield c(torch.arange, 5, 1, device="meta", must=False)
    yield c(torch.arange, 5, 6, 0, device="meta", must=False)
    yield c(torch.arange, 5, must=False)  # on the CPU
    # preserve_format: a dense input's strides kept, others made dense in their axis order
    # (Mamba 2's cache: zeros_like of an expanded state)
    rng = random.Random(1)
    fuzzed = [_fuzzed_layout(rng, [rng.choice([1, 1, 2, 3, 4]) for _ in range(rng.randint(1, 5))],
                             torch.float32) for _ in range(60)]  # fmt: skip
    for t in (x3, cl, meta(2, 3, 4)[:, :, ::2], meta(2, 3, dtype=torch.int64), *fuzzed):
        for func in (torch.zeros_like, torch.ones_like, torch.empty_like):
            yield c(func, t)
            yield c(func, t, dtype=torch.float16)
            yield c(func, t, memory_format=torch.contiguous_format)
            yield c(func, t, device="cpu", must=False)
        yield c(torch.full_like, t, 2.0)
        yield c(torch.full_like, t, fill_value=3)
    yield c(torch.zeros_like, x3, memory_format=torch.channels_last, must=False)
    # Python's types as dtypes (Llama 4's masks: dtype=int)
    for kind in (int, float, bool):
        yield c(torch.zeros, 2, 3, dtype=kind, device="meta")
        yield c(torch.full, (2,), 1, dtype=kind, device="meta")
    yield c(torch.zeros, 2, 3, dtype=complex, device="meta", must=False)

    # recurrent layers: every step's contractions, in torch's order
    for kind in ("lstm", "gru", "rnn_tanh", "rnn_relu"):
        func = getattr(torch, kind)
        for layers, bidir, first, bias, proj in [
            (1, False, False, True, 0),
            (2, True, False, True, 0),
            (2, False, True, False, 0),
            (1, True, True, True, 0),
            (3, True, False, True, 3),
            (2, False, True, False, 2),
        ]:
            if proj and kind != "lstm":
                continue
            params, hx = _recurrent(kind, layers, bidir, bias, proj, batch=2)
            x = meta(2, 3, 4) if first else meta(3, 2, 4)
            flags = (bias, layers, 0.0, False, bidir, first)
            yield c(func, x, hx, params, *flags)
            yield c(func, x, hx, params, bias, layers, 0.5, True, bidir, first)
            yield c(func, meta(5, 2, 4, order=(2, 0, 1)), hx, params, *flags, must=not first)
            yield c(func, meta(3, 1, 4), hx, params, *flags, must=False)  # batch of another size
            yield c(func, meta(3, 2, 5), hx, params, *flags, must=False)  # input of another size
            yield c(func, meta(3, 2, 4, dtype=torch.float64), hx, params, *flags, must=False)
            yield c(func, meta(2, 4), hx, params, *flags, must=False)
        params, hx = _recurrent(kind, 1, False, True, 0, batch=2)
        if kind == "lstm":
            hx_t = tuple(meta(2, 1, 5).transpose(0, 1) for _ in range(2))
        else:
            hx_t = meta(2, 1, 5).transpose(0, 1)
        yield c(func, meta(3, 2, 4), hx_t, params, True, 1, 0.0, False, False, False)
        yield c(func, meta(6, 4), torch.tensor([2, 2, 2]), hx, params,
                True, 1, 0.0, False, False, must=False)  # fmt: skip  # packed
        # cells
        cell = getattr(torch, f"{kind}_cell")
        (w_ih, w_hh, b_ih, b_hh), _ = _recurrent(kind, 1, False, True, 0, batch=2)
        hs = (meta(2, 5), meta(2, 5)) if kind == "lstm" else meta(2, 5)
        yield c(cell, meta(2, 4), hs, w_ih, w_hh, b_ih, b_hh)
        yield c(cell, meta(2, 4), hs, w_ih, w_hh)
        yield c(cell, meta(2, 4, order=(1, 0)), hs, w_ih, w_hh, b_ih, b_hh)
        yield c(cell, meta(1, 4), hs, w_ih, w_hh, b_ih, b_hh, must=False)
        yield c(cell, meta(4), hs, w_ih, w_hh, b_ih, b_hh, must=False)
        yield c(cell, meta(2, 4, dtype=torch.float64), hs, w_ih, w_hh, must=False)
        ht = (meta(2, 5), meta(2, 5, order=(1, 0))) if kind == "lstm" else meta(2, 5, order=(1, 0))
        yield c(cell, meta(2, 4), ht, w_ih, w_hh, b_ih, b_hh, must=False)
        hb = (meta(1, 5), meta(1, 5)) if kind == "lstm" else meta(1, 5)
        yield c(cell, meta(1, 4), hb, w_ih, w_hh, b_ih, b_hh)

    # interpolate: sizes floored as torch floors them, the input's memory format kept
    layouts = {1: [None, (0, 2, 1), (2, 0, 1)], 2: [None, (0, 2, 3, 1), (0, 1, 3, 2)],
               3: [None, (0, 2, 3, 4, 1)]}  # fmt: skip
    for mode, nds in [
        ("nearest", (1, 2, 3)),
        ("nearest-exact", (1, 2, 3)),
        ("area", (1, 2, 3)),
        ("linear", (1,)),
        ("bilinear", (2,)),
        ("bicubic", (2,)),
        ("trilinear", (3,)),
    ]:
        for nd in nds:
            for order in layouts[nd]:
                t = meta(2, 3, *(7, 10, 9)[:nd], order=order)
                dense = order is None or mode != "area"
                yield c(F.interpolate, t, scale_factor=2, mode=mode, must=dense)
                yield c(F.interpolate, t, size=5, mode=mode, must=dense)
                yield c(F.interpolate, t, size=(4, 12, 3)[:nd], mode=mode, must=dense)
                yield c(F.interpolate, t, scale_factor=(1.5, 0.29, 1 / 3)[:nd], mode=mode,
                        must=dense)  # fmt: skip
                yield c(F.interpolate, t, scale_factor=0.3, mode=mode,
                        recompute_scale_factor=True, must=dense)  # fmt: skip
                yield c(F.interpolate, t, None, 2.5, mode, True, must=False)
                yield c(F.interpolate, t, scale_factor=0.05, mode=mode, must=False)  # empty
                yield c(F.interpolate, t, size=(3, 3, 3, 3)[: nd + 1], mode=mode, must=False)
            if mode in ("bilinear", "bicubic"):
                for order in layouts[2]:
                    t = meta(2, 3, 7, 10, order=order)
                    yield c(F.interpolate, t, size=(3, 4), mode=mode, antialias=True)
                    yield c(F.interpolate, t, scale_factor=3, mode=mode, antialias=True,
                            align_corners=True)  # fmt: skip
    yield c(F.interpolate, meta(2, 3, 7, 10), size=5, mode="lanczos", must=False)
    yield c(F.interpolate, meta(2, 3, 7, 10), size=5, mode="linear", must=False)
    yield c(F.interpolate, meta(2, 3, 7, 10), size=5, scale_factor=2, must=False)
    yield c(F.interpolate, meta(2, 3, 7, 10), must=False)
    yield c(F.interpolate, meta(2, 3, 7, 10), size=5, antialias=True, must=False)
    for shape, order in [((1, 3, 5, 5), (0, 2, 3, 1)), ((2, 1, 5, 5), (0, 2, 3, 1)),
                         ((2, 3, 1, 1), (0, 2, 3, 1)), ((2, 3, 1, 5), (0, 1, 3, 2)),
                         ((1, 3, 1, 5), (2, 1, 0, 3))]:  # fmt: skip
        plain = 1 not in shape[1:]  # axes of size 1 can make the memory format ambiguous
        yield c(F.interpolate, meta(*shape, order=order), scale_factor=2, must=plain)
        yield c(F.interpolate, meta(*shape, order=order), scale_factor=2, mode="bilinear",
                must=plain)  # fmt: skip
    yield c(F.interpolate, meta(2, 3, 5, 5)[:, :, ::2], scale_factor=2)
    # the interpolating modes on inputs with axes of size 1 laid out oddly: their
    # decomposition's steps, by their own rules (the first: the layout fuzz's, whose C axis
    # comes out with stride 16; YOLOS's position embedding, permuted with a batch of 1)
    odd = [meta(14).as_strided((2, 1, 2, 1), (1, 7, 2, 7)),
           meta(1, 64, 64, 108).permute(0, 3, 1, 2),
           meta(3, 1, 4, 5).as_strided((3, 1, 4, 5), (20, 100, 5, 1))[..., ::2],
           meta(16).as_strided((1, 4, 4), (7, 4, 1)),
           meta(60).as_strided((1, 3, 2, 5, 2), (1, 20, 10, 2, 1))]  # fmt: skip
    for t in odd:
        nd = t.dim() - 2
        mode = {1: "linear", 2: "bilinear", 3: "trilinear"}[nd]
        yield c(F.interpolate, t, scale_factor=2, mode=mode)
        yield c(F.interpolate, t, size=(3, 5, 2)[:nd], mode=mode, align_corners=True)
        if nd == 2:
            yield c(F.interpolate, t, scale_factor=1.5, mode="bicubic")
            yield c(F.interpolate, t.half(), scale_factor=2, mode=mode, must=False)

    # power pooling, local response norm, rrelu
    for func, t in ((F.lp_pool1d, meta(2, 3, 11)), (F.lp_pool2d, meta(2, 3, 11, 10))):
        for p in (2, 1.5, float("inf"), -float("inf")):
            yield c(func, t, p, 3)
            yield c(func, t, p, 3, 2, True)
            yield c(func, t, norm_type=p, kernel_size=2, stride=1)
        yield c(func, t, 0, 3, must=False)
        yield c(func, t.transpose(-1, -2), 2, 3, must=False)
        yield c(func, t, 2, 20, must=False)
    yield c(F.lp_pool2d, meta(2, 3, 11, 10), 2, (3, 2), (1, 2))
    yield c(F.lp_pool1d, meta(2, 3, 11), 2, (3,), must=False)
    for t in (meta(2, 6, 7), meta(2, 6, 5, 4), meta(2, 6, 3, 4, 5), meta(4, 5)):
        yield c(F.local_response_norm, t, 3, must=t.dim() > 2)
        yield c(F.local_response_norm, t, 2, alpha=1e-3, beta=0.5, k=2.0, must=t.dim() > 2)
    yield c(F.local_response_norm, meta(2, 6, 5, 4, order=(0, 2, 3, 1)), 3, must=False)
    for t in (meta(2, 3, 4), meta(2, 3, 4, order=(2, 0, 1))):
        yield c(F.rrelu, t)
        yield c(F.rrelu, t, 0.1, 0.3, True)
        yield c(F.rrelu, t, training=True, inplace=True)
        yield c(F.rrelu, t, 0.2, 0.2, False, True)


def _recurrent(
    kind: str, layers: int, bidir: bool, bias: bool, proj: int, batch: int
) -> tuple[list[torch.Tensor], Any]:
    """The flat weights and zero hidden state of torch's recurrent layer of ``kind`` (input
    4 wide, hidden 5), on meta."""
    make = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}.get(kind, torch.nn.RNN)
    options: dict[str, Any] = {"proj_size": proj} if proj else {}
    if kind.startswith("rnn_"):
        options["nonlinearity"] = kind[4:]
    module = make(4, 5, layers, bias=bias, bidirectional=bidir, **options).to("meta")
    dirs = 2 if bidir else 1
    h = meta(layers * dirs, batch, proj or 5)
    hx = (h, meta(layers * dirs, batch, 5)) if kind == "lstm" else h
    return list(module._flat_weights), hx


def _requiring_grad(obj: Any) -> Any:
    """``obj`` with each floating-point tensor a leaf that requires grad (a view of the same
    memory, laid out alike), as a parameter's views are; None when it holds none."""
    if isinstance(obj, torch.Tensor):
        if obj.dtype.is_floating_point and not obj.requires_grad:
            return obj.detach().requires_grad_(True)
        return None
    if isinstance(obj, (list, tuple)):
        parts = [_requiring_grad(v) for v in obj]
        if all(p is None for p in parts):
            return None
        return type(obj)(v if p is None else p for v, p in zip(obj, parts))
    return None


def _with_grad(cases: list[Case]) -> Iterator[Case]:
    """Each case again with its floating-point tensors requiring grad, under no_grad as the
    tracers run: views of them require grad too (torch's matmul reads it), results of
    computations do not."""
    for label, func, args, kwargs, must in cases:
        grad_args = _requiring_grad(args)
        if grad_args is not None:
            # Writing into a tensor that requires grad is refused (forward code may turn
            # grad on, where torch raises): answered, it must be right.
            name = getattr(func, "__name__", "")
            writes = name.endswith("_") or name in _WRITES
            yield f"grad:{label}", func, grad_args, kwargs, must and not writes


# The dunder methods that write into their tensor (x[i] = v, x += y, ...).
_WRITES = {
    "__setitem__", "__iadd__", "__isub__", "__imul__", "__itruediv__", "__iand__",
    "__ior__", "__ixor__",
}  # fmt: skip


_PLAIN_CASES = list(_cases())
CASES = _PLAIN_CASES + list(_with_grad(_PLAIN_CASES))
_REFUSED: Any = object()  # what torch's answer is when it raises (None is an answer)


@pytest.mark.parametrize("label,func,args,kwargs,must", CASES, ids=[c[0][:90] for c in CASES])
def test_rule_equals_torch(
    label: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any], must: bool
) -> None:
    recorder = _Contractions()
    try:
        with torch.no_grad(), recorder:
            expected = func(*args, **kwargs)
    except Exception:
        expected = _REFUSED  # torch refuses: the rule must refuse too
    handler = HANDLERS[func]
    aten: list[AtenOp] = []
    memo: dict[int, SymTensor] = {}
    sym_args = _sym(args, memo)
    try:
        got = handler(sym_args, {k: _sym(v, memo) for k, v in kwargs.items()}, aten)
    except Unsupported:
        assert not (must and expected is not _REFUSED), f"refused a case torch runs: {label}"
        return
    assert expected is not _REFUSED, f"torch refuses this case, the rule answered: {label}"
    assert _describe(got) == _describe(expected), label
    assert aten == recorder.ops, label
    # In-place operations and no-op views return their input itself, as torch does.
    if isinstance(expected, torch.Tensor) and args and expected is args[0]:
        assert got is sym_args[0], label


def test_detach_is_a_new_tensor() -> None:
    """detach returns a new tensor (torch's is never its input, nor a parameter)."""
    for kind in (SymTensor, SymParameter):
        x = kind((2, 3), torch.float32, (1, 2), requires_grad=kind is SymParameter)
        got = HANDLERS[torch.Tensor.detach]((x,), {}, [])
        assert got is not x and type(got) is SymTensor and not got.requires_grad


_GRAD_FLAGS = ((), (True,), (False,))


@pytest.mark.parametrize("flag", _GRAD_FLAGS, ids=["default", "true", "false"])
@pytest.mark.parametrize(
    "dtype,param",
    [(torch.float32, False), (torch.float16, False), (torch.int64, False), (torch.bool, False),
     (torch.complex64, False), (torch.float32, True)],
)  # fmt: skip
def test_requires_grad_in_place_is_torch_s(dtype: torch.dtype, param: bool, flag: Any) -> None:
    """``x.requires_grad_(flag)`` returns ``x`` itself with torch's flag; where torch raises
    (an integer dtype made to require grad), the rule refuses. (Not among CASES: torch's
    call there sets the flag of the case's own tensor before the rule sees it.)"""
    t = meta(2, 3, dtype=dtype, param=param)
    x = _sym(meta(2, 3, dtype=dtype, param=param))
    try:
        with torch.no_grad():
            expected: Any = t.requires_grad_(*flag)
    except RuntimeError:
        expected = _REFUSED
    try:
        got = HANDLERS[torch.Tensor.requires_grad_]((x, *flag), {}, [])
    except Unsupported:
        # Refused where torch raises, and where a tensor requiring grad is turned off
        # (torch's answer depends on whether it is a leaf, which a traced one does not say).
        assert expected is _REFUSED or (param and flag == (False,))
        return
    assert expected is not _REFUSED
    assert got is x and _describe(got) == _describe(expected)


def test_every_handler_is_exercised() -> None:
    # tested below: iteration, and the grad mode (which returns None, as a refusal reads)
    tested = {c[1] for c in CASES} | {torch.Tensor.__iter__, torch._C._set_grad_enabled}
    tested.add(torch.Tensor.requires_grad_)  # see test_requires_grad_in_place_is_torch_s
    untested = [getattr(f, "__name__", str(f)) for f in HANDLERS if f not in tested]
    assert not untested


def test_every_tensor_method_with_a_rule_is_a_traced_tensor_s_method() -> None:
    """Forward code calls x.argsort() as often as torch.argsort(x): each Tensor method a
    rule answers is routed from a SymTensor too (Python 3 never calls __idiv__/__rdiv__)."""
    missing = [
        f.__name__
        for f in HANDLERS
        if getattr(torch.Tensor, getattr(f, "__name__", ""), None) is f
        and not hasattr(SymTensor, f.__name__)
        and f.__name__ not in ("__idiv__", "__rdiv__")
    ]
    assert not missing


def test_a_tensor_stored_for_a_move_counts_as_made_on_meta() -> None:
    """torch.tensor without a device is answered only at a known site that stores it and
    moves it to its inputs' device before any use (transformers' sliding-window cache
    layer); the same call elsewhere is refused, as made on the CPU."""
    code = (
        "class DynamicSlidingWindowLayer:\n"
        "    def __init__(self, rule):\n"
        "        self.made = rule((4,), {'dtype': torch.long}, [])\n"
    )
    for path, known in (("/x/transformers/cache_utils.py", True), ("/x/cache.py", False)):
        space: dict[str, Any] = {"torch": torch}
        exec(compile(code, path, "exec"), space)
        if known:
            made = space["DynamicSlidingWindowLayer"](HANDLERS[torch.tensor]).made
            assert _describe(made) == ((), (), torch.int64, "meta", False)
        else:
            with pytest.raises(Unsupported, match="off the meta device"):
                space["DynamicSlidingWindowLayer"](HANDLERS[torch.tensor])
    with pytest.raises(Unsupported, match="off the meta device"):
        HANDLERS[torch.tensor]((4,), {"dtype": torch.long}, [])


def test_grad_mode_set_in_forward_code_is_set() -> None:
    """``torch.no_grad()`` in forward code reaches the trace as _set_grad_enabled: done.
    Grad turned on is refused (the rules follow no_grad's requires_grad)."""
    rule = HANDLERS[torch._C._set_grad_enabled]
    try:
        assert rule((False,), {}, []) is None
        assert not torch.is_grad_enabled()
        with pytest.raises(Unsupported, match="grad turned on"):
            rule((), {"mode": True}, [])
        assert not torch.is_grad_enabled()
        with pytest.raises(Unsupported):
            rule((1,), {}, [])
    finally:
        torch._C._set_grad_enabled(True)


def test_iterating_over_a_tensor_unbinds_its_first_axis() -> None:
    for t in (meta(3, 4, 5), meta(3, 4, 5).permute(2, 0, 1)):
        got = tuple(HANDLERS[torch.Tensor.__iter__]((_sym(t),), {}, []))
        assert [_describe(g) for g in got] == [_describe(e) for e in t]
    with pytest.raises(Unsupported):
        HANDLERS[torch.Tensor.__iter__]((SymTensor((), torch.float32),), {}, [])


def test_random_floats_drawn_by_a_generator_are_made_as_without() -> None:
    """A generator draws values, which a traced tensor has none of: the shape and dtype
    are torch's (univnet's noise). (Apart from the op cases: a generator's repr, which
    names its address, would make their ids differ between test workers.)"""
    for func in (torch.rand, torch.randn):
        expected = func(2, 3, device="meta", generator=torch.Generator())
        got = HANDLERS[func]((2, 3), {"device": "meta", "generator": torch.Generator()}, [])
        assert _describe(got) == _describe(expected)
