"""Convolutions of every kind: each output position applies the whole kernel once.

MACs = N · (output positions) · |kernel|, where |kernel| is the kernel's own parameter
formula (K_h·K_w·C_in/g·F), so the count and the parameters share one formula. A
transposed convolution scatters the kernel from each *input* position instead.

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("c", "Conv2D", {"filters": 16, "kernel_size": 3}, ((None, 150, 150, 3),))
>>> cost = conv(CostCall(call, find_rule("Conv2D")(call)))
>>> cost.macs.value, cost.elementwise.value
(9462528, 350464)
"""

from __future__ import annotations

from modelmath.costs.activation import activation_ops
from modelmath.costs.base import CostCall, OpCost, per_element
from modelmath.costs.registry import cost
from modelmath.expr import Expr, Num, Quantity, Sym, product, total
from modelmath.graph import Shape
from modelmath.rules.base import Weight
from modelmath.rules.spatial import spatial_axes


def spatial_positions(c: CostCall, shape: Shape, rank: int, where: str) -> Expr:
    """H·W (or L, or D·H·W) of ``shape``, as named symbols, for the data format in use."""
    channels_last = c.call.get("data_format", "channels_last") != "channels_first"
    sizes = shape[1:-1] if channels_last else shape[2:]
    syms: list[Expr] = []
    for axis, size in zip(spatial_axes(rank), sizes[-rank:]):
        if size is None:
            raise c.call.error(
                f"needs a known {axis.word} to count its operations",
                received=f"{where} {shape}",
                fix="Give the input a fixed size (--input-shape)",
            )
        syms.append(Sym(f"{axis.symbol}_{where}", size, f"{where}put {axis.word}"))
    return product(syms)


def weight(c: CostCall, name: str) -> Weight:
    for w in c.result.weights:
        if w.name == name or w.name.endswith("/" + name):
            return w
    raise c.call.error(f"has no weight named {name!r} to count its operations")


def bias_and_activation(c: CostCall, outputs: Expr) -> Quantity:
    """The element-wise work after the product: a bias add and the fused activation."""
    has_bias = any(w.name.endswith("bias") for w in c.result.weights)
    act = activation_ops(c.call.config.get("activation"))
    words = (["1 bias add"] if has_bias else []) + ([f"{act} for the activation"] if act else [])
    if not words:
        return Quantity(Num(0), "no bias, no activation")
    return per_element(outputs, int(has_bias) + act, " + ".join(words) + " per output element")


def _rank(op: str) -> int:
    return int(op.removesuffix("Transpose").rstrip("D")[-1])


@cost("Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D")
@cost("DepthwiseConv1D", "DepthwiseConv2D")
def conv(c: CostCall) -> OpCost:
    """N · output positions · |kernel| (a depthwise kernel is K·C·M)."""
    rank = _rank(c.call.op)
    out = c.result.outputs[0].values
    positions = spatial_positions(c, out, rank, "out")
    kernel = weight(c, "kernel")
    macs = c.batch * positions * kernel.count
    why = "each output position applies the whole kernel: N · output positions · kernel size"
    return OpCost(Quantity(macs, why), bias_and_activation(c, c.out_elements()))


@cost("SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D")
def separable_conv(c: CostCall) -> OpCost:
    """Depthwise then pointwise: N · output positions · (|depthwise| + |pointwise|)."""
    rank = _rank(c.call.op)
    positions = spatial_positions(c, c.result.outputs[0].values, rank, "out")
    depthwise, pointwise = weight(c, "depthwise_kernel"), weight(c, "pointwise_kernel")
    macs = c.batch * positions * total((depthwise.count, pointwise.count))
    why = "each output position: the depthwise window, then the 1×1 pointwise product"
    return OpCost(Quantity(macs, why), bias_and_activation(c, c.out_elements()))


@cost(
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "Convolution1DTranspose",
    "Convolution2DTranspose",
    "Convolution3DTranspose",
)
def conv_transpose(c: CostCall) -> OpCost:
    """N · input positions · |kernel|: each input value is spread by the whole kernel."""
    rank = _rank(c.call.op)
    positions = spatial_positions(c, c.call.inputs[0], rank, "in")
    macs = c.batch * positions * weight(c, "kernel").count
    why = "each input position scatters the whole kernel: N · input positions · kernel size"
    return OpCost(Quantity(macs, why), bias_and_activation(c, c.out_elements()))


# Per element of the state, each step: gates' input + recurrent sums (4), bias (4),
# 3 sigmoids + 2 tanh, c = f·c + i·g (3), h = o·tanh(c) (1). See docs/conventions.md.
LSTM_STEP_OPS = 17


@cost("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
def conv_lstm(c: CostCall) -> OpCost:
    """T steps · N · state positions · (|input kernel| + |recurrent kernel|)."""
    rank = int(c.call.op[-2])
    shape = c.call.inputs[0]
    steps = shape[1]
    if steps is None:
        raise c.call.error("needs a known number of time steps to count its operations")
    T = Sym("T", steps, "time steps")
    step_out = c.result.outputs[0].values
    # With return_sequences the output has a time axis; the state's positions follow it.
    spatial = step_out[2:] if c.call.get("return_sequences", False) else step_out[1:]
    positions = spatial_positions(c, (None, *spatial), rank, "out")
    kernel, recurrent = weight(c, "kernel"), weight(c, "recurrent_kernel")
    macs = T * c.batch * positions * total((kernel.count, recurrent.count))
    F = Sym("F", int(c.call.get("filters")), "filters")
    state = T * c.batch * positions * F
    ew = per_element(state, LSTM_STEP_OPS, "LSTM gate arithmetic per state element and step")
    why = "every step convolves the input and the state into the 4 gates"
    return OpCost(Quantity(macs, why), ew)
