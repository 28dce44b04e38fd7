"""A hypothesis-driven builder of random Keras models.

The builder draws a layer at a time and applies it in real Keras at once, so a config
Keras refuses is known straight away and the example is rejected (not counted). It keeps
a pool of tensors: a step extends one of them, merges two of the same shape, calls an
earlier layer again (sharing), or wraps a few layers into a nested model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

Draw = Callable[..., Any]
Layers = Any  # keras.layers


def _ints(draw: Draw, lo: int, hi: int) -> int:
    return int(draw(st.integers(lo, hi)))


def _pick(draw: Draw, options: list[Any]) -> Any:
    return draw(st.sampled_from(options))


# -- one layer for a tensor of a given rank ----------------------------------------------
def layer_for_rank2(draw: Draw, L: Layers) -> Any:
    kind = _pick(
        draw,
        [
            "dense",
            "dropout",
            "bn",
            "ln",
            "act",
            "repeat",
            "reshape",
            "prelu",
            "unit",
            "rms",
            "einsum",
            "noise",
        ],
    )
    if kind == "dense":
        return L.Dense(
            _ints(draw, 1, 12), use_bias=draw(st.booleans()), lora_rank=_pick(draw, [None, None, 2])
        )
    if kind == "dropout":
        return L.Dropout(0.3)
    if kind == "bn":
        return L.BatchNormalization(center=draw(st.booleans()), scale=draw(st.booleans()))
    if kind == "ln":
        return L.LayerNormalization(center=draw(st.booleans()))
    if kind == "act":
        return _pick(draw, [L.ReLU(), L.Activation("tanh"), L.LeakyReLU(), L.ELU(), L.Softmax()])
    if kind == "repeat":
        return L.RepeatVector(_ints(draw, 1, 5))
    if kind == "reshape":
        return L.Reshape((-1, 1))
    if kind == "prelu":
        return L.PReLU()
    if kind == "unit":
        return L.UnitNormalization()
    if kind == "rms":
        return L.RMSNormalization()
    if kind == "einsum":
        return L.EinsumDense(
            "ab,bc->ac", output_shape=_ints(draw, 1, 6), bias_axes=_pick(draw, [None, "c"])
        )
    return L.GaussianNoise(0.1)


def _window(draw: Draw) -> dict[str, Any]:
    padding = _pick(draw, ["valid", "same"])
    if draw(st.booleans()):
        return {"padding": padding, "strides": _ints(draw, 1, 3)}
    return {"padding": padding, "dilation_rate": _ints(draw, 1, 3)}


def layer_for_rank3(draw: Draw, L: Layers) -> Any:
    kind = _pick(
        draw,
        [
            "conv",
            "conv_t",
            "dw",
            "sep",
            "pool",
            "gpool",
            "rnn",
            "bidi",
            "td",
            "mha",
            "attn",
            "ln",
            "dense",
            "pad",
            "crop",
            "up",
            "flatten",
            "gqa",
            "dot_attn",
            "rnn_cell",
        ],
    )
    k = _ints(draw, 1, 4)
    if kind == "conv":
        w = _window(draw)
        if draw(st.booleans()):
            w["padding"] = "causal"
        return L.Conv1D(_ints(draw, 1, 8), k, use_bias=draw(st.booleans()), **w)
    if kind == "conv_t":
        return L.Conv1DTranspose(
            _ints(draw, 1, 6), k, strides=_ints(draw, 1, 3), padding=_pick(draw, ["valid", "same"])
        )
    if kind == "dw":
        return L.DepthwiseConv1D(k, depth_multiplier=_ints(draw, 1, 3), **_window(draw))
    if kind == "sep":
        return L.SeparableConv1D(_ints(draw, 1, 6), k, **_window(draw))
    if kind == "pool":
        cls = _pick(draw, [L.MaxPooling1D, L.AveragePooling1D])
        return cls(
            _ints(draw, 1, 3),
            strides=_pick(draw, [None, 1, 2]),
            padding=_pick(draw, ["valid", "same"]),
        )
    if kind == "gpool":
        return _pick(
            draw, [L.GlobalMaxPooling1D(), L.GlobalAveragePooling1D(keepdims=draw(st.booleans()))]
        )
    if kind in ("rnn", "bidi"):
        cls = _pick(draw, [L.SimpleRNN, L.LSTM, L.GRU])
        kw: dict[str, Any] = {
            "return_sequences": draw(st.booleans()),
            "return_state": draw(st.booleans()),
        }
        if cls is L.GRU:
            kw["reset_after"] = draw(st.booleans())
        inner = cls(_ints(draw, 1, 6), use_bias=draw(st.booleans()), **kw)
        if kind == "rnn":
            return inner
        return L.Bidirectional(inner, merge_mode=_pick(draw, ["concat", "sum", "ave", "mul", None]))
    if kind == "rnn_cell":
        cells = [
            _pick(draw, [L.SimpleRNNCell, L.LSTMCell, L.GRUCell])(_ints(draw, 1, 4))
            for _ in range(_ints(draw, 1, 2))
        ]
        return L.RNN(
            cells if len(cells) > 1 else cells[0],
            return_sequences=draw(st.booleans()),
            return_state=draw(st.booleans()),
        )
    if kind == "td":
        return L.TimeDistributed(L.Dense(_ints(draw, 1, 6)))
    if kind == "mha":
        return L.MultiHeadAttention(
            _ints(draw, 1, 3),
            _ints(draw, 1, 4),
            value_dim=_pick(draw, [None, 3]),
            use_bias=draw(st.booleans()),
            output_shape=_pick(draw, [None, 5]),
        )
    if kind == "gqa":
        kv = _ints(draw, 1, 2)
        return L.GroupQueryAttention(
            _ints(draw, 1, 4), kv * _ints(draw, 1, 2), kv, use_bias=draw(st.booleans())
        )
    if kind == "attn":
        return L.Attention(use_scale=draw(st.booleans()), score_mode=_pick(draw, ["dot", "concat"]))
    if kind == "dot_attn":
        return L.AdditiveAttention(use_scale=draw(st.booleans()))
    if kind == "ln":
        return L.LayerNormalization(axis=_pick(draw, [-1, 1, (1, 2)]))
    if kind == "dense":
        return L.Dense(_ints(draw, 1, 8))
    if kind == "pad":
        return L.ZeroPadding1D((_ints(draw, 0, 2), _ints(draw, 0, 2)))
    if kind == "crop":
        return L.Cropping1D((_ints(draw, 0, 1), _ints(draw, 0, 1)))
    if kind == "up":
        return L.UpSampling1D(_ints(draw, 1, 3))
    return L.Flatten()


def layer_for_rank4(draw: Draw, L: Layers) -> Any:
    kind = _pick(
        draw,
        [
            "conv",
            "conv_t",
            "dw",
            "sep",
            "pool",
            "gpool",
            "pad",
            "crop",
            "up",
            "bn",
            "gn",
            "flatten",
            "adaptive",
            "resize",
        ],
    )
    fmt = _pick(draw, ["channels_last", "channels_first"])
    k = (_ints(draw, 1, 3), _ints(draw, 1, 3))
    if kind == "conv":
        return L.Conv2D(
            _ints(draw, 1, 6), k, data_format=fmt, groups=_pick(draw, [1, 1, 2]), **_window(draw)
        )
    if kind == "conv_t":
        op = _pick(draw, [None, 0, 1])
        s = _ints(draw, 1, 3)
        return L.Conv2DTranspose(
            _ints(draw, 1, 5),
            k,
            strides=s,
            padding=_pick(draw, ["valid", "same"]),
            output_padding=None if op is None or op >= s else op,
            data_format=fmt,
        )
    if kind == "dw":
        return L.DepthwiseConv2D(
            k, depth_multiplier=_ints(draw, 1, 2), data_format=fmt, **_window(draw)
        )
    if kind == "sep":
        return L.SeparableConv2D(_ints(draw, 1, 5), k, data_format=fmt, **_window(draw))
    if kind == "pool":
        cls = _pick(draw, [L.MaxPooling2D, L.AveragePooling2D])
        return cls(
            _ints(draw, 1, 3),
            strides=_pick(draw, [None, 1, 2]),
            padding=_pick(draw, ["valid", "same"]),
            data_format=fmt,
        )
    if kind == "gpool":
        cls = _pick(draw, [L.GlobalMaxPooling2D, L.GlobalAveragePooling2D])
        return cls(data_format=fmt, keepdims=draw(st.booleans()))
    if kind == "pad":
        return L.ZeroPadding2D(
            ((_ints(draw, 0, 2), _ints(draw, 0, 1)), (_ints(draw, 0, 1), _ints(draw, 0, 2))),
            data_format=fmt,
        )
    if kind == "crop":
        return L.Cropping2D(((_ints(draw, 0, 1), 0), (0, _ints(draw, 0, 1))), data_format=fmt)
    if kind == "up":
        return L.UpSampling2D((_ints(draw, 1, 2), _ints(draw, 1, 3)), data_format=fmt)
    if kind == "bn":
        return L.BatchNormalization(axis=_pick(draw, [-1, 1]))
    if kind == "gn":
        return L.GroupNormalization(groups=_pick(draw, [1, -1]))
    if kind == "adaptive":
        return _pick(draw, [L.AdaptiveAveragePooling2D, L.AdaptiveMaxPooling2D])(
            (_ints(draw, 1, 3), _ints(draw, 1, 3)), data_format=fmt
        )
    if kind == "resize":
        return L.Resizing(_ints(draw, 2, 6), _ints(draw, 2, 6), data_format=fmt)
    return L.Flatten(data_format=fmt)


def layer_for_rank5(draw: Draw, L: Layers) -> Any:
    kind = _pick(draw, ["conv3d", "pool3d", "convlstm", "gpool3d", "td_conv"])
    fmt = _pick(draw, ["channels_last", "channels_first"])
    if kind == "conv3d":
        return L.Conv3D(_ints(draw, 1, 4), _ints(draw, 1, 2), data_format=fmt, **_window(draw))
    if kind == "pool3d":
        return L.MaxPooling3D(
            _ints(draw, 1, 2), padding=_pick(draw, ["valid", "same"]), data_format=fmt
        )
    if kind == "gpool3d":
        return L.GlobalAveragePooling3D(data_format=fmt)
    if kind == "td_conv":
        return L.TimeDistributed(L.Conv2D(_ints(draw, 1, 3), 2))
    return L.ConvLSTM2D(
        _ints(draw, 1, 3),
        _ints(draw, 1, 3),
        padding=_pick(draw, ["valid", "same"]),
        strides=_ints(draw, 1, 2),
        data_format=fmt,
        return_sequences=draw(st.booleans()),
        return_state=draw(st.booleans()),
    )


LAYER_FOR_RANK = {2: layer_for_rank2, 3: layer_for_rank3, 4: layer_for_rank4, 5: layer_for_rank5}
ATTENTION_CALL = ("MultiHeadAttention", "GroupedQueryAttention")
LIST_CALL = ("Attention", "AdditiveAttention")


def apply(layer: Any, x: Any) -> list[Any]:
    """Call a layer on one tensor (attention layers attend the tensor to itself)."""
    name = type(layer).__name__
    if name in ATTENTION_CALL:
        out = layer(x, x)
    elif name in LIST_CALL:
        out = layer([x, x])
    else:
        out = layer(x)
    return list(out) if isinstance(out, (list, tuple)) else [out]


def random_model(draw: Draw, keras: Any) -> Any:
    """Draw and build one model; Keras errors propagate (the caller rejects them)."""
    L = keras.layers
    rank = _pick(draw, [2, 3, 3, 4, 4, 5])
    if rank == 2:
        shape: tuple[int, ...] = (_ints(draw, 1, 10),)
    elif rank == 3:
        shape = (_ints(draw, 2, 9), _ints(draw, 1, 6))
    elif rank == 4:
        shape = (_ints(draw, 3, 12), _ints(draw, 3, 12), _ints(draw, 1, 4))
    else:
        shape = (_ints(draw, 2, 4), _ints(draw, 3, 7), _ints(draw, 3, 7), _ints(draw, 1, 3))
    if draw(st.booleans()) and rank == 3 and draw(st.booleans()):
        # Token ids through an Embedding first.
        inp = keras.Input((shape[0],), dtype="int32")
        pool = [L.Embedding(_ints(draw, 2, 30), shape[1])(inp)]
    else:
        inp = keras.Input(shape)
        pool = [inp]
    inputs = [inp]
    if draw(st.booleans()):
        inputs.append(keras.Input(tuple(pool[0].shape[1:])))
        pool.append(inputs[-1])
    made: list[tuple[Any, tuple[int | None, ...]]] = []
    for _ in range(_ints(draw, 1, 6)):
        action = _pick(draw, ["layer", "layer", "layer", "merge", "share", "nest"])
        x = pool[-1] if draw(st.booleans()) else _pick(draw, pool)
        if action == "merge":
            same = [t for t in pool if tuple(t.shape) == tuple(x.shape) and t is not x]
            if same:
                other = _pick(draw, same)
                merge = _pick(
                    draw,
                    [
                        L.Add(),
                        L.Multiply(),
                        L.Average(),
                        L.Maximum(),
                        L.Subtract(),
                        L.Concatenate(),
                        L.Dot(axes=-1),
                    ],
                )
                pool.append(merge([x, other]))
                continue
        if action == "share" and made:
            layer, in_shape = _pick(draw, made)
            same = [t for t in pool if tuple(t.shape) == in_shape]
            if same:
                pool += apply(layer, _pick(draw, same))
                continue
        make = LAYER_FOR_RANK.get(len(x.shape))
        if make is None:
            continue
        if action == "nest":
            sub_in = keras.Input(tuple(x.shape[1:]))
            sub_out = apply(make(draw, L), sub_in)[0]
            sub = keras.Model(sub_in, sub_out)
            if draw(st.booleans()):
                # Only ever set to False: `trainable = True` would also unfreeze the kernel a
                # LoRA layer froze, which a saved config cannot show (Keras re-freezes it).
                sub.trainable = False
            pool.append(sub(x))
            continue
        layer = make(draw, L)
        pool += apply(layer, x)
        if draw(st.integers(0, 9)) == 0:
            # Frozen after it is built, the usual idiom. (Keras counts the weights of a
            # MultiHeadAttention frozen *before* build as trainable: its sublayers are made
            # in build() and do not inherit the flag.)
            layer.trainable = False
        made.append((layer, tuple(x.shape)))
    outputs = [pool[-1]]
    if len(pool) > 2 and draw(st.booleans()):
        extra = _pick(draw, pool[:-1])
        if all(extra is not t for t in inputs):
            outputs.append(extra)
    return keras.Model(inputs, outputs if len(outputs) > 1 else outputs[0])
