"""Convolutions: Conv1D/2D/3D, their Transpose forms, DepthwiseConv1D/2D, SeparableConv1D/2D.

PyTorch's Conv1d/2d/3d share the Conv rule: :func:`_from_torch` renames their settings to
Keras's (out_channels → filters, an int padding P → 'explicit' with P on each side) and
the weights come out in PyTorch's layout, ``weight`` (F, C_in/g, K_h, K_w) and ``bias``.
"""

from __future__ import annotations

from functools import lru_cache

from modelmath.expr import Div, Expr, Num, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight, plural
from modelmath.rules.registry import rule
from modelmath.rules.spatial import (
    Axis,
    assemble,
    axis_words,
    batch_dim,
    check_positive,
    padding_words,
    plain_ints,
    spatial_axes,
    split_channels,
    window_output,
)


def _rank(op: str) -> int:
    rank = _RANKS.get(op)
    if rank is None:
        rank = int(op.rstrip("Dd")[-1])
        if len(_RANKS) < 64:
            _RANKS[op] = rank
    return rank


_RANKS: dict[str, int] = {}


def _from_torch(ctx: LayerCall) -> LayerCall:
    """A PyTorch Conv*d call with its settings under Keras's names (channels first)."""
    raw = ctx.config.get("padding", 0)
    explicit = not isinstance(raw, str)
    config = {
        "filters": ctx.config.get("out_channels"),
        "kernel_size": ctx.config.get("kernel_size"),
        "strides": ctx.config.get("stride", 1),
        "dilation_rate": ctx.config.get("dilation", 1),
        "groups": ctx.config.get("groups", 1),
        "use_bias": ctx.config.get("bias", True),
        "data_format": "channels_first",
        "padding": "explicit" if explicit else raw,
        "explicit_padding": raw if explicit else 0,
        "padding_mode": ctx.config.get("padding_mode", "zeros"),
    }
    # Built field by field: dataclasses.replace walks the fields and costs several times
    # as much, on every Conv*d call.
    return LayerCall(ctx.name, ctx.op, config, ctx.inputs, ctx.framework, ctx.call_index, ctx.extra)


def _kernel_words(kernel: tuple[int, ...]) -> str:
    """``3×3``: a pure function of a few small ints, shared by a model's layers."""
    if plain_ints(kernel):
        return _shared_kernel_words(kernel)
    return "×".join([str(k) for k in kernel])


@lru_cache(maxsize=256)
def _shared_kernel_words(kernel: tuple[int, ...]) -> str:
    return "×".join([str(k) for k in kernel])


def window_settings(
    ctx: LayerCall, rank: int, causal: bool = False
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    """Kernel, strides, dilation and padding; ``causal``: the layer takes padding='causal'
    (Keras allows it for Conv1D only, and refuses it elsewhere as it builds the layer)."""
    kernel = ctx.int_tuple("kernel_size", rank, positive=True)
    strides = ctx.int_tuple("strides", rank, 1, positive=True)
    dilation = ctx.int_tuple("dilation_rate", rank, 1, positive=True)
    padding = str(ctx.get("padding", "valid")).lower()
    if padding not in ("valid", "same", "explicit") and not (causal and padding == "causal"):
        allowed = "'valid', 'same' or 'causal'" if causal else "'valid' or 'same'"
        fix = None
        if padding == "causal":
            fix = "Use padding='causal' with Conv1D only (causal: over a sequence's time axis)"
        raise ctx.error(f"`padding` must be {allowed}", received=f"padding={padding!r}", fix=fix)
    return kernel, strides, dilation, padding


def _spatial_out(
    ctx: LayerCall, rank: int, causal: bool = False
) -> tuple[list[Expr | None], tuple[int, ...], str, bool, int | None]:
    kernel, strides, dilation, padding = window_settings(ctx, rank, causal)
    spatial, channels, channels_last = split_channels(ctx, rank)
    pads = ctx.int_tuple("explicit_padding", rank, 0)
    dims = [
        window_output(size, axis, kernel=k, stride=s, dilation=d, padding=padding, pad=p)
        for size, axis, k, s, d, p in zip(
            spatial, spatial_axes(rank), kernel, strides, dilation, pads
        )
    ]
    if padding not in ("same", "causal") and any(d is not None and d.value <= 0 for d in dims):
        # as Keras: 'same' and 'causal' keep a size of 0 as 0
        check_positive(ctx, dims, f"kernel {_kernel_words(kernel)} and padding='{padding}'")
    if padding == "explicit":  # PyTorch's words: padding=1, stride=2, dilation=2
        why = _torch_words(pads, strides, dilation, ctx.get("padding_mode", "zeros"))
    else:
        why = padding_words(padding, strides, dilation)
    return dims, kernel, why, channels_last, channels


def _torch_words(
    pads: tuple[int, ...], strides: tuple[int, ...], dilation: tuple[int, ...], mode: object
) -> str:
    """``padding=1, stride=2`` (then dilation and padding_mode when not the default)."""
    if type(mode) is str and plain_ints(pads) and plain_ints(strides) and plain_ints(dilation):
        return _shared_torch_words(pads, strides, dilation, mode)
    return _explicit_words(pads, strides, dilation, mode)


def _explicit_words(
    pads: tuple[int, ...], strides: tuple[int, ...], dilation: tuple[int, ...], mode: object
) -> str:
    why = f"padding={_one(pads)}, stride={_one(strides)}"
    why += f", dilation={_one(dilation)}" if any(d != 1 for d in dilation) else ""
    return why + (f", padding_mode='{mode}'" if mode != "zeros" else "")


# A pure function of a few small ints and a word: the same string for every layer of a
# model with these settings (only plain ints and str: as keys, 1 == True == 1.0).
_shared_torch_words = lru_cache(maxsize=1024, typed=True)(_explicit_words)


def _one(values: tuple[int, ...]) -> str:
    """``1`` when every axis has the same value, else the tuple ``(1, 2)``."""
    return str(values[0]) if len(set(values)) == 1 else str(values)


def _kernel_syms(kernel: tuple[int, ...], rank: int) -> tuple[Expr, ...]:
    """K_h, K_w, … of a kernel: a pure function of small values, its symbols immutable, so
    the layers of a model with the same kernel share them."""
    key = (kernel, rank)
    syms = _KERNEL_SYMS.get(key)
    if syms is None:
        syms = tuple(
            [Sym(a.name("K"), k, f"kernel {a.word}") for a, k in zip(spatial_axes(rank), kernel)]
        )
        if all(type(k) is int for k in kernel):  # 3 == 3.0 == True as keys: only plain ints
            if len(_KERNEL_SYMS) >= 1024:
                _KERNEL_SYMS.clear()
            _KERNEL_SYMS[key] = syms
    return syms


_KERNEL_SYMS: dict[tuple[tuple[int, ...], int], tuple[Expr, ...]] = {}


@rule(
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Convolution1D",
    "Convolution2D",
    "Convolution3D",
    "Conv1d",
    "Conv2d",
    "Conv3d",
)
def conv(ctx: LayerCall) -> RuleResult:
    """Kernel K_h×K_w over C_in/groups input channels for each of F filters, plus F biases."""
    rank = _rank(ctx.op)
    torch = ctx.framework == "torch"
    if torch:
        ctx = _from_torch(ctx)
    dims, kernel, why, channels_last, c_in = _spatial_out(ctx, rank, causal=rank == 1)
    filters = ctx.positive_int("filters")
    groups = ctx.positive_int("groups", 1)
    c_in = ctx.known(c_in, "number of input channels")
    if c_in % groups or filters % groups:
        raise ctx.error(
            f"needs input channels and filters divisible by groups={groups}",
            received=f"{c_in} input channels, {filters} filters",
        )
    F = Sym("F", filters, "filters")
    C = Sym("C_in", c_in, "input channels")
    per_group: Expr = C if groups == 1 else Div(C, Sym("g", groups, "groups"))
    window = _kernel_syms(kernel, rank)
    meaning = "a window of weights per input channel, for each filter"
    weights = [
        # PyTorch stores weight (F, C_in/g, K_h, K_w): the same factors, its order
        Weight("weight", (F, per_group, *window), meaning=meaning)
        if torch
        else Weight("kernel", (*window, per_group, F), meaning=meaning)
    ]
    words = f"kernel {_kernel_words(kernel)} × {c_in} in-channels"
    if groups != 1:
        words = f"kernel {_kernel_words(kernel)} × {c_in}/{groups} in-channels per group"
    words += f" × {plural(filters, 'filter')}"
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (F,), meaning="one bias per filter"))
        words += f", + {plural(filters, 'bias', 'biases')}"
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, F, channels_last), axis_words(rank, channels_last), why
    )
    return RuleResult((out,), tuple(weights), words)


@rule("DepthwiseConv1D", "DepthwiseConv2D")
def depthwise_conv(ctx: LayerCall) -> RuleResult:
    """One K_h×K_w kernel per input channel (times depth_multiplier), plus a bias per output."""
    rank = _rank(ctx.op)
    dims, kernel, why, channels_last, c_in = _spatial_out(ctx, rank)
    c_in = ctx.known(c_in, "number of input channels")
    C = Sym("C_in", c_in, "input channels")
    M = Sym("M", ctx.positive_int("depth_multiplier", 1), "depth multiplier")
    weights = [
        Weight("kernel", (*_kernel_syms(kernel, rank), C, M), meaning="one kernel per channel")
    ]
    words = f"kernel {_kernel_words(kernel)} × {c_in} channels × multiplier {M.value}"
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (C, M), meaning="one bias per output channel"))
        words += f", + {plural(c_in * int(M.value), 'bias', 'biases')}"
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, C * M, channels_last),
        axis_words(rank, channels_last),
        why,
    )
    return RuleResult((out,), tuple(weights), words)


@rule("SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D")
def separable_conv(ctx: LayerCall) -> RuleResult:
    """A depthwise kernel per channel, then a 1×1 pointwise kernel to F filters, plus F biases."""
    rank = _rank(ctx.op)
    dims, kernel, why, channels_last, c_in = _spatial_out(ctx, rank)
    c_in = ctx.known(c_in, "number of input channels")
    C = Sym("C_in", c_in, "input channels")
    M = Sym("M", ctx.positive_int("depth_multiplier", 1), "depth multiplier")
    F = Sym("F", ctx.positive_int("filters"), "filters")
    ones = [Num(1) for _ in range(rank)]  # the pointwise kernel is 1×1
    weights = [
        Weight("depthwise_kernel", (*_kernel_syms(kernel, rank), C, M), meaning="depthwise kernel"),
        Weight("pointwise_kernel", (*ones, C * M, F), meaning="1×1 pointwise kernel"),
    ]
    words = (
        f"depthwise {_kernel_words(kernel)} × {c_in} channels × multiplier {M.value}"
        f", + pointwise {c_in * int(M.value)} × {F.value} filters"
    )
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (F,), meaning="one bias per filter"))
        words += f", + {plural(int(F.value), 'bias', 'biases')}"
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, F, channels_last), axis_words(rank, channels_last), why
    )
    return RuleResult((out,), tuple(weights), words)


def transpose_output(
    size: int | None,
    axis: Axis,
    *,
    kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    output_padding: int | None,
) -> Expr | None:
    """Output size of a transposed convolution along one axis, as Keras computes it.

    'valid': (W − 1)·S + K_eff + max(K_eff, S) − K_eff, where K_eff = d·(K − 1) + 1;
    'same': W·S. A given output_padding p replaces the last term ('valid') or gives
    (W − 1)·S + K_eff mod 2 + p ('same').
    """
    if size is None:
        return None
    W = Sym(axis.symbol, size, f"input {axis.word}")
    S = Sym(axis.name("S"), stride, f"stride along the {axis.word}")
    K = Sym(axis.name("K"), kernel, f"kernel {axis.word}")
    k_eff: Expr = K if dilation == 1 else Sym(axis.name("d"), dilation, "dilation") * (K - 1) + 1
    if padding == "same" and output_padding is None:
        return W * S
    if output_padding is None:
        extra = max(k_eff.value, stride) - k_eff.value
        p: Expr = Sym(axis.name("p"), extra, "extra size so strides larger than the kernel fit")
        return (W - 1) * S + k_eff + p
    p = Sym(axis.name("p"), output_padding, f"output_padding along the {axis.word}")
    if padding == "same":
        return (W - 1) * S + Num(k_eff.value % 2) + p
    return (W - 1) * S + k_eff + p


@rule(
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "Convolution1DTranspose",
    "Convolution2DTranspose",
    "Convolution3DTranspose",
)
def conv_transpose(ctx: LayerCall) -> RuleResult:
    """Kernel K_h×K_w × F filters × C_in input channels, plus F biases; sizes grow by S."""
    rank = int(ctx.op.removesuffix("Transpose")[-2])
    kernel, strides, dilation, padding = window_settings(ctx, rank)
    spatial, c_in, channels_last = split_channels(ctx, rank)
    raw_op = ctx.config.get("output_padding")
    out_pad: tuple[int | None, ...] = (
        (None,) * rank if raw_op is None else ctx.int_tuple("output_padding", rank)
    )
    dims = [
        transpose_output(
            size, axis, kernel=k, stride=s, dilation=d, padding=padding, output_padding=p
        )
        for size, axis, k, s, d, p in zip(
            spatial, spatial_axes(rank), kernel, strides, dilation, out_pad
        )
    ]
    # No positivity check: Keras itself builds a transposed convolution whose 'same'
    # output_padding formula gives a size of 0, and reports that shape.
    c_in = ctx.known(c_in, "number of input channels")
    F = Sym("F", ctx.positive_int("filters"), "filters")
    C = Sym("C_in", c_in, "input channels")
    weights = [
        Weight(
            "kernel",
            (*_kernel_syms(kernel, rank), F, C),
            meaning="a window per filter and input channel",
        )
    ]
    words = (
        f"kernel {_kernel_words(kernel)} × {plural(int(F.value), 'filter')} × {c_in} in-channels"
    )
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (F,), meaning="one bias per filter"))
        words += f", + {plural(int(F.value), 'bias', 'biases')}"
    why = padding_words(padding, strides, dilation)
    if raw_op is not None:
        why += f", output_padding={raw_op}"
    out = OutputShape(
        assemble(batch_dim(ctx.shape), dims, F, channels_last), axis_words(rank, channels_last), why
    )
    return RuleResult((out,), tuple(weights), words)
