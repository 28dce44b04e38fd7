"""Rules for ``torch.nn`` layers whose math has no Keras twin, or whose Keras name means
something else (``torch.LSTM``: PyTorch's LSTM keeps two biases per gate and a projection).

PyTorch's Conv1d/2d/3d share Keras's conv rule (``rules/conv.py``); ReLU, Dropout, Softmax
and the other element-wise layers share Keras's; a name Keras already uses for different
math is registered here as ``torch.<Name>`` and the PyTorch frontend looks that up first.

Layouts are PyTorch's: channels first, weights by their torch names (``weight``,
``bias``, ``running_mean``, ``weight_ih_l0``…); buffers are returned as non-trainable
weights whose meaning starts with "buffer", and the frontend lists them apart.

>>> from modelmath.rules.base import LayerCall
>>> r = linear(LayerCall("fc", "Linear", {"in_features": 8, "out_features": 4, "bias": True},
...                      ((2, 5, 8),), framework="torch"))
>>> r.outputs[0].values, [w.count.value for w in r.weights]
((2, 5, 4), [32, 4])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from modelmath.expr import CeilDiv, Expr, FloorDiv, Num, Sym, product
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight, plural
from modelmath.rules.registry import rule
from modelmath.rules.spatial import Axis, spatial_axes, window_output

BUFFER = "buffer"  # meanings of weights that are torch buffers start with this word


def _rank(op: str) -> int:
    for ch in reversed(op):
        if ch.isdigit():
            return int(ch)
    raise ValueError(op)


def _ints(ctx: LayerCall, key: str, rank: int, default: Any = None) -> tuple[int, ...]:
    return ctx.int_tuple(key, rank, default)


def _keep(shape: Sequence[int | None]) -> list[Expr | None]:
    """Dimensions passed through: the first as the batch N when the input has one."""
    if not shape:
        return []
    first = shape[0]
    return [
        None if first is None else Sym("N", first, "batch size"),
        *[None if d is None else Num(d) for d in shape[1:]],
    ]


def _dim(ctx: LayerCall, value: int | None, name: str, meaning: str) -> Expr:
    return Sym(name, ctx.known(value, meaning), meaning)


def _buffer(name: str, shape: tuple[Expr, ...], meaning: str) -> Weight:
    return Weight(name, shape, trainable=False, meaning=f"{BUFFER}: {meaning}")


def _same(ctx: LayerCall, why: str = "element-wise: same shape as the input") -> OutputShape:
    return OutputShape(tuple(_keep(ctx.inputs[0])), why=why)


# -- dense ------------------------------------------------------------------------------
@rule("Linear", "LazyLinear", "NonDynamicallyQuantizableLinear")
def linear(ctx: LayerCall) -> RuleResult:
    """weight (out_features × in_features) plus out_features biases; acts on the last axis."""
    shape = ctx.inputs[0]
    C = _dim(ctx, shape[-1], "C_in", "input features (last axis)")
    U = Sym("U", int(ctx.get("out_features")), "out_features")
    weights = [Weight("weight", (U, C), meaning="one weight per output per input feature")]
    words = f"weight {plural(int(U.value), 'output')} × {plural(int(C.value), 'input')}"
    if ctx.get("bias", True):
        weights.append(Weight("bias", (U,), meaning="one bias per output"))
        words += f", + {plural(int(U.value), 'bias', 'biases')}"
    out = OutputShape((*_keep(shape[:-1]), U), why="the last axis becomes out_features")
    return RuleResult((out,), tuple(weights), words)


@rule("Bilinear")
def bilinear(ctx: LayerCall) -> RuleResult:
    """y = x₁ᵀ A x₂ + b: weight (out × in1 × in2) plus out biases."""
    if len(ctx.inputs) != 2:
        raise ctx.error("takes two inputs", received=f"{len(ctx.inputs)} inputs")
    x1, x2 = ctx.inputs
    I1 = _dim(ctx, x1[-1], "C_1", "features of the first input")
    I2 = _dim(ctx, x2[-1], "C_2", "features of the second input")
    U = Sym("U", int(ctx.get("out_features")), "out_features")
    weights = [Weight("weight", (U, I1, I2), meaning="one in1 × in2 matrix per output")]
    if ctx.get("bias", True):
        weights.append(Weight("bias", (U,), meaning="one bias per output"))
    out = OutputShape((*_keep(x1[:-1]), U), why="the last axis becomes out_features")
    return RuleResult((out,), tuple(weights), f"{U.value} matrices of {I1.value} × {I2.value}")


# -- convolution and pooling windows ----------------------------------------------------
def torch_window(
    size: int | None,
    axis: Axis,
    *,
    kernel: int,
    stride: int,
    pad: int,
    dilation: int = 1,
    ceil: bool = False,
    window: str = "kernel",
) -> tuple[Expr | None, str]:
    """One axis of a PyTorch window: ⌊(W + 2·P − d·(K − 1) − 1)/S⌋ + 1, or with ceil_mode
    ⌈…⌉ + 1 less the last window when it would start in the right padding."""
    floor = window_output(
        size,
        axis,
        kernel=kernel,
        stride=stride,
        dilation=dilation,
        padding="explicit",
        window=window,
        pad=pad,
    )
    if not ceil or floor is None or size is None:
        return floor, ""
    assert isinstance(floor.children[0], FloorDiv)
    inner = floor.children[0]
    ceiled = CeilDiv(inner.num, inner.den)
    if ceiled.value * stride >= size + pad:  # the last window would start past the input
        return ceiled, "ceil_mode=True (the last window starts in the padding: dropped)"
    return ceiled + 1, "ceil_mode=True"


def _split(ctx: LayerCall, rank: int) -> tuple[Shape, Shape]:
    """(leading axes, spatial axes) of a channels-first input, batched or not."""
    shape = ctx.inputs[0]
    if len(shape) not in (rank + 1, rank + 2):
        raise ctx.error(
            f"expects a {rank + 1}-D or {rank + 2}-D input (batch, channels, {rank} spatial axes)",
            received=f"input {shape}",
        )
    return shape[:-rank], shape[-rank:]


def _one(values: Sequence[Any]) -> str:
    return str(values[0]) if len(set(values)) == 1 else str(tuple(values))


@rule("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
def conv_transpose(ctx: LayerCall) -> RuleResult:
    """(W − 1)·S − 2·P + d·(K − 1) + output_padding + 1 per axis; weight (C_in, F/g, K…)."""
    rank = _rank(ctx.op)
    lead, spatial = _split(ctx, rank)
    kernel = _ints(ctx, "kernel_size", rank)
    stride = _ints(ctx, "stride", rank, 1)
    pad = _ints(ctx, "padding", rank, 0)
    dil = _ints(ctx, "dilation", rank, 1)
    out_pad = _ints(ctx, "output_padding", rank, 0)
    groups = int(ctx.get("groups", 1))
    dims: list[Expr | None] = []
    for size, axis, k, s, p, d, op_ in zip(
        spatial, spatial_axes(rank), kernel, stride, pad, dil, out_pad
    ):
        W = Sym(axis.symbol, ctx.known(size, f"input {axis.word}"), f"input {axis.word}")
        S = Sym(axis.name("S"), s, f"stride along the {axis.word}")
        P = Sym(axis.name("P"), p, f"padding on each side of the {axis.word}")
        K = Sym(axis.name("K"), k, f"kernel {axis.word}")
        span: Expr = K - 1 if d == 1 else Sym(axis.name("d"), d, "dilation") * (K - 1)
        p_out = Sym(axis.name("p"), op_, f"output_padding along the {axis.word}")
        dims.append((W - 1) * S - Num(2) * P + span + p_out + 1)
    C = _dim(ctx, lead[-1], "C_in", "input channels")
    F = Sym("F", int(ctx.get("out_channels")), "out_channels")
    per_group: Expr = F if groups == 1 else F // Sym("g", groups, "groups")
    ks = [Sym(a.name("K"), k, f"kernel {a.word}") for a, k in zip(spatial_axes(rank), kernel)]
    weights = [
        Weight(
            "weight",
            (C, per_group, *ks),
            meaning="a window per input channel and output channel of its group",
        )
    ]
    if ctx.get("bias", True):
        weights.append(Weight("bias", (F,), meaning="one bias per output channel"))
    why = f"stride={_one(stride)}, padding={_one(pad)}"
    why += f", output_padding={_one(out_pad)}" if any(out_pad) else ""
    why += f", dilation={_one(dil)}" if any(d != 1 for d in dil) else ""
    out = OutputShape((*_keep(lead[:-1]), F, *dims), why=why)
    words = f"kernel {'×'.join(map(str, kernel))} × {C.value} in-channels × {F.value}"
    words += f"/{groups} out-channels per group" if groups != 1 else " out-channels"
    return RuleResult((out,), tuple(weights), words + (" + biases" if len(weights) > 1 else ""))


def _window_words(
    kernel: Sequence[int], stride: Sequence[int], pad: Sequence[int], dil: Sequence[int]
) -> str:
    """``kernel_size=3, stride=2, padding=1`` (padding and dilation only when set)."""
    why = f"kernel_size={_one(kernel)}, stride={_one(stride)}"
    why += f", padding={_one(pad)}" if any(pad) else ""
    return why + (f", dilation={_one(dil)}" if any(d != 1 for d in dil) else "")


def _pool_dims(
    ctx: LayerCall, rank: int, *, dilation: bool, padding: bool
) -> tuple[list[Expr | None], str]:
    _, spatial = _split(ctx, rank)
    kernel = _ints(ctx, "kernel_size", rank)
    raw_stride = ctx.config.get("stride")
    stride = kernel if raw_stride in (None, ()) else _ints(ctx, "stride", rank)
    pad = _ints(ctx, "padding", rank, 0) if padding else (0,) * rank
    dil = _ints(ctx, "dilation", rank, 1) if dilation else (1,) * rank
    ceil = bool(ctx.get("ceil_mode", False))
    dims: list[Expr | None] = []
    notes: set[str] = set()
    for size, axis, k, s, p, d in zip(spatial, spatial_axes(rank), kernel, stride, pad, dil):
        dim, note = torch_window(
            size, axis, kernel=k, stride=s, pad=p, dilation=d, ceil=ceil, window="pool"
        )
        dims.append(dim)
        if note:
            notes.add(note)
    why = _window_words(kernel, stride, pad, dil)
    why += "".join(f", {n}" for n in sorted(notes))
    return dims, why


@rule("MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d")
@rule("LPPool1d", "LPPool2d", "LPPool3d")
def pool(ctx: LayerCall) -> RuleResult:
    """A window slides over each spatial axis; channels and batch are kept."""
    rank = _rank(ctx.op)
    lead, _ = _split(ctx, rank)
    is_max = ctx.op.startswith("Max")
    dims, why = _pool_dims(ctx, rank, dilation=is_max, padding=not ctx.op.startswith("LP"))
    out = OutputShape((*_keep(lead), *dims), why=why)
    outs = (
        (out, OutputShape(out.dims, why="indices of the maxima"))
        if (is_max and ctx.get("return_indices", False))
        else (out,)
    )
    return RuleResult(outs, (), "pooling has no weights")


@rule("MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d")
def max_unpool(ctx: LayerCall) -> RuleResult:
    """Inverse of max pooling: (W − 1)·S − 2·P + K per axis."""
    rank = _rank(ctx.op)
    lead, spatial = _split(ctx, rank)
    kernel = _ints(ctx, "kernel_size", rank)
    stride = _ints(ctx, "stride", rank, kernel)
    pad = _ints(ctx, "padding", rank, 0)
    dims: list[Expr | None] = []
    for size, axis, k, s, p in zip(spatial, spatial_axes(rank), kernel, stride, pad):
        W = _dim(ctx, size, axis.symbol, f"input {axis.word}")
        dims.append(
            (W - 1) * Sym(axis.name("S"), s, "stride")
            - Num(2) * Sym(axis.name("P"), p, "padding")
            + Sym(axis.name("K"), k, "kernel")
        )
    return RuleResult((OutputShape((*_keep(lead), *dims), why="undoes the pooling"),), ())


@rule(
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
)
def adaptive_pool(ctx: LayerCall) -> RuleResult:
    """Windows sized to give exactly output_size positions (None keeps the input's size)."""
    rank = _rank(ctx.op)
    lead, spatial = _split(ctx, rank)
    raw = ctx.config.get("output_size")
    sizes = [raw] * rank if not isinstance(raw, (tuple, list)) else list(raw)
    if len(sizes) == 1 and rank > 1:
        sizes *= rank
    dims: list[Expr | None] = []
    for size, axis, o in zip(spatial, spatial_axes(rank), sizes):
        if o is None:
            dims.append(None if size is None else Sym(axis.symbol, size, f"input {axis.word}"))
        else:
            dims.append(Sym(axis.name("O"), int(o), f"output_size along the {axis.word}"))
    out = OutputShape((*_keep(lead), *dims), why=f"output_size={raw}")
    outs = (
        (out, OutputShape(out.dims, why="indices of the maxima"))
        if (ctx.op.startswith("AdaptiveMax") and ctx.get("return_indices", False))
        else (out,)
    )
    return RuleResult(outs, (), "pooling has no weights")


@rule("FractionalMaxPool2d", "FractionalMaxPool3d")
def fractional_max_pool(ctx: LayerCall) -> RuleResult:
    """output_size, or ⌊W·output_ratio⌋ per axis."""
    rank = _rank(ctx.op)
    lead, spatial = _split(ctx, rank)
    raw = ctx.config.get("output_size")
    ratio = ctx.config.get("output_ratio")
    dims: list[Expr | None] = []
    for i, (size, axis) in enumerate(zip(spatial, spatial_axes(rank))):
        if raw is not None:
            o = raw[i] if isinstance(raw, (tuple, list)) else raw
            dims.append(Sym(axis.name("O"), int(o), "output_size"))
        else:
            r = ratio[i] if isinstance(ratio, (tuple, list)) else ratio
            W = _dim(ctx, size, axis.symbol, f"input {axis.word}")
            dims.append(FloorDiv(W * Num(float(r or 1)), Num(1)))
    outs = [OutputShape((*_keep(lead), *dims), why="fractional max pooling")]
    if ctx.get("return_indices", False):
        outs.append(OutputShape(outs[0].dims, why="indices of the maxima"))
    return RuleResult(tuple(outs), (), "pooling has no weights")


# -- normalization ----------------------------------------------------------------------
def _channels(ctx: LayerCall, min_rank: int) -> Expr:
    shape = ctx.inputs[0]
    if len(shape) < min_rank:
        raise ctx.error(f"expects at least a {min_rank}-D input", received=f"input {shape}")
    return _dim(ctx, shape[1] if len(shape) > 1 else shape[0], "C", "channels")


@rule("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "LazyBatchNorm1d")
@rule("LazyBatchNorm2d", "LazyBatchNorm3d")
@rule("InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d")
def batch_norm(ctx: LayerCall) -> RuleResult:
    """weight and bias per channel (affine); running_mean, running_var and
    num_batches_tracked as buffers (track_running_stats)."""
    shape = ctx.inputs[0]
    if ctx.op.startswith("Instance"):
        rank = _rank(ctx.op)
        C = _dim(ctx, shape[-rank - 1], "C", "channels")
    else:
        C = _channels(ctx, 2)
    affine, tracked = ctx.get("affine", True), ctx.get("track_running_stats", True)
    weights: list[Weight] = []
    if affine:
        weights += [
            Weight("weight", (C,), meaning="scale (γ) per channel"),
            Weight("bias", (C,), meaning="offset (β) per channel"),
        ]
    if tracked:
        weights += [
            _buffer("running_mean", (C,), "running mean per channel"),
            _buffer("running_var", (C,), "running variance per channel"),
            Weight("num_batches_tracked", (), False, f"{BUFFER}: batches seen", dtype="int64"),
        ]
    words = "γ and β per channel" if affine else "affine=False: no weights"
    if tracked:
        words += "; running statistics are buffers"
    return RuleResult((_same(ctx, "same shape; normalized per channel"),), tuple(weights), words)


def _normalized(ctx: LayerCall) -> tuple[Expr, ...]:
    raw = ctx.config.get("normalized_shape")
    dims = [raw] if isinstance(raw, int) else list(raw or ())
    shape = ctx.inputs[0]
    if tuple(shape[len(shape) - len(dims) :]) != tuple(dims):
        raise ctx.error(
            f"normalized_shape {tuple(dims)} must match the input's last axes",
            received=f"input {shape}",
        )
    names = ["D"] if len(dims) == 1 else [f"D_{i}" for i in range(len(dims))]
    return tuple(Sym(n, int(d), "normalized size") for n, d in zip(names, dims))


@rule("LayerNorm", "RMSNorm")
def layer_norm(ctx: LayerCall) -> RuleResult:
    """weight (and, for LayerNorm, bias) over normalized_shape when elementwise_affine."""
    dims = _normalized(ctx)
    weights: list[Weight] = []
    if ctx.get("elementwise_affine", True) and ctx.get("has_weight", True):
        weights.append(Weight("weight", dims, meaning="scale per normalized element"))
        if ctx.op == "LayerNorm" and ctx.get("bias", True):
            weights.append(Weight("bias", dims, meaning="offset per normalized element"))
    words = " + ".join(w.name for w in weights) or "elementwise_affine=False: no weights"
    return RuleResult(
        (_same(ctx, "same shape; normalized over the last axes"),), tuple(weights), words
    )


@rule("GroupNorm")
def group_norm(ctx: LayerCall) -> RuleResult:
    """Statistics over num_groups groups of channels; weight and bias per channel."""
    C = _channels(ctx, 2)
    g = int(ctx.get("num_groups"))
    if C.value % g:
        raise ctx.error(f"needs channels divisible by num_groups={g}", received=str(C.value))
    weights: list[Weight] = []
    if ctx.get("affine", True):
        weights = [
            Weight("weight", (C,), meaning="scale per channel"),
            Weight("bias", (C,), meaning="offset per channel"),
        ]
    why = f"same shape; statistics over {g} groups of {int(C.value) // g} channels"
    return RuleResult((_same(ctx, why),), tuple(weights), " + ".join(w.name for w in weights))


@rule("LocalResponseNorm", "CrossMapLRN2d")
def no_weight_norm(ctx: LayerCall) -> RuleResult:
    """Normalized by neighbouring channels: same shape, nothing learned."""
    return RuleResult((_same(ctx, "same shape"),), (), "no weights")


# -- embeddings -------------------------------------------------------------------------
@rule("torch.Embedding")
def embedding(ctx: LayerCall) -> RuleResult:
    """weight: num_embeddings rows of embedding_dim; each id becomes its row."""
    V = Sym("V", int(ctx.get("num_embeddings")), "num_embeddings: vocabulary size")
    D = Sym("D", int(ctx.get("embedding_dim")), "embedding_dim")
    out = OutputShape((*_keep(ctx.inputs[0]), D), why="each id becomes a vector of embedding_dim")
    weights = (Weight("weight", (V, D), meaning="one row per id"),)
    return RuleResult((out,), weights, f"{V.value} ids × {D.value} numbers each")


@rule("EmbeddingBag")
def embedding_bag(ctx: LayerCall) -> RuleResult:
    """Rows of a bag reduced (mode) to one vector: (bags, embedding_dim)."""
    V = Sym("V", int(ctx.get("num_embeddings")), "num_embeddings: vocabulary size")
    D = Sym("D", int(ctx.get("embedding_dim")), "embedding_dim")
    shape = ctx.inputs[0]
    if len(shape) == 2:
        bags: Expr = Sym("B", shape[0] or 0, "bags (rows of the input)")
    elif len(ctx.inputs) > 1:
        n = Sym("B", ctx.inputs[1][0] or 0, "offsets")
        bags = n - 1 if ctx.get("include_last_offset", False) else n
    else:
        raise ctx.error("with a 1-D input needs offsets", received=f"input {shape}")
    out = OutputShape((bags, D), why=f"one vector per bag (mode='{ctx.get('mode', 'mean')}')")
    return RuleResult(
        (out,),
        (Weight("weight", (V, D), meaning="one row per id"),),
        f"{V.value} ids × {D.value} numbers each",
    )


# -- recurrent --------------------------------------------------------------------------
_GATES = {"RNN": 1, "LSTM": 4, "GRU": 3, "RNNCell": 1, "LSTMCell": 4, "GRUCell": 3}
_GATE_WORDS = {
    1: "the hidden state",
    4: "the 4 gates (input, forget, cell, output)",
    3: "the 3 gates (reset, update, new)",
}


def _gate_width(n: int, H: Expr) -> Expr:
    return H if n == 1 else Num(n) * H


@rule("torch.RNN", "torch.LSTM", "torch.GRU")
def recurrent(ctx: LayerCall) -> RuleResult:
    """Per layer and direction: weight_ih (G·H × C), weight_hh (G·H × H_out), two biases
    of G·H, and with proj_size P a projection weight_hr (P × H)."""
    kind = ctx.op.removeprefix("torch.")
    n = _GATES[kind]
    shape = ctx.inputs[0]
    batched = len(shape) == 3
    if len(shape) not in (2, 3):
        raise ctx.error("expects a 2-D or 3-D input (steps, batch, features)", received=str(shape))
    H = Sym("H", int(ctx.get("hidden_size")), "hidden_size")
    proj = int(ctx.get("proj_size", 0) or 0)
    P = Sym("P", proj, "proj_size") if proj else None
    H_out: Expr = P if P is not None else H
    layers = int(ctx.get("num_layers", 1))
    D = 2 if ctx.get("bidirectional", False) else 1
    C = _dim(ctx, shape[-1], "C_in", "input features")
    width = _gate_width(n, H)
    weights: list[Weight] = []
    for layer in range(layers):
        c_in: Expr = C if layer == 0 else (H_out if D == 1 else Num(2) * H_out)
        for suffix in ("", "_reverse")[:D]:
            tag = f"l{layer}{suffix}"
            weights.append(
                Weight(f"weight_ih_{tag}", (width, c_in), meaning=f"input → {_GATE_WORDS[n]}")
            )
            weights.append(
                Weight(
                    f"weight_hh_{tag}",
                    (width, H_out),
                    meaning=f"previous hidden state → {_GATE_WORDS[n]}",
                )
            )
            if ctx.get("bias", True):
                weights.append(Weight(f"bias_ih_{tag}", (width,), meaning="input bias per gate"))
                weights.append(Weight(f"bias_hh_{tag}", (width,), meaning="hidden bias per gate"))
            if P is not None:
                weights.append(Weight(f"weight_hr_{tag}", (P, H), meaning="projection H → P"))
    words = f"{layers} layer(s) × {D} direction(s) × ({_GATE_WORDS[n]}: input and hidden "
    words += "weights" + (" and two biases" if ctx.get("bias", True) else "") + ")"
    words += f"; proj_size={proj} adds weight_hr" if proj else ""
    features: Expr = H_out if D == 1 else Num(2) * H_out
    if _packed(ctx.inputs):
        return RuleResult(_packed_outputs(ctx, kind, features, Num(D * layers), H_out, H),
                          tuple(weights), words)  # fmt: skip
    steps_axis = 1 if (batched and ctx.get("batch_first", False)) else 0
    kept = _keep(shape[:-1])
    if batched and steps_axis == 0:  # (T, N, C): the batch is axis 1
        kept = [Num(shape[0] or 0), Sym("N", shape[1] or 0, "batch size")]
    outs = [
        OutputShape(
            (*kept, features),
            why="one output per step, both directions side by side"
            if D == 2
            else "one output per step",
        )
    ]
    batch = [] if not batched else [Sym("N", shape[0 if steps_axis else 1] or 0, "batch size")]
    stack = Num(D * layers)
    outs.append(
        OutputShape((stack, *batch, H_out), why="h_n: final hidden state per layer and direction")
    )
    if kind == "LSTM":
        outs.append(OutputShape((stack, *batch, H), why="c_n: final cell state"))
    return RuleResult(tuple(outs), tuple(weights), words)


def _packed(inputs: Sequence[Shape]) -> bool:
    """A PackedSequence input: its data (steps of all sequences, C) then its 1-D
    batch_sizes (and, unless it was packed sorted, two 1-D index tensors). A hidden
    state given to an unpacked input is never 1-D."""
    return len(inputs) >= 2 and len(inputs[0]) == 2 and len(inputs[1]) == 1


def _packed_outputs(
    ctx: LayerCall, kind: str, features: Expr, stack: Expr, H_out: Expr, H: Expr
) -> tuple[OutputShape, ...]:
    """A PackedSequence out (its data: one row per step of every sequence; batch_sizes
    and the indices as they came in), then h_n (and c_n). Their batch size is the first
    of batch_sizes, a value, not a shape: known only from the sorting indices when the
    sequences were packed unsorted, else left to the traced pass."""
    data, *rest = ctx.inputs
    rows = _dim(ctx, data[0], "T_all", "steps of all the sequences")
    outs = [OutputShape((rows, features), why="packed: one output per step of every sequence")]
    outs += [OutputShape(tuple(_keep(s)), why="packed: as given") for s in rest[:3]]
    batch: Expr | None = None
    if len(rest) >= 2 and rest[1][0] is not None:
        batch = Sym("N", rest[1][0], "batch size (the sorting indices' length)")
    outs.append(OutputShape((stack, batch, H_out), why="h_n: final hidden state per layer"))
    if kind == "LSTM":
        outs.append(OutputShape((stack, batch, H), why="c_n: final cell state"))
    return tuple(outs)


@rule("torch.RNNCell", "torch.LSTMCell", "torch.GRUCell")
def recurrent_cell(ctx: LayerCall) -> RuleResult:
    """One step: weight_ih (G·H × C), weight_hh (G·H × H), two biases of G·H."""
    op = ctx.op.removeprefix("torch.")
    n = _GATES[op]
    shape = ctx.inputs[0]
    H = Sym("H", int(ctx.get("hidden_size")), "hidden_size")
    C = _dim(ctx, shape[-1], "C_in", "input features")
    width = _gate_width(n, H)
    weights = [
        Weight("weight_ih", (width, C), meaning=f"input → {_GATE_WORDS[n]}"),
        Weight("weight_hh", (width, H), meaning=f"hidden state → {_GATE_WORDS[n]}"),
    ]
    if ctx.get("bias", True):
        weights += [
            Weight("bias_ih", (width,), meaning="input bias per gate"),
            Weight("bias_hh", (width,), meaning="hidden bias per gate"),
        ]
    out = (*_keep(shape[:-1]), H)
    outs = [OutputShape(out, why="the next hidden state")]
    if op == "LSTMCell":
        outs.append(OutputShape(out, why="the next cell state"))
    return RuleResult(tuple(outs), tuple(weights), f"{_GATE_WORDS[n]}: input and hidden weights")


# -- attention and transformers ---------------------------------------------------------
@rule("MultiheadAttention")
def multihead_attention(ctx: LayerCall) -> RuleResult:
    """in_proj_weight (3E × E) or separate q/k/v weights, in_proj_bias (3E); the output
    projection is the child module out_proj."""
    if len(ctx.inputs) < 3:
        raise ctx.error("needs query, key and value", received=f"{len(ctx.inputs)} inputs")
    q, k, _ = ctx.inputs[:3]
    E = Sym("E", int(ctx.get("embed_dim")), "embed_dim")
    heads = int(ctx.get("num_heads"))
    weights: list[Weight] = []
    if ctx.get("_qkv_same_embed_dim", True):
        weights.append(
            Weight(
                "in_proj_weight",
                (Num(3) * E, E),
                meaning="query, key and value projections stacked",
            )
        )
    else:
        Ck = Sym("C_k", int(ctx.get("kdim")), "kdim")
        Cv = Sym("C_v", int(ctx.get("vdim")), "vdim")
        weights += [
            Weight("q_proj_weight", (E, E), meaning="query projection"),
            Weight("k_proj_weight", (E, Ck), meaning="key projection"),
            Weight("v_proj_weight", (E, Cv), meaning="value projection"),
        ]
    if ctx.get("bias", True):
        weights.append(Weight("in_proj_bias", (Num(3) * E,), meaning="q, k, v biases"))
    if ctx.get("add_bias_kv", False):
        weights += [
            Weight("bias_k", (Num(1), Num(1), E), meaning="a learned extra key"),
            Weight("bias_v", (Num(1), Num(1), E), meaning="a learned extra value"),
        ]
    batched = len(q) == 3
    batch_first = bool(ctx.get("batch_first", False))
    if batched:
        n_axis, l_axis = (0, 1) if batch_first else (1, 0)
        N = Sym("N", q[n_axis] or 0, "batch size")
        L = Sym("L", q[l_axis] or 0, "query length")
        s = k[l_axis] or 0
        dims: tuple[Expr | None, ...] = (N, L, E) if batch_first else (L, N, E)
    else:
        L = Sym("L", q[0] or 0, "query length")
        s = k[0] or 0
        dims = (L, E)
    s += int(bool(ctx.get("add_bias_kv", False))) + int(bool(ctx.get("add_zero_attn", False)))
    S = Sym("S", s, "key length")
    outs = [OutputShape(dims, why="one embed_dim vector per query position")]
    if ctx.extra.get("need_weights", True):
        H = Sym("H", heads, "heads")
        per_head = not ctx.extra.get("average_attn_weights", True)
        w_dims: tuple[Expr | None, ...] = ((H,) if per_head else ()) + (L, S)
        outs.append(
            OutputShape(
                ((N,) if batched else ()) + w_dims,
                why="attention weights" + (" per head" if per_head else ", averaged over heads"),
            )
        )
    words = f"q, k, v projections of {E.value} → {E.value} ({heads} heads of "
    words += f"{E.value // heads}); out_proj is its own row"
    return RuleResult(tuple(outs), tuple(weights), words)


@rule("TransformerEncoderLayer", "TransformerEncoder", "TransformerDecoderLayer")
@rule("TransformerDecoder", "Transformer")
def transformer(ctx: LayerCall) -> RuleResult:
    """The output keeps the shape of the sequence it transforms (tgt for a decoder);
    the weights belong to the child modules."""
    index = 1 if ctx.op == "Transformer" else 0
    out = OutputShape(tuple(_keep(ctx.inputs[index])), why="same shape as the input sequence")
    return RuleResult((out,), (), "weights are counted in the child modules")


# -- reshaping --------------------------------------------------------------------------
@rule("PixelShuffle", "PixelUnshuffle")
def pixel_shuffle(ctx: LayerCall) -> RuleResult:
    """(C, H, W) → (C/r², H·r, W·r); PixelUnshuffle the other way."""
    shape = ctx.inputs[0]
    if len(shape) < 3:
        raise ctx.error("expects at least a 3-D input", received=str(shape))
    r = Sym("r", int(ctx.get("upscale_factor", ctx.get("downscale_factor", 1))), "factor")
    C = _dim(ctx, shape[-3], "C", "channels")
    H = _dim(ctx, shape[-2], "H", "height")
    W = _dim(ctx, shape[-1], "W", "width")
    if ctx.op == "PixelShuffle":
        tail: tuple[Expr, ...] = (C // (r * r), H * r, W * r)
    else:
        tail = (C * r * r, H // r, W // r)
    return RuleResult((OutputShape((*_keep(shape[:-3]), *tail), why=f"factor r={r.value}"),), ())


def _blocks(ctx: LayerCall, spatial: Sequence[int | None]) -> tuple[Expr, Expr | None, str]:
    """What Unfold and Fold share: the kernel's size (a product of its sides), the count
    of sliding blocks over ``spatial`` (a product of one window formula per axis; None
    when an axis is unknown) and the settings in words."""
    kernel = _ints(ctx, "kernel_size", 2)
    stride = _ints(ctx, "stride", 2, 1)
    pad = _ints(ctx, "padding", 2, 0)
    dil = _ints(ctx, "dilation", 2, 1)
    axes = spatial_axes(2)
    K = product(Sym(a.name("K"), k, f"kernel {a.word}") for a, k in zip(axes, kernel))
    per_axis = [
        torch_window(size, a, kernel=k, stride=s, pad=p, dilation=d)[0]
        for size, a, k, s, p, d in zip(spatial, axes, kernel, stride, pad, dil)
    ]
    known = [b for b in per_axis if b is not None]
    blocks = product(known) if len(known) == len(per_axis) else None
    why = _window_words(kernel, stride, pad, dil)
    return K, blocks, why


@rule("Unfold")
def unfold(ctx: LayerCall) -> RuleResult:
    """(N, C, H, W) → (N, C·K_h·K_w, L): each sliding block flattened into a column, L the
    number of blocks (one window formula per spatial axis)."""
    lead, spatial = _split(ctx, 2)
    C = _dim(ctx, lead[-1], "C", "channels")
    K, L, why = _blocks(ctx, spatial)
    dims = (*_keep(lead[:-1]), C * K, L)
    return RuleResult((OutputShape(dims, why=why),), (), "unfolding has no weights")


@rule("Fold")
def fold(ctx: LayerCall) -> RuleResult:
    """(N, C·K_h·K_w, L) → (N, C, *output_size): the columns summed back into an image,
    the inverse layout of Unfold."""
    shape = ctx.inputs[0]
    if len(shape) not in (2, 3):
        raise ctx.error("expects a 2-D or 3-D input (batch, C·kernel size, blocks)",
                        received=f"input {shape}")  # fmt: skip
    size = _ints(ctx, "output_size", 2)
    K, _, why = _blocks(ctx, size)
    columns = _dim(ctx, shape[-2], "C_K", "channels × kernel size")
    out_axes = [Sym(a.name("O"), n, f"output_size {a.word}") for a, n in zip(spatial_axes(2), size)]
    dims = (*_keep(shape[:-2]), columns // K, *out_axes)
    return RuleResult((OutputShape(dims, why=f"output_size={_one(size)}, {why}"),), (),
                      "folding has no weights")  # fmt: skip


@rule("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")
def upsample(ctx: LayerCall) -> RuleResult:
    """Each spatial axis becomes `size`, or ⌊W·scale_factor⌋."""
    shape = ctx.inputs[0]
    rank = len(shape) - 2
    if rank < 1:
        raise ctx.error("expects a batch, channels and spatial axes", received=str(shape))
    size, scale = ctx.config.get("size"), ctx.config.get("scale_factor")
    dims: list[Expr | None] = []
    for i, (d, axis) in enumerate(zip(shape[2:], spatial_axes(rank))):
        if size is not None:
            o = size[i] if isinstance(size, (tuple, list)) else size
            dims.append(Sym(axis.name("O"), int(o or 0), f"size along the {axis.word}"))
            continue
        s = float((scale[i] if isinstance(scale, (tuple, list)) else scale) or 1)
        W = _dim(ctx, d, axis.symbol, f"input {axis.word}")
        if float(s).is_integer():
            dims.append(W * Sym(axis.name("s"), int(s), "scale_factor"))
        else:
            dims.append(FloorDiv(W * Num(float(s)), Num(1)))
    why = f"size={size}" if size is not None else f"scale_factor={scale}"
    return RuleResult((OutputShape((*_keep(shape[:2]), *dims), why=why),), ())


_CHANNELS_FIRST_AXES = {
    3: (("C", "channels"), ("L", "length")),
    4: (("C", "channels"), ("H", "height"), ("W", "width")),
    5: (("C", "channels"), ("D", "depth"), ("H", "height"), ("W", "width")),
}


@rule("torch.Flatten")
def flatten(ctx: LayerCall) -> RuleResult:
    """Axes start_dim … end_dim multiplied into one."""
    shape = ctx.inputs[0]
    rank = len(shape)
    start = int(ctx.get("start_dim", 1)) % max(rank, 1)
    end = int(ctx.get("end_dim", -1)) % max(rank, 1)
    kept = _keep(shape)
    # Name the axes as Keras's Flatten does (channels, height, width), channels first.
    words = _CHANNELS_FIRST_AXES.get(rank, ())
    names = {i: w for i, w in enumerate(words, start=1)}
    merged = product(
        Sym(
            names.get(i, (f"d_{i}", ""))[0],
            ctx.known(shape[i], f"size of axis {i}"),
            names.get(i, ("", f"size of axis {i}"))[1],
        )
        for i in range(start, end + 1)
    )
    out = (*kept[:start], merged, *kept[end + 1 :])
    return RuleResult((OutputShape(out, why=f"axes {start}…{end} multiplied"),), ())


@rule("Unflatten")
def unflatten(ctx: LayerCall) -> RuleResult:
    """Axis `dim` split into unflattened_size (one -1 is solved for)."""
    shape = ctx.inputs[0]
    dim = int(ctx.get("dim")) % len(shape)
    sizes = [int(s) for s in ctx.get("unflattened_size")]
    total = ctx.known(shape[dim], f"size of axis {dim}")
    fixed = 1
    for s in sizes:
        fixed *= s if s != -1 else 1
    new: list[Expr | None] = [
        FloorDiv(Sym(f"d_{dim}", total, "size of the split axis"), Num(fixed))
        if s == -1
        else Num(s)
        for s in sizes
    ]
    kept = _keep(shape)
    out = (*kept[:dim], *new, *kept[dim + 1 :])
    return RuleResult((OutputShape(out, why=f"axis {dim} split into {tuple(sizes)}"),), ())


_PADS = ("ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad")


@rule(*(f"{p}{r}d" for p in _PADS for r in (1, 2, 3)))
def pad(ctx: LayerCall) -> RuleResult:
    """Each padded axis grows by its two paddings (given last axis first, as in F.pad)."""
    rank = _rank(ctx.op)
    shape = ctx.inputs[0]
    raw = ctx.config.get("padding")
    pads = [int(raw)] * (2 * rank) if isinstance(raw, int) else [int(p) for p in raw or ()]
    dims = list(_keep(shape))
    for i, axis in enumerate(reversed(spatial_axes(rank))):
        index = len(shape) - 1 - i
        W = _dim(ctx, shape[index], axis.symbol, f"input {axis.word}")
        a = Sym(axis.name("a"), pads[2 * i], f"padding before, along the {axis.word}")
        b = Sym(axis.name("b"), pads[2 * i + 1], f"padding after, along the {axis.word}")
        dims[index] = W + a + b
    return RuleResult((OutputShape(tuple(dims), why=f"padding={tuple(pads)}"),), ())


# -- element-wise -----------------------------------------------------------------------
@rule(
    "ReLU6",
    "GELU",
    "SiLU",
    "Mish",
    "Sigmoid",
    "Tanh",
    "Hardtanh",
    "Hardswish",
    "Hardsigmoid",
    "Softplus",
    "Softsign",
    "Softshrink",
    "Hardshrink",
    "Tanhshrink",
    "Threshold",
    "LogSigmoid",
    "Softmin",
    "LogSoftmax",
    "Softmax2d",
    "CELU",
    "SELU",
    "RReLU",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "FeatureAlphaDropout",
    "ChannelShuffle",
)
def elementwise(ctx: LayerCall) -> RuleResult:
    """Applied element by element (or channel by channel): same shape, nothing learned."""
    return RuleResult((_same(ctx),), (), "no weights")


@rule("torch.PReLU")
def prelu(ctx: LayerCall) -> RuleResult:
    """One learned slope, or one per channel (num_parameters)."""
    n = Sym("n", int(ctx.get("num_parameters", 1)), "num_parameters")
    return RuleResult(
        (_same(ctx),),
        (Weight("weight", (n,), meaning="negative slopes"),),
        f"{plural(int(n.value), 'slope')}",
    )


@rule("GLU")
def glu(ctx: LayerCall) -> RuleResult:
    """Halves axis `dim`: one half gates the other."""
    shape = ctx.inputs[0]
    dim = int(ctx.get("dim", -1)) % len(shape)
    dims = list(_keep(shape))
    dims[dim] = _dim(ctx, shape[dim], "C", "size of the split axis") // Num(2)
    return RuleResult((OutputShape(tuple(dims), why=f"axis {dim} halved"),), ())


@rule("CosineSimilarity", "PairwiseDistance")
def similarity(ctx: LayerCall) -> RuleResult:
    """One number per pair of vectors: axis `dim` (the last for PairwiseDistance) is reduced."""
    shape = ctx.inputs[0]
    dim = int(ctx.get("dim", -1)) % len(shape)
    dims = list(_keep(shape))
    if ctx.get("keepdim", False):
        dims[dim] = Num(1)
    else:
        del dims[dim]
    return RuleResult((OutputShape(tuple(dims), why=f"axis {dim} reduced"),), ())
