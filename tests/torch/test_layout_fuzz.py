"""The shape rules that lay out their results by an input's layout, fuzzed against torch.

``test_symbolic_ops`` holds each rule to torch on chosen layouts; this test draws many
more (seeded, so every run sees the same): permuted, gapped, broadcast, and with axes
of size 1 whose strides are anything at all, the layouts on which kernels differ most.
Each rule may refuse a layout, but a layout it answers must come out exactly as torch
lays it out on meta: shape, strides, dtype, device and requires_grad (test_symbolic_ops'
description of a tensor). (This audit found activations, norms,
softmax, GLU and half-precision element-wise ops answering some of these wrong, then
clamp with one bound and interpolate's interpolating modes, and later audits the rules
their sections below name.)
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from test_symbolic_ops import _describe, _sym

from modelmath.frontends.torch_module.shape_rules import HANDLERS
from modelmath.frontends.torch_module.symbolic import Unsupported

LAYOUTS = 300  # per rule; each rule sees the same ones


def _layout(rng: random.Random) -> torch.Tensor:
    """A meta tensor of 2 to 5 axes (sizes 1 to 5), its axes permuted, some gapped, an
    axis of size 1 sometimes broadcast, the strides of axes of size 1 sometimes odd."""
    ndim = rng.choice([2, 3, 4, 5])
    dtype = rng.choice([torch.float32, torch.float32, torch.float16])
    shape = [rng.choice([1, 1, 2, 3, 4, 5]) for _ in range(ndim)]
    order = list(range(ndim))
    rng.shuffle(order)
    gaps = [rng.choice([1, 1, 1, 2]) for _ in range(ndim)]
    base = torch.empty([shape[o] * gaps[o] for o in order], device="meta", dtype=dtype)
    x = base.permute(*[order.index(k) for k in range(ndim)])
    x = x[tuple(slice(None, None, g) for g in gaps)]
    if rng.random() < 0.15:
        axis = rng.randrange(ndim)
        if x.shape[axis] == 1:
            x = x.expand(*[3 if i == axis else n for i, n in enumerate(x.shape)])
    if rng.random() < 0.25:
        strides = [rng.choice([1, 7, 100]) if n == 1 else s for n, s in zip(x.shape, x.stride())]
        x = x.as_strided(x.shape, strides)
    return x


def _meta(*shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.empty(shape, device="meta", dtype=dtype)


def _setitem(x: torch.Tensor) -> tuple[Any, ...]:
    """A copy of ``x`` to write into, an index and a value."""
    return (x.clone(), (Ellipsis, 0), 1.0)


def _vec(x: torch.Tensor) -> torch.Tensor:
    """A 1-d view of ``x`` with its last axis's stride."""
    return x[(0,) * (x.dim() - 1)]


def _weights(x: torch.Tensor, gates: int, bias: bool = True) -> list[torch.Tensor]:
    """One recurrent layer's weights (hidden size 2) for input ``x``: ih, hh and biases."""
    h, d = 2, x.dtype
    found = [_meta(gates * h, x.shape[-1], dtype=d), _meta(gates * h, h, dtype=d)]
    return found + ([_meta(gates * h, dtype=d), _meta(gates * h, dtype=d)] if bias else [])


def _layer(x: torch.Tensor, gates: int, states: int, bias: bool = True) -> tuple[Any, ...]:
    """torch.lstm/gru/rnn_* arguments for a (time, batch, features) input: one layer, one
    direction, no dropout, not training, not batch first."""
    state = _meta(1, x.shape[1], 2, dtype=x.dtype)
    hx = (state, state.clone()) if states == 2 else state
    return (x, hx, _weights(x, gates, bias), bias, 1, 0.0, False, False, False)


def _cell(x: torch.Tensor, gates: int, states: int, bias: bool = True) -> tuple[Any, ...]:
    """torch.*_cell arguments for a (batch, features) input, hidden size 2."""
    state = _meta(x.shape[0], 2, dtype=x.dtype)
    hx = (state, state.clone()) if states == 2 else state
    return (x, hx, *_weights(x, gates, bias))


def _attention(x: torch.Tensor, need_weights: bool) -> tuple[Any, ...]:
    """F.multi_head_attention_forward arguments: ``x`` (time, batch, E) as query, key and
    value, one head, packed input projection with biases, not training."""
    e, d = x.shape[-1], x.dtype
    return (
        x, x, x, e, 1, _meta(3 * e, e, dtype=d), _meta(3 * e, dtype=d), None, None, False,
        0.0, _meta(e, e, dtype=d), _meta(e, dtype=d), False, None, need_weights,
    )  # fmt: skip


# name → (function, its arguments given the fuzzed tensor)
RULES: dict[str, tuple[Any, Callable[[torch.Tensor], tuple[Any, ...]]]] = {
    "exp": (torch.exp, lambda x: (x,)),
    "abs": (torch.abs, lambda x: (x,)),
    "neg": (torch.Tensor.__neg__, lambda x: (x,)),
    "rsqrt": (torch.rsqrt, lambda x: (x,)),
    "floor": (torch.floor, lambda x: (x,)),
    "pow": (torch.pow, lambda x: (x, 2)),
    "mul_number": (torch.mul, lambda x: (x, 2.0)),
    "add_self": (torch.add, lambda x: (x, x)),
    "add_row_major": (torch.add, lambda x: (x, _meta(*x.shape))),
    "add_to_row_major": (torch.add, lambda x: (_meta(*x.shape), x)),
    "mul_last_axis": (torch.mul, lambda x: (x, _meta(x.shape[-1]))),
    "rsub": (torch.Tensor.__rsub__, lambda x: (x, 1.0)),
    "gt": (torch.gt, lambda x: (x, 0.5)),
    "maximum": (torch.maximum, lambda x: (x, _meta(*x.shape))),
    "where": (torch.where, lambda x: (_meta(*x.shape, dtype=torch.bool), x, 0.0)),
    "masked_fill": (
        torch.Tensor.masked_fill, lambda x: (x, _meta(*x.shape, dtype=torch.bool), 0.0)
    ),
    "clamp": (torch.clamp, lambda x: (x, 0.0, 1.0)),
    "clamp_min": (torch.clamp_min, lambda x: (x, 0.0)),
    "clamp_max": (torch.clamp_max, lambda x: (x, 1.0)),
    "relu": (F.relu, lambda x: (x,)),
    "relu6": (F.relu6, lambda x: (x,)),
    "hardtanh": (F.hardtanh, lambda x: (x,)),
    "gelu": (F.gelu, lambda x: (x,)),
    "silu": (F.silu, lambda x: (x,)),
    "sigmoid": (torch.sigmoid, lambda x: (x,)),
    "tanh": (torch.tanh, lambda x: (x,)),
    "elu": (F.elu, lambda x: (x,)),
    "softplus": (F.softplus, lambda x: (x,)),
    "logsigmoid": (F.logsigmoid, lambda x: (x,)),
    "hardshrink": (F.hardshrink, lambda x: (x,)),
    "dropout": (F.dropout, lambda x: (x, 0.5, True)),
    "prelu": (torch.prelu, lambda x: (x, _meta(x.shape[1]))),
    "softmax": (torch.softmax, lambda x: (x, -1)),
    "log_softmax": (torch.log_softmax, lambda x: (x, 0)),
    "layer_norm": (F.layer_norm, lambda x: (x, x.shape[-1:], _meta(x.shape[-1]))),
    "rms_norm": (F.rms_norm, lambda x: (x, x.shape[-1:], _meta(x.shape[-1]))),
    "group_norm": (F.group_norm, lambda x: (x, 1)),
    "batch_norm": (
        F.batch_norm, lambda x: (x, _meta(x.shape[1]), _meta(x.shape[1]), None, None, False)
    ),
    "normalize": (F.normalize, lambda x: (x,)),
    "glu": (F.glu, lambda x: (x, -1)),
    "sum": (torch.sum, lambda x: (x, -1)),
    "mean_keepdim": (torch.mean, lambda x: (x, -1, True)),
    "cumsum": (torch.cumsum, lambda x: (x, 0)),
    "contiguous": (torch.Tensor.contiguous, lambda x: (x,)),
    "clone": (torch.clone, lambda x: (x,)),
    "to_half": (torch.Tensor.to, lambda x: (x, torch.float16)),
    "to_row_major": (torch.Tensor.to, lambda x: (x, torch.float32, False, False)),
    "linear": (F.linear, lambda x: (x, _meta(3, x.shape[-1]), _meta(3))),
    "matmul": (torch.matmul, lambda x: (x, _meta(x.shape[-1], 3))),
    "pad": (F.pad, lambda x: (x, (1, 1))),
    "conv2d": (F.conv2d, lambda x: (x, _meta(2, x.shape[1], 1, 1))),
    "interpolate": (F.interpolate, lambda x: (x, None, 2.0, "nearest")),
    "interpolate_bilinear": (F.interpolate, lambda x: (x, None, 2.0, "bilinear", False)),
    "interpolate_bicubic": (F.interpolate, lambda x: (x, (3, 2), None, "bicubic", True)),
    "interpolate_linear": (F.interpolate, lambda x: (x, None, 1.5, "linear")),
    "interpolate_trilinear": (F.interpolate, lambda x: (x, None, 2.0, "trilinear")),
    "transpose": (torch.transpose, lambda x: (x, 0, -1)),
    "permute": (torch.Tensor.permute, lambda x: (x, *reversed(range(x.dim())))),
    "reshape": (torch.reshape, lambda x: (x, (-1,))),
    "flatten": (torch.flatten, lambda x: (x, 1)),
    "unsqueeze": (torch.unsqueeze, lambda x: (x, 1)),
    "squeeze": (torch.squeeze, lambda x: (x,)),
    "expand": (torch.Tensor.expand, lambda x: (x, 2, *x.shape)),
    "getitem": (torch.Tensor.__getitem__, lambda x: (x, (Ellipsis, slice(1, None)))),
    "chunk": (torch.chunk, lambda x: (x, 2, -1)),
    "split": (torch.split, lambda x: (x, 1, 0)),
    "unbind": (torch.unbind, lambda x: (x, 0)),
    "cat": (torch.cat, lambda x: ([x, x], 0)),
    "cat_row_major": (torch.cat, lambda x: ([x, _meta(*x.shape)], -1)),
    "stack": (torch.stack, lambda x: ([x, x], 1)),
    "repeat": (torch.Tensor.repeat, lambda x: (x, *([2] + [1] * (x.dim() - 1)))),
    "sum_keepdim": (torch.sum, lambda x: (x, 0, True)),
    "max_dim": (torch.max, lambda x: (x, -1)),
    "argmax": (torch.argmax, lambda x: (x, -1)),
    "topk": (torch.topk, lambda x: (x, 1)),
    "norm": (torch.norm, lambda x: (x, 2, -1, True)),
    "tril": (torch.tril, lambda x: (x,)),
    "triu": (torch.triu, lambda x: (x, 1)),
    "bmm": (torch.matmul, lambda x: (_meta(x.shape[0], 2, x.shape[-2]), x)),
    "sdpa": (F.scaled_dot_product_attention, lambda x: (x, x, x)),
    "index_select": (torch.index_select, lambda x: (x, 0, _meta(2, dtype=torch.int64))),
    "masked_fill_inplace": (
        torch.Tensor.masked_fill_, lambda x: (x.clone(), _meta(*x.shape, dtype=torch.bool), 0.0)
    ),
    "zeros_like": (torch.zeros_like, lambda x: (x,)),
    "new_zeros": (torch.Tensor.new_zeros, lambda x: (x, (2, 3))),
    "type_as": (torch.Tensor.type_as, lambda x: (x, _meta(1, dtype=torch.float64))),
    "avg_pool2d": (F.avg_pool2d, lambda x: (x, 1)),
    "max_pool2d": (F.max_pool2d, lambda x: (x, 1)),
    "adaptive_avg_pool2d": (F.adaptive_avg_pool2d, lambda x: (x, 1)),
    "adaptive_max_pool2d": (F.adaptive_max_pool2d, lambda x: (x, 1)),
    "repeat_interleave": (torch.repeat_interleave, lambda x: (x, 2, 0)),
    "gather": (torch.gather, lambda x: (x, 0, _meta(*x.shape, dtype=torch.int64))),
    "pixel_shuffle": (F.pixel_shuffle, lambda x: (x, 1)),
    "dropout2d": (F.dropout2d, lambda x: (x, 0.5, False)),
    "mean": (torch.mean, lambda x: (x, 0)),
    "prod": (torch.prod, lambda x: (x, -1)),
    "var_keepdim": (torch.var, lambda x: (x, -1, False, True)),
    "std": (torch.std, lambda x: (x, 0)),
    "logsumexp": (torch.logsumexp, lambda x: (x, -1, True)),
    "sort": (torch.sort, lambda x: (x, 0)),
    "argsort": (torch.argsort, lambda x: (x, -1)),
    "scatter": (
        torch.scatter, lambda x: (x, 0, _meta(*x.shape, dtype=torch.int64), _meta(*x.shape))
    ),
    "unfold": (torch.Tensor.unfold, lambda x: (x, -1, 1, 1)),
    "conv1d": (F.conv1d, lambda x: (x, _meta(2, x.shape[1], 1))),
    "instance_norm": (F.instance_norm, lambda x: (x,)),
    "local_response_norm": (F.local_response_norm, lambda x: (x, 2)),
    "hardswish": (F.hardswish, lambda x: (x,)),
    "square": (torch.square, lambda x: (x,)),
    "minimum": (torch.minimum, lambda x: (x, _meta(*x.shape))),
    "baddbmm": (torch.baddbmm, lambda x: (_meta(1), x, _meta(x.shape[0], x.shape[-1], 2))),
    "bmm_of_3d": (torch.bmm, lambda x: (x, _meta(x.shape[0], x.shape[-1], 2))),
    "mm": (torch.mm, lambda x: (x, _meta(x.shape[-1], 2))),
    "einsum": (torch.einsum, lambda x: ("...ij,jk->...ik", x, _meta(x.shape[-1], 2))),
    # A second audit's rules (it found logical_not, sinc, x.__rtruediv__, threshold and a
    # where promoting a half operand answering some of these wrong)
    "sin": (torch.sin, lambda x: (x,)),
    "cos": (torch.cos, lambda x: (x,)),
    "log": (torch.log, lambda x: (x,)),
    "erf": (torch.erf, lambda x: (x,)),
    "sqrt": (torch.sqrt, lambda x: (x,)),
    "log1p": (torch.log1p, lambda x: (x,)),
    "reciprocal": (torch.reciprocal, lambda x: (x,)),
    "trunc": (torch.trunc, lambda x: (x,)),
    "frac": (torch.frac, lambda x: (x,)),
    "sinc": (torch.sinc, lambda x: (x,)),
    "i0": (torch.i0, lambda x: (x,)),
    "lgamma": (torch.lgamma, lambda x: (x,)),
    "eq": (torch.eq, lambda x: (x, 0.5)),
    "ne_t": (torch.ne, lambda x: (x, _meta(*x.shape))),
    "lt_t": (torch.lt, lambda x: (_meta(*x.shape), x)),
    "logical_not": (torch.logical_not, lambda x: (x,)),
    "logical_and": (torch.logical_and, lambda x: (x, x)),
    "bitwise_not": (torch.bitwise_not, lambda x: (x > 0,)),
    "bitwise_or": (torch.bitwise_or, lambda x: (x > 0, x < 1)),
    "and_": (torch.Tensor.__and__, lambda x: (x > 0, x < 1)),
    "invert": (torch.Tensor.__invert__, lambda x: (x > 0,)),
    "leaky_relu": (F.leaky_relu, lambda x: (x, 0.2)),
    "celu": (F.celu, lambda x: (x,)),
    "selu": (F.selu, lambda x: (x,)),
    "mish": (F.mish, lambda x: (x,)),
    "softsign": (F.softsign, lambda x: (x,)),
    "tanhshrink": (F.tanhshrink, lambda x: (x,)),
    "softshrink": (F.softshrink, lambda x: (x,)),
    "hardsigmoid": (F.hardsigmoid, lambda x: (x,)),
    "threshold": (F.threshold, lambda x: (x, 0.1, 0.0)),
    "rrelu": (F.rrelu, lambda x: (x,)),
    "alpha_dropout": (F.alpha_dropout, lambda x: (x, 0.5, True)),
    "feature_alpha_dropout": (F.feature_alpha_dropout, lambda x: (x, 0.5, False)),
    "softmin": (F.softmin, lambda x: (x, -1)),
    "softmax_f": (F.softmax, lambda x: (x, 0)),
    "log_softmax_f": (F.log_softmax, lambda x: (x, -1)),
    "tanh_f": (F.tanh, lambda x: (x,)),
    "sigmoid_f": (F.sigmoid, lambda x: (x,)),
    "div": (torch.div, lambda x: (x, 2.0)),
    "div_t": (torch.div, lambda x: (_meta(*x.shape), x)),
    "sub_t": (torch.sub, lambda x: (x, _meta(x.shape[-1]))),
    "truediv": (torch.Tensor.__truediv__, lambda x: (x, 3)),
    "rdiv": (torch.Tensor.__rtruediv__, lambda x: (x, 3.0)),
    "rpow": (torch.Tensor.__rpow__, lambda x: (x, 2.0)),
    "pow_t": (torch.pow, lambda x: (x, x)),
    "float": (torch.Tensor.float, lambda x: (x,)),
    "double": (torch.Tensor.double, lambda x: (x,)),
    "half": (torch.Tensor.half, lambda x: (x,)),
    "bool": (torch.Tensor.bool, lambda x: (x,)),
    "long": (torch.Tensor.long, lambda x: (x,)),
    "type": (torch.Tensor.type, lambda x: (x, torch.float64)),
    "detach": (torch.detach, lambda x: (x,)),
    "expand_as": (torch.Tensor.expand_as, lambda x: (x, _meta(2, *x.shape))),
    "view_as": (torch.Tensor.view_as, lambda x: (x, _meta(*x.shape))),
    "reshape_as": (torch.Tensor.reshape_as, lambda x: (x, _meta(x.numel()))),
    "t": (torch.t, lambda x: (x[(0,)*(x.dim()-2)],)),
    "tile": (torch.tile, lambda x: (x, (2,))),
    "unflatten": (torch.unflatten, lambda x: (x, -1, (x.shape[-1], 1))),
    "empty_like": (torch.empty_like, lambda x: (x,)),
    "ones_like": (torch.ones_like, lambda x: (x,)),
    "full_like": (torch.full_like, lambda x: (x, 2.0)),
    "rand_like": (torch.rand_like, lambda x: (x,)),
    "randn_like": (torch.randn_like, lambda x: (x,)),
    "new_ones": (torch.Tensor.new_ones, lambda x: (x, (2,))),
    "new_full": (torch.Tensor.new_full, lambda x: (x, (2, 3), 1.0)),
    "masked_fill_t": (torch.masked_fill, lambda x: (x, _meta(x.shape[-1], dtype=torch.bool), 1.0)),
    "where_xy": (torch.where, lambda x: (x > 0, x, _meta(*x.shape))),
    "where_m": (torch.Tensor.where, lambda x: (x, x > 0, 0.0)),
    "minimum_b": (torch.minimum, lambda x: (_meta(x.shape[-1]), x)),
    "min_dim": (torch.min, lambda x: (x, 0, True)),
    "cumsum_m": (torch.Tensor.cumsum, lambda x: (x, -1)),
    "clamp_t": (torch.Tensor.clamp, lambda x: (x, None, 0.5)),
    "clip": (torch.clip, lambda x: (x, -1.0, 1.0)),
    "copy_": (torch.Tensor.copy_, lambda x: (_meta(*x.shape), x)),
    "relu_": (torch.relu_, lambda x: (x.clone(),)),
    "add_": (torch.Tensor.add_, lambda x: (x.clone(), 1.0)),
    "mul_": (torch.Tensor.mul_, lambda x: (x.clone(), x)),
    "iadd": (torch.Tensor.__iadd__, lambda x: (x.clone(), _meta(x.shape[-1]))),
    "square_m": (torch.Tensor.square, lambda x: (x,)),
    "abs_m": (torch.Tensor.abs, lambda x: (x,)),
    "pairwise_distance": (F.pairwise_distance, lambda x: (x, x)),
    "cosine_similarity": (F.cosine_similarity, lambda x: (x, x)),
    "pad_reflect": (F.pad, lambda x: (x, (1, 1), "reflect")),
    "pad_replicate": (F.pad, lambda x: (x, (1, 2), "replicate")),
    "pad_neg": (F.pad, lambda x: (x, (1, -1))),
    "avg_pool1d": (F.avg_pool1d, lambda x: (x, 1)),
    "max_pool1d": (F.max_pool1d, lambda x: (x, 1)),
    "adaptive_avg_pool1d": (F.adaptive_avg_pool1d, lambda x: (x, 2)),
    "avg_pool3d": (F.avg_pool3d, lambda x: (x, 1)),
    "max_pool3d": (F.max_pool3d, lambda x: (x, 1)),
    "adaptive_avg_pool3d": (F.adaptive_avg_pool3d, lambda x: (x, 1)),
    "pixel_unshuffle": (F.pixel_unshuffle, lambda x: (x, 1)),
    "dropout1d": (F.dropout1d, lambda x: (x, 0.5, False)),
    "dropout3d": (F.dropout3d, lambda x: (x, 0.5, False)),
    "logsumexp_m": (torch.Tensor.logsumexp, lambda x: (x, 0)),
    "linalg_vector_norm": (torch.linalg.vector_norm, lambda x: (x, 2, -1, True)),
    "outer": (torch.outer, lambda x: (x.flatten(), _meta(3))),
    "rms_norm_t": (torch.rms_norm, lambda x: (x, x.shape[-1:])),
    "group_norm_w": (F.group_norm, lambda x: (x, 1, _meta(x.shape[1]), _meta(x.shape[1]))),
    "conv_transpose2d": (F.conv_transpose2d, lambda x: (x, _meta(x.shape[1], 2, 1, 1))),
    "conv3d": (F.conv3d, lambda x: (x, _meta(2, x.shape[1], 1, 1, 1))),
    "conv_transpose1d": (F.conv_transpose1d, lambda x: (x, _meta(x.shape[1], 2, 1))),
    "embedding": (F.embedding, lambda x: (_meta(3, dtype=torch.int64), x[(0,)*(x.dim()-2)])),
    "index_select_m": (torch.Tensor.index_select, lambda x: (x, -1, _meta(2, dtype=torch.int64))),
    "repeat_interleave_m": (torch.Tensor.repeat_interleave, lambda x: (x, 2)),
    "topk_m": (torch.Tensor.topk, lambda x: (x, 1, 0)),
    "sort_m": (torch.Tensor.sort, lambda x: (x, -1)),
    "scatter_": (
        torch.Tensor.scatter_, lambda x: (x.clone(), 0, _meta(*x.shape, dtype=torch.int64), 1.0)
    ),
    "grid_sample": (
        F.grid_sample, lambda x: (x, _meta(x.shape[0], 2, 2, 2), "bilinear", "zeros", False)
    ),
    "baddbmm_m": (
        torch.Tensor.baddbmm,
        lambda x: (x, _meta(x.shape[0], x.shape[1], 2), _meta(x.shape[0], 2, x.shape[2])),
    ),
    "addmm": (
        torch.addmm, lambda x: (_meta(x.shape[-1]), _meta(2, x.shape[-2]), x[(0,) * (x.dim() - 2)])
    ),
    "matmul_m": (torch.Tensor.matmul, lambda x: (_meta(2, x.shape[-2]), x)),
    # A third audit's (it found a vector norm, F.unfold of a non-contiguous input and
    # padding by zeros answering some of these wrong)
    "unfold_f": (F.unfold, lambda x: (x, 1)),
    "embedding_bag": (
        F.embedding_bag, lambda x: (_meta(2, 3, dtype=torch.int64), x[(0,) * (x.dim() - 2)])
    ),
    "max_unpool2d": (F.max_unpool2d, lambda x: (x, _meta(*x.shape, dtype=torch.int64), 1)),
    "linalg_norm": (torch.linalg.norm, lambda x: (x, None, -1, True)),
    "weight_norm": (
        torch._weight_norm, lambda x: (x, _meta(x.shape[0], *([1] * (x.dim() - 1))), 0)
    ),
    "norm_m": (torch.Tensor.norm, lambda x: (x, 2, 0)),
    "split_m": (torch.Tensor.split, lambda x: (x, 1, -1)),
    "unflatten_m": (torch.Tensor.unflatten, lambda x: (x, 0, (x.shape[0], 1))),
    "ger": (torch.ger, lambda x: (x.flatten(), _meta(2))),
    "setitem": (torch.Tensor.__setitem__, _setitem),
    "neg_f": (torch.neg, lambda x: (x,)),
    "ceil_f": (torch.ceil, lambda x: (x,)),
    "digamma": (torch.digamma, lambda x: (x,)),
    "bitwise_xor": (torch.bitwise_xor, lambda x: (x > 0, x < 1)),
    "logical_or": (torch.logical_or, lambda x: (x > 0, x < 1)),
    "xor_": (torch.Tensor.__xor__, lambda x: (x > 0, x < 1)),
    "ior": (torch.Tensor.__ior__, lambda x: ((x > 0).clone(), x < 1)),
    "isub": (torch.Tensor.__isub__, lambda x: (x.clone(), 1.0)),
    "imul": (torch.Tensor.__imul__, lambda x: (x.clone(), 2.0)),
    "idiv": (torch.Tensor.__itruediv__, lambda x: (x.clone(), 2.0)),
    "sub_": (torch.Tensor.sub_, lambda x: (x.clone(), x)),
    "div_": (torch.Tensor.div_, lambda x: (x.clone(), 2.0)),
    "rmul": (torch.Tensor.__rmul__, lambda x: (x, 2.0)),
    "radd": (torch.Tensor.__radd__, lambda x: (x, 2.0)),
    "rsub_t": (torch.Tensor.__rsub__, lambda x: (x, _meta(x.shape[-1]))),
    "rpow_int": (torch.Tensor.__rpow__, lambda x: (x, 2)),
    "pow_half": (torch.pow, lambda x: (x, 0.5)),
    "pow_m": (torch.Tensor.pow, lambda x: (x, 3)),
    "int": (torch.Tensor.int, lambda x: (x,)),
    "bfloat16": (torch.Tensor.bfloat16, lambda x: (x,)),
    "to_dtype_copy": (torch.Tensor.to, lambda x: (x, torch.float64, False, True)),
    "new_empty": (torch.Tensor.new_empty, lambda x: (x, (2, 3))),
    "max_m": (torch.Tensor.max, lambda x: (x, -1)),
    "min_t": (torch.min, lambda x: (x, _meta(*x.shape))),
    "argmax_m": (torch.Tensor.argmax, lambda x: (x, 0, True)),
    "all_m": (torch.Tensor.all, lambda x: (x > 0, -1)),
    "any_dim": (torch.any, lambda x: (x > 0, 0, True)),
    "softplus_beta": (F.softplus, lambda x: (x, 2.0, 10.0)),
    "elu_alpha": (F.elu, lambda x: (x, 0.5)),
    "hardtanh_r": (F.hardtanh, lambda x: (x, -2.0, 2.0)),
    "relu6_": (F.relu6, lambda x: (x.clone(), True)),
    "leaky_relu_": (F.leaky_relu, lambda x: (x.clone(), 0.1, True)),
    "silu_": (F.silu, lambda x: (x.clone(), True)),
    "dropout_": (F.dropout, lambda x: (x.clone(), 0.5, True, True)),
    "adaptive_max_pool1d": (F.adaptive_max_pool1d, lambda x: (x, 1)),
    "adaptive_max_pool3d": (F.adaptive_max_pool3d, lambda x: (x, 1)),
    "lp_pool2d": (F.lp_pool2d, lambda x: (x, 2, 1)),
    "lp_pool1d": (F.lp_pool1d, lambda x: (x, 2, 1)),
    "interp_nearest_exact": (F.interpolate, lambda x: (x, None, 2.0, "nearest-exact")),
    "interp_area": (F.interpolate, lambda x: (x, 2, None, "area")),
    "pad_circular": (F.pad, lambda x: (x, (1, 1), "circular")),
    "pad_const_val": (F.pad, lambda x: (x, (0, 1, 1, 0), "constant", 2.0)),
    "conv2d_grouped": (
        F.conv2d, lambda x: (x, _meta(x.shape[1], 1, 1, 1), None, 1, 0, 1, x.shape[1])
    ),
    "conv2d_strided": (F.conv2d, lambda x: (x, _meta(2, x.shape[1], 1, 1), None, 2)),
    "linear_nobias": (F.linear, lambda x: (x, _meta(2, x.shape[-1]))),
    "sdpa_causal": (F.scaled_dot_product_attention, lambda x: (x, x, x, None, 0.0, True)),
    "bilinear_f": (F.bilinear, lambda x: (x, x, _meta(2, x.shape[-1], x.shape[-1]))),
    "layer_norm_nw": (F.layer_norm, lambda x: (x, x.shape[-2:])),
    "instance_norm_w": (
        F.instance_norm, lambda x: (x, None, None, _meta(x.shape[1]), _meta(x.shape[1]))
    ),
    "batch_norm_train": (F.batch_norm, lambda x: (x, None, None, None, None, True)),
    "normalize_dim0": (F.normalize, lambda x: (x, 2.0, 0)),
    "glu_0": (F.glu, lambda x: (x, 0)),
    "softmax_dtype": (torch.softmax, lambda x: (x, -1, torch.float64)),
    "log_softmax_m": (torch.Tensor.log_softmax, lambda x: (x, 0)),
    "tril_m": (torch.Tensor.tril, lambda x: (x, -1)),
    "masked_fill_b": (torch.Tensor.masked_fill, lambda x: (x, _meta(1, dtype=torch.bool), 0.0)),
    "where_scalar_x": (torch.where, lambda x: (x > 0, 1.0, x)),
    "clamp_tensor_x": (torch.clamp, lambda x: (x, -1, 1)),
    "pad_zero": (F.pad, lambda x: (x, (0, 0))),
    "pad_zero_value": (F.pad, lambda x: (x, (0, 0, 0, 0), "constant", 1.0)),
    # A fourth audit's (it found mse_loss with reduction="none" answering some wrong):
    # method and operator forms, factories, the *_with_indices poolings, recurrent layers
    # and cells, multi-head attention
    "relu_vf": (torch.relu, lambda x: (x,)),
    "relu_m": (torch.Tensor.relu, lambda x: (x,)),
    "tanh_m": (torch.Tensor.tanh, lambda x: (x,)),
    "sigmoid_m": (torch.Tensor.sigmoid, lambda x: (x,)),
    "add_m": (torch.Tensor.add, lambda x: (x, _meta(x.shape[-1]))),
    "add_dunder": (torch.Tensor.__add__, lambda x: (x, x)),
    "add_dunder_half": (torch.Tensor.__add__, lambda x: (x, _meta(*x.shape, dtype=torch.float16))),
    "sub_m": (torch.Tensor.sub, lambda x: (x, 1.0)),
    "sub_dunder": (torch.Tensor.__sub__, lambda x: (x, _meta(x.shape[-1]))),
    "mul_m": (torch.Tensor.mul, lambda x: (x, x)),
    "mul_dunder": (torch.Tensor.__mul__, lambda x: (_meta(*x.shape), x)),
    "div_m": (torch.Tensor.div, lambda x: (x, _meta(*x.shape))),
    "div_m_floor": (torch.Tensor.div, lambda x: (x, 2.0)),
    "rmatmul": (torch.Tensor.__rmatmul__, lambda x: (x, _meta(2, x.shape[-2]))),
    "view": (torch.Tensor.view, lambda x: (x, -1)),
    "view_same": (torch.Tensor.view, lambda x: (x, *x.shape)),
    "meshgrid": (torch.meshgrid, lambda x: (_vec(x), _meta(3, dtype=x.dtype))),
    "meshgrid_xy": (torch.meshgrid, lambda x: (_vec(x), _vec(x))),
    "tile_m": (torch.Tensor.tile, lambda x: (x, (2, 1))),
    "tile_ones": (torch.tile, lambda x: (x, (1,) * (x.dim() + 1))),
    "conv_transpose3d": (
        torch.conv_transpose3d, lambda x: (x, _meta(x.shape[1], 2, 1, 1, 1, dtype=x.dtype))
    ),
    "fractional_max_pool2d": (F.fractional_max_pool2d, lambda x: (x, 1)),
    "fractional_max_pool2d_wi": (F.fractional_max_pool2d_with_indices, lambda x: (x, 1)),
    "max_pool1d_wi": (F.max_pool1d_with_indices, lambda x: (x, 1)),
    "max_pool2d_wi": (F.max_pool2d_with_indices, lambda x: (x, 2, 1, 1)),
    "max_pool3d_wi": (F.max_pool3d_with_indices, lambda x: (x, 1)),
    "adaptive_max_pool1d_wi": (F.adaptive_max_pool1d_with_indices, lambda x: (x, 1)),
    "adaptive_max_pool2d_wi": (F.adaptive_max_pool2d_with_indices, lambda x: (x, 2)),
    "adaptive_max_pool3d_wi": (F.adaptive_max_pool3d_with_indices, lambda x: (x, 1)),
    "zeros": (torch.zeros, lambda x: (x.shape,)),
    "ones": (torch.ones, lambda x: tuple(x.shape)),
    "empty": (torch.empty, lambda x: (x.shape,)),
    "rand": (torch.rand, lambda x: (x.shape,)),
    "randn": (torch.randn, lambda x: tuple(x.shape)),
    "randint": (torch.randint, lambda x: (5, x.shape)),
    "full_int": (torch.full, lambda x: (x.shape, 1)),
    "full_bool": (torch.full, lambda x: (x.shape, True)),
    "full_float": (torch.full, lambda x: (x.shape, 1.5)),
    "arange": (torch.arange, lambda x: (x.shape[0],)),
    "arange_step": (torch.arange, lambda x: (0, x.shape[0], 0.5)),
    "linspace": (torch.linspace, lambda x: (0, 1, x.shape[0])),
    "logspace": (torch.logspace, lambda x: (0, 1, x.shape[-1])),
    "tensor": (torch.tensor, lambda x: ([[1.0] * x.shape[-1]] * x.shape[0],)),
    "as_tensor": (torch.as_tensor, lambda x: ([True, False][: x.shape[0]],)),
    "requires_grad_": (torch.Tensor.requires_grad_, lambda x: (x.clone(),)),
    "mse_loss": (F.mse_loss, lambda x: (x, _meta(*x.shape, dtype=x.dtype))),
    "mse_loss_none": (F.mse_loss, lambda x: (x, x)),
    "rand_": (torch.Tensor.__rand__, lambda x: (x > 0, x < 1)),
    "ror_": (torch.Tensor.__ror__, lambda x: (x > 0, _meta(*x.shape, dtype=torch.bool))),
    "rxor_": (torch.Tensor.__rxor__, lambda x: (x > 0, True)),
    "complex": (torch.complex, lambda x: (x.float(), _meta(*x.shape))),
    "polar": (torch.polar, lambda x: (x.float(), _meta(x.shape[-1]))),
    "lstm": (torch.lstm, lambda x: _layer(x, 4, 2)),
    "gru": (torch.gru, lambda x: _layer(x, 3, 1)),
    "rnn_tanh": (torch.rnn_tanh, lambda x: _layer(x, 1, 1, bias=False)),
    "rnn_relu": (torch.rnn_relu, lambda x: _layer(x, 1, 1)),
    "lstm_cell": (torch.lstm_cell, lambda x: _cell(x, 4, 2)),
    "gru_cell": (torch.gru_cell, lambda x: _cell(x, 3, 1, bias=False)),
    "rnn_tanh_cell": (torch.rnn_tanh_cell, lambda x: _cell(x, 1, 1)),
    "rnn_relu_cell": (torch.rnn_relu_cell, lambda x: _cell(x, 1, 1)),
    "multi_head_attention": (F.multi_head_attention_forward, lambda x: _attention(x, False)),
    "multi_head_attention_w": (F.multi_head_attention_forward, lambda x: _attention(x, True)),
}

# name → the keywords a rule's call takes besides its arguments, given the fuzzed tensor
_ON_META = {"device": "meta"}
KEYWORDS: dict[str, Callable[[torch.Tensor], dict[str, Any]]] = {
    "to_row_major": lambda x: {"memory_format": torch.contiguous_format},
    "div_m_floor": lambda x: {"rounding_mode": "floor"},
    "meshgrid": lambda x: {"indexing": "ij"},
    "meshgrid_xy": lambda x: {"indexing": "xy"},
    "fractional_max_pool2d": lambda x: {"output_size": 1},
    "fractional_max_pool2d_wi": lambda x: {"output_size": 1},
    "zeros": lambda x: {**_ON_META, "dtype": x.dtype},
    "ones": lambda x: _ON_META,
    "empty": lambda x: {**_ON_META, "dtype": x.dtype},
    "rand": lambda x: {**_ON_META, "dtype": x.dtype},
    "randn": lambda x: _ON_META,
    "randint": lambda x: _ON_META,
    "full_int": lambda x: _ON_META,
    "full_bool": lambda x: _ON_META,
    "full_float": lambda x: {**_ON_META, "dtype": x.dtype},
    "arange": lambda x: _ON_META,
    "arange_step": lambda x: {**_ON_META, "dtype": x.dtype},
    "linspace": lambda x: _ON_META,
    "logspace": lambda x: {**_ON_META, "dtype": x.dtype},
    "tensor": lambda x: {**_ON_META, "dtype": x.dtype},
    "as_tensor": lambda x: _ON_META,
    "mse_loss_none": lambda x: {"reduction": "none"},
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_lays_out_every_fuzzed_layout_it_answers_as_torch(name: str) -> None:
    func, arguments = RULES[name]
    rng = random.Random(20261130)
    answered = 0
    for _ in range(LAYOUTS):
        x = _layout(rng)
        if 0 in x.shape:
            continue
        try:
            args = arguments(x)
            kwargs = KEYWORDS[name](x) if name in KEYWORDS else {}
            with torch.no_grad():
                func(*args, **kwargs)
        except Exception:  # torch refuses these arguments: nothing to hold the rule to
            continue
        try:
            with torch.no_grad():
                expected = func(*args, **kwargs)
            got = HANDLERS[func](_sym(args), kwargs, [])
        except Unsupported:
            continue
        answered += 1
        found, wanted, given = _describe(got), _describe(expected), _describe(x)
        assert found == wanted, f"{name} of {given}: {found}, torch {wanted}"
    assert answered, f"{name} answered none of the fuzzed layouts"
