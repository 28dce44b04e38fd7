"""Receptive field, jump (effective stride) and start offset, propagated over the graph.

Per spatial axis, a window of kernel k, dilation d, stride s and left padding p maps
the input's (r, j, start) to the output's:

    r_out = r_in + (k − 1)·d·j_in
    j_out = j_in·s
    start_out = start_in + ((k − 1)·d/2 − p)·j_in

A model input has r = 1, j = 1, start = 0 (pixel i is centred at i). Layers that act
element by element keep the field; where branches merge, the largest field is kept and
marked as such. Layers that mix positions in other ways (Flatten, Dense on a flattened
input, transposed convolutions, upsampling, recurrent layers) end the tracking.

>>> f = {}
>>> conv = {"kernel_size": 3, "strides": 2}
>>> out, row = propagate("Conv2D", conv, [f], [(None, 9, 9, 1)])
>>> [(a.axis, a.size.value, a.jump.value, a.start.value) for a in row]
[('height', 3, 2, 1), ('width', 3, 2, 1)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modelmath.costs.data import AxisField
from modelmath.costs.elementwise import AUGMENTATIONS
from modelmath.expr import Div, Num, Sym
from modelmath.graph import Shape
from modelmath.rules.spatial import spatial_axes

# A tensor's field: spatial axis index → AxisField; a missing axis is still the raw input
# (r = 1, j = 1, start = 0). None: no longer tracked.
Field = dict[int, AxisField]

PASS_THROUGH = frozenset(
    {
        "Activation", "ReLU", "LeakyReLU", "ELU", "ThresholdedReLU", "Softmax", "PReLU",
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
        "GaussianNoise", "GaussianDropout", "AlphaDropout", "Identity",
        "ActivityRegularization", "Rescaling", "LayerScale", "BatchNormalization",
        "LayerNormalization", "GroupNormalization", "RMSNormalization", "UnitNormalization",
        "Normalization", "Masking",
    }
    | set(AUGMENTATIONS)  # the identity at inference
)  # fmt: skip
MERGES = frozenset({"Add", "Subtract", "Multiply", "Maximum", "Minimum", "Average"})
CONVS = frozenset(
    {
        "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D",
        "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
        "SeparableConvolution1D", "SeparableConvolution2D",
    }
)  # fmt: skip


def _identity(axis: str) -> AxisField:
    return AxisField(axis, Num(1), Num(1), Num(0))


def input_field(shape: Shape) -> Field:
    """A model input: every axis between the batch and the last (channels_last, Keras's
    default) starts with r = 1, j = 1, start = 0. A channels_first convolution later picks
    its own spatial axes."""
    rank = len(shape) - 2
    if not 1 <= rank <= 3:
        return {}
    return {i: _identity(a.word) for i, a in enumerate(spatial_axes(rank), start=1)}


def _rank(op: str) -> int:
    return int(op.rstrip("D")[-1])


def _spatial_indices(config: Mapping[str, Any], shape: Shape, rank: int) -> list[int]:
    if config.get("data_format") == "channels_first":
        return list(range(2, 2 + rank))
    return list(range(1, 1 + rank))


def _ints(raw: Any, rank: int, default: int) -> tuple[int, ...]:
    if raw is None:
        return (default,) * rank
    if isinstance(raw, int):
        return (raw,) * rank
    values = tuple(int(v) for v in raw)
    return values * rank if len(values) == 1 else values


def window(
    before: AxisField, size: int | None, *, k: int, s: int, d: int, padding: str
) -> AxisField:
    """One axis through a window of kernel k, stride s, dilation d and Keras's padding."""
    word = before.axis
    K = Sym("k", k, f"kernel {word}")
    D = Sym("d", d, f"dilation along the {word}")
    S = Sym("s", s, f"stride along the {word}")
    r_in = Sym("r_in", before.size.value, f"receptive field of the input along the {word}")
    j_in = Sym("j_in", before.jump.value, f"jump (effective stride) of the input, {word}")
    start_in = Sym("start_in", before.start.value, f"start offset of the input, {word}")
    span = d * (k - 1) + 1
    if padding == "causal":
        left = span - 1
    elif padding == "same" and size is not None:
        needed = max((-(-size // s) - 1) * s + span - size, 0)
        left = needed // 2  # Keras pads the extra pixel on the right/bottom
    else:
        left = 0
    P = Sym("p", left, f"padding before the first {word} position ('{padding}')")
    r_out = r_in + (K - 1) * D * j_in
    j_out = j_in * S
    start_out = start_in + (Div((K - 1) * D, Num(2)) - P) * j_in
    return AxisField(word, r_out, j_out, start_out)


def _shifted(before: AxisField, shift: int, why: str) -> AxisField:
    """Padding (shift < 0 moves the start left) or cropping (shift > 0)."""
    start_in = Sym("start_in", before.start.value, f"start offset of the input, {before.axis}")
    j_in = Sym("j_in", before.jump.value, f"jump of the input, {before.axis}")
    c = Sym("c", abs(shift), why)
    start = start_in + c * j_in if shift >= 0 else start_in - c * j_in
    return AxisField(before.axis, before.size, before.jump, start)


def _pairs(raw: Any, rank: int) -> list[int]:
    """The leading (left/top/front) amount of ZeroPadding/Cropping per axis."""
    if isinstance(raw, int):
        return [raw] * rank
    if rank == 1 and all(isinstance(v, int) for v in raw):
        return [int(raw[0])]  # (left, right) of the one axis
    out = []
    for item in raw:
        out.append(int(item if isinstance(item, int) else item[0]))
    return out if len(out) == rank else out * rank


def propagate(
    op: str,
    config: Mapping[str, Any],
    inputs: Sequence[Field | None],
    shapes: Sequence[Shape],
) -> tuple[Field | None, tuple[AxisField, ...]]:
    """(the output tensor's field, the fields to show on the layer's row)."""
    if not inputs or any(f is None for f in inputs):
        return None, ()
    fields = [f for f in inputs if f is not None]
    first = fields[0]
    shape = shapes[0]
    if op in PASS_THROUGH:
        return first, tuple(first[i] for i in sorted(first))
    if op in MERGES or (
        op == "Concatenate" and int(config.get("axis", -1)) in (-1, len(shape) - 1)
    ):
        return _merge(fields)
    if op in CONVS or op.startswith(("MaxPool", "AveragePool", "AvgPool")):
        rank = _rank(op)
        pool = "Pool" in op
        kernel = _ints(config.get("pool_size" if pool else "kernel_size"), rank, 2)
        strides = (
            _ints(config.get("strides"), rank, 1) if not pool or config.get("strides") else kernel
        )
        dilation = (1,) * rank if pool else _ints(config.get("dilation_rate"), rank, 1)
        padding = str(config.get("padding", "valid")).lower()
        out: Field = {}  # only the spatial axes: a channels axis never has a field
        row = []
        for i, axis, k, s, d in zip(
            _spatial_indices(config, shape, rank), spatial_axes(rank), kernel, strides, dilation
        ):
            before = first.get(i, _identity(axis.word))
            out[i] = window(before, shape[i], k=k, s=s, d=d, padding=padding)
            row.append(out[i])
        return out, tuple(row)
    if (
        op.startswith("GlobalMaxPool")
        or op.startswith("GlobalAvgPool")
        or op.startswith("GlobalAveragePool")
    ):
        rank = _rank(op)
        row = []
        for i, axis in zip(_spatial_indices(config, shape, rank), spatial_axes(rank)):
            size = shape[i]
            if size is None:
                return None, ()
            before = first.get(i, _identity(axis.word))
            row.append(window(before, size, k=size, s=size, d=1, padding="valid"))
        return None, tuple(row)  # one vector per channel: nothing spatial follows
    if op.startswith(("ZeroPadding", "Cropping")):
        rank = _rank(op)
        key = "padding" if op.startswith("Zero") else "cropping"
        sign = -1 if op.startswith("Zero") else 1
        amounts = _pairs(config.get(key, 1 if sign < 0 else 0), rank)
        out = dict(first)
        row = []
        for i, axis, amount in zip(
            _spatial_indices(config, shape, rank), spatial_axes(rank), amounts
        ):
            before = first.get(i, _identity(axis.word))
            out[i] = _shifted(before, sign * amount, f"{key} before the first {axis.word} position")
            row.append(out[i])
        return out, tuple(row)
    return None, ()


def _merge(fields: list[Field]) -> tuple[Field, tuple[AxisField, ...]]:
    """Per axis, the largest field of the branches; marked merged when they differ."""
    out: Field = {}
    for i in sorted({i for f in fields for i in f}):
        candidates = [f[i] for f in fields if i in f]
        best = max(candidates, key=lambda a: a.size.value)
        differ = len(fields) > len(candidates) or any(
            (a.size.value, a.jump.value, a.start.value)
            != (best.size.value, best.jump.value, best.start.value)
            for a in candidates
        )
        out[i] = AxisField(
            best.axis, best.size, best.jump, best.start, merged=differ or best.merged
        )
    return out, tuple(out[i] for i in sorted(out))
