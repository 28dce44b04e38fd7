"""Standard torch.nn layers with random settings, each held to PyTorch by check_module.

Seeded draws (every run sees the same) over the settings the hand-written cases leave
sparse: per-axis kernels, strides and dilations, every padding mode and "same"/"valid",
grouped and transposed convolutions with output padding, every pooling kind (ceil mode,
count_include_pad, divisor_override, dilation, adaptive sizes with None, fractional),
recurrent layers and cells (layers, directions, batch_first, proj_size, unbatched
inputs), multi-head attention (kdim/vdim, bias_kv, zero_attn), transformer layers
(norm_first, no bias), resampling, folding, embedding bags and every norm. Each must
give PyTorch's shapes, parameters and MACs, with every rule agreeing with the pass.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import nn
from torch_checks import check_module

DRAWS = 25  # per family

Made = tuple[nn.Module, list[Any]]


def _conv(rng: random.Random) -> Made:
    rank, groups = rng.choice([1, 2, 3]), rng.choice([1, 2])
    cin, cout = groups * rng.choice([1, 2, 3]), groups * rng.choice([1, 2, 3])
    kernel = tuple(rng.randint(1, 4) for _ in range(rank))
    stride: Any = tuple(rng.randint(1, 3) for _ in range(rank))
    dilation = tuple(rng.randint(1, 2) for _ in range(rank))
    padding: Any = rng.choice(
        ["same", "valid", tuple(rng.randint(0, 2) for _ in range(rank)), rng.randint(0, 2)]
    )
    if padding == "same":
        stride = 1  # PyTorch's rule
    mode = rng.choice(["zeros", "zeros", "reflect", "replicate", "circular"])
    model = getattr(nn, f"Conv{rank}d")(
        cin, cout, kernel, stride, padding, dilation, groups=groups,
        bias=rng.random() < 0.7, padding_mode=mode,
    )  # fmt: skip
    size = [rng.randint(5, 12) for _ in range(rank)]
    return model, [torch.randn(rng.choice([1, 2]), cin, *size)]


def _conv_transpose(rng: random.Random) -> Made:
    rank, groups = rng.choice([1, 2, 3]), rng.choice([1, 2])
    kernel = tuple(rng.randint(1, 4) for _ in range(rank))
    stride = tuple(rng.randint(1, 3) for _ in range(rank))
    dilation = tuple(rng.randint(1, 2) for _ in range(rank))
    padding = tuple(rng.randint(0, 2) for _ in range(rank))
    # output padding must be smaller than the stride or the dilation, axis by axis
    extra = tuple(rng.randint(0, max(s, d) - 1) for s, d in zip(stride, dilation))
    model = getattr(nn, f"ConvTranspose{rank}d")(
        2 * groups, groups * rng.choice([1, 2]), kernel, stride, padding, extra,
        groups=groups, dilation=dilation, bias=rng.random() < 0.7,
    )  # fmt: skip
    return model, [torch.randn(1, 2 * groups, *[rng.randint(3, 8) for _ in range(rank)])]


def _pool(rng: random.Random) -> Made:
    rank = rng.choice([1, 2, 3])
    x = torch.randn(1, 3, *[rng.randint(4, 12) for _ in range(rank)])
    kernel = tuple(rng.randint(1, 4) for _ in range(rank))
    stride = tuple(rng.randint(1, 3) for _ in range(rank))
    padding = tuple(rng.randint(0, k // 2) for k in kernel)
    ceil = rng.random() < 0.5
    kind = rng.choice(["Max", "Avg", "LP", "AdaptiveMax", "AdaptiveAvg", "FractionalMax"])
    if kind == "Max":
        pool = getattr(nn, f"MaxPool{rank}d")
        return pool(kernel, stride, padding, rng.randint(1, 2), ceil_mode=ceil), [x]
    if kind == "Avg":
        options: dict[str, Any] = {"ceil_mode": ceil, "count_include_pad": rng.random() < 0.5}
        if rank > 1 and rng.random() < 0.3:
            options["divisor_override"] = rng.randint(1, 5)
        return getattr(nn, f"AvgPool{rank}d")(kernel, stride, padding, **options), [x]
    if kind == "LP":
        norm = rng.choice([1, 2, 3])
        if rank == 1:
            return nn.LPPool1d(norm, kernel[0], stride[0], ceil_mode=ceil), [x]
        return getattr(nn, f"LPPool{rank}d")(norm, kernel, stride, ceil_mode=ceil), [x]
    if kind.startswith("Adaptive"):
        size: Any = tuple(rng.choice([None, 1, 2, 3, 5]) for _ in range(rank))
        if rank == 1:
            size = size[0] or 2
        return getattr(nn, f"{kind}Pool{rank}d")(size), [x]
    if rank == 3:
        return nn.FractionalMaxPool3d(2, output_ratio=0.5), [torch.randn(1, 2, 6, 6, 6)]
    out = (rng.randint(2, 4), rng.randint(2, 4))
    return nn.FractionalMaxPool2d(2, output_size=out), [torch.randn(1, 3, 7, 7)]


def _recurrent(rng: random.Random) -> Made:
    kind, hidden = rng.choice(["RNN", "LSTM", "GRU"]), rng.randint(2, 6)
    batch_first = rng.random() < 0.5
    options: dict[str, Any] = {
        "num_layers": rng.randint(1, 3), "bidirectional": rng.random() < 0.5,
        "batch_first": batch_first, "bias": rng.random() < 0.7,
    }  # fmt: skip
    if kind == "LSTM" and rng.random() < 0.4:
        options["proj_size"] = rng.randint(1, hidden - 1)
    if kind == "RNN":
        options["nonlinearity"] = rng.choice(["tanh", "relu"])
    steps, batch = rng.randint(1, 6), rng.randint(1, 3)
    x = torch.randn(batch, steps, 5) if batch_first else torch.randn(steps, batch, 5)
    if rng.random() < 0.2:
        x = torch.randn(steps, 5)  # unbatched
    return getattr(nn, kind)(5, hidden, **options), [x]


def _cell(rng: random.Random) -> Made:
    kind = rng.choice(["RNNCell", "LSTMCell", "GRUCell"])
    model = getattr(nn, kind)(5, rng.randint(2, 6), bias=rng.random() < 0.7)
    return model, [torch.randn(rng.choice([1, 3]), 5) if rng.random() < 0.8 else torch.randn(5)]


def _attention(rng: random.Random) -> Made:
    dim, batch_first = rng.choice([4, 8]), rng.random() < 0.5
    options: dict[str, Any] = {
        "batch_first": batch_first, "bias": rng.random() < 0.7,
        "add_bias_kv": rng.random() < 0.3, "add_zero_attn": rng.random() < 0.3,
    }  # fmt: skip
    kdim = vdim = dim
    if rng.random() < 0.4:
        kdim, vdim = rng.choice([3, 5]), rng.choice([3, 6])
        options.update(kdim=kdim, vdim=vdim)
    model = nn.MultiheadAttention(dim, rng.choice([1, 2, 4]), **options)
    target, source, batch = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 2)

    def seq(n: int, d: int) -> torch.Tensor:
        return torch.randn(batch, n, d) if batch_first else torch.randn(n, batch, d)

    return model, [seq(target, dim), seq(source, kdim), seq(source, vdim)]


def _transformer(rng: random.Random) -> Made:
    dim, batch_first = rng.choice([4, 8]), rng.random() < 0.5
    kind = rng.choice(["TransformerEncoderLayer", "TransformerDecoderLayer"])
    model = getattr(nn, kind)(
        dim, rng.choice([1, 2]), dim_feedforward=rng.choice([6, 16]), dropout=0.0,
        batch_first=batch_first, norm_first=rng.random() < 0.5, bias=rng.random() < 0.8,
        activation=rng.choice(["relu", "gelu"]),
    )  # fmt: skip
    x = torch.randn(2, 3, dim)
    if "Encoder" in kind:
        return model, [x]
    return model, [x, torch.randn(2, 4, dim) if batch_first else torch.randn(4, 3, dim)]


def _other(rng: random.Random) -> Made:
    kind = rng.randrange(8)
    if kind == 0:
        mode = rng.choice(["nearest", "bilinear", "bicubic", "nearest-exact"])
        options: dict[str, Any] = (
            {"scale_factor": rng.choice([1.5, 2, 0.5, 2.3])}
            if rng.random() < 0.6
            else {"size": (rng.randint(3, 9), rng.randint(3, 9))}
        )
        if mode in ("bilinear", "bicubic"):
            options["align_corners"] = rng.random() < 0.5
        return nn.Upsample(mode=mode, **options), [torch.randn(1, 2, 5, 7)]
    if kind == 1:
        r = rng.choice([2, 3])
        return nn.PixelShuffle(r), [torch.randn(1, 2 * r * r, 3, 4)]
    if kind == 2:
        window = (rng.randint(1, 3), rng.randint(1, 3))
        stride = (rng.randint(1, 2), rng.randint(1, 2))
        dilation, padding = rng.randint(1, 2), rng.randint(0, 1)
        model = nn.Unfold(window, dilation=dilation, padding=padding, stride=stride)
        return model, [torch.randn(1, 3, 7, 8)]
    if kind == 3:
        bag = nn.EmbeddingBag(20, rng.choice([3, 5]), mode=rng.choice(["sum", "mean", "max"]))
        if rng.random() < 0.5:
            return bag, [torch.randint(0, 20, (rng.randint(1, 3), rng.randint(1, 5)))]
        return bag, [torch.randint(0, 20, (7,)), torch.tensor([0, 2, 5])]
    if kind == 4:
        left, out = rng.randint(2, 5), rng.randint(1, 4)
        model = nn.Bilinear(left, 3, out, bias=rng.random() < 0.7)
        return model, [torch.randn(2, left), torch.randn(2, 3)]
    if kind == 5:
        return _norm(rng)
    if kind == 6:
        return nn.Fold((5, 6), (2, 2), stride=(1, 2)), [torch.randn(1, 12, 8)]
    model = nn.Embedding(30, 4, padding_idx=rng.choice([None, 0]))
    return model, [torch.randint(0, 30, (2, rng.randint(1, 5)))]


def _norm(rng: random.Random) -> Made:
    channels, rank = rng.choice([2, 4, 6]), rng.choice([1, 2, 3])
    x = torch.randn(2, channels, *[rng.randint(2, 5) for _ in range(rank)])
    kind = rng.choice(["Batch", "Instance", "Group", "Layer", "LocalResponse"])
    if kind == "Batch":
        model: nn.Module = getattr(nn, f"BatchNorm{rank}d")(
            channels, affine=rng.random() < 0.7, track_running_stats=rng.random() < 0.7
        )
    elif kind == "Instance":
        model = getattr(nn, f"InstanceNorm{rank}d")(
            channels, affine=rng.random() < 0.5, track_running_stats=rng.random() < 0.3
        )
    elif kind == "Group":
        model = nn.GroupNorm(rng.choice([1, 2]), channels, affine=rng.random() < 0.7)
    elif kind == "Layer":
        axes = tuple(x.shape[-rng.randint(1, x.dim() - 1) :])
        model = nn.LayerNorm(axes, elementwise_affine=rng.random() < 0.7, bias=rng.random() < 0.7)
    else:
        model = nn.LocalResponseNorm(rng.randint(1, 4))
    return model, [x]


FAMILIES: dict[str, Callable[[random.Random], Made]] = {
    "convolution": _conv,
    "transposed_convolution": _conv_transpose,
    "pooling": _pool,
    "recurrent": _recurrent,
    "recurrent_cell": _cell,
    "multihead_attention": _attention,
    "transformer_layer": _transformer,
    "other": _other,
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_random_settings_give_pytorchs_numbers(family: str) -> None:
    rng = random.Random(f"20261130 {family}")
    checked = 0
    for _ in range(DRAWS):
        torch.manual_seed(rng.randrange(2**31))
        model, inputs = FAMILIES[family](rng)
        try:
            with torch.no_grad():
                model.eval()(*inputs)
        except (RuntimeError, ValueError):  # settings PyTorch refuses: nothing to compare
            continue
        check_module(model, inputs)
        checked += 1
    assert checked >= DRAWS // 2, f"only {checked} of {DRAWS} drawn settings ran in PyTorch"
