"""ConvLSTM1D/2D/3D: an LSTM whose four gates are convolutions.

The input convolution decides the output's spatial size; the recurrent convolution always
uses padding='same', stride 1, so the state keeps that size.

>>> from modelmath.rules.base import LayerCall
>>> r = conv_lstm(LayerCall("c", "ConvLSTM2D", {"filters": 4, "kernel_size": 3},
...                         ((None, 5, 10, 10, 2),)))
>>> r.outputs[0].values, sum(int(w.count.value) for w in r.weights)
((None, 8, 8, 4), 880)
"""

from __future__ import annotations

from modelmath.expr import Expr, Num, Sym
from modelmath.rules.base import LayerCall, RuleResult, Weight
from modelmath.rules.conv import window_settings
from modelmath.rules.recurrent import sequence_outputs
from modelmath.rules.registry import rule
from modelmath.rules.spatial import check_positive, padding_words, spatial_axes, window_output


@rule("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
def conv_lstm(ctx: LayerCall) -> RuleResult:
    """4 gates × (kernel over C_in channels + kernel over F filters of the state) + 4·F biases."""
    rank = int(ctx.op[-2])
    # The settings first, as Keras checks them when the layer is made, before any input
    # (the convolutions' own reading: 'causal' refused, as Keras refuses it here too).
    kernel, strides, dilation, padding = window_settings(ctx, rank)
    shape = ctx.inputs[0] if ctx.inputs else ()
    if len(shape) != rank + 3:
        raise ctx.error(
            f"{ctx.op} expects a {rank + 3}-D input (batch, steps, {rank} spatial axes, channels)",
            received=f"input {shape}",
        )
    channels_last = ctx.get("data_format", "channels_last") != "channels_first"
    spatial = shape[2:-1] if channels_last else shape[3:]
    c_in = ctx.known(shape[-1] if channels_last else shape[2], "number of input channels")
    dims: list[Expr | None] = [
        window_output(size, axis, kernel=k, stride=s, dilation=d, padding=padding)
        for size, axis, k, s, d in zip(spatial, spatial_axes(rank), kernel, strides, dilation)
    ]
    if padding != "same":  # as Keras: 'same' keeps a size of 0 as 0
        check_positive(ctx, dims, f"kernel {kernel} and padding='{padding}'")
    F = Sym("F", ctx.positive_int("filters"), "filters (channels of the state)")
    C = Sym("C_in", c_in, "input channels")
    K = [Sym(a.name("K"), k, f"kernel {a.word}") for a, k in zip(spatial_axes(rank), kernel)]
    gates = Num(4) * F
    weights = [
        Weight(
            "kernel", (*K, C, gates), meaning="input → the 4 gates (input, forget, cell, output)"
        ),
        Weight("recurrent_kernel", (*K, F, gates), meaning="state → the 4 gates"),
    ]
    ksize = "×".join(map(str, kernel))
    words = (
        f"4 gates × ({ksize} kernel × ({c_in} in-channels + {F.value} state channels) × {F.value}"
    )
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (gates,), meaning="one bias per gate and filter"))
        words += f" + {F.value} biases"
    words += ")"
    step = (*dims, F) if channels_last else (F, *dims)
    outputs = sequence_outputs(ctx, step, (step, step))
    why = padding_words(padding, strides, dilation)
    outputs = tuple(
        type(o)(o.dims, o.axes, f"{o.why}; {why}") if i == 0 else o for i, o in enumerate(outputs)
    )
    return RuleResult(outputs, tuple(weights), words)
