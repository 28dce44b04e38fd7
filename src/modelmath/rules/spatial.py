"""Shared math for layers that slide a window: convolutions and poolings of every rank.

One function, :func:`window_output`, gives the output size of one spatial axis with its
formula, for every padding mode Keras and PyTorch use.

>>> window_output(150, Axis("W", "width", "w"), kernel=3, stride=1, dilation=1,
...               padding="valid").value
148
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from modelmath.expr import CeilDiv, Expr, FloorDiv, Num, Sym
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, fmt_shape


@dataclass(frozen=True)
class Axis:
    """How to name one spatial axis: input symbol, word, subscript."""

    symbol: str
    word: str
    sub: str

    def name(self, letter: str) -> str:
        return f"{letter}_{self.sub}" if self.sub else letter


_AXES = {
    1: (Axis("L", "length", ""),),
    2: (Axis("H", "height", "h"), Axis("W", "width", "w")),
    3: (Axis("D", "depth", "d"), Axis("H", "height", "h"), Axis("W", "width", "w")),
}


def spatial_axes(rank: int) -> tuple[Axis, ...]:
    """Names for 1-D, 2-D and 3-D inputs (length; height, width; depth, height, width)."""
    axes = _AXES.get(rank)
    if axes is None:
        raise ValueError(f"no spatial axes of rank {rank}")
    return axes


def window_output(
    size: int | None,
    axis: Axis,
    *,
    kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    window: str = "kernel",
    pad: int = 0,
) -> Expr | None:
    """Output size along ``axis`` of a window sliding over ``size`` positions.

    'valid': ⌊(W − d·(K − 1) − 1 + 2·P)/S⌋ + 1 with P = 0, written ⌊(W − K + 2·P)/S⌋ + 1
    when d = 1. 'same' and 'causal': ⌈W/S⌉ (Keras's ⌊(W − 1)/S⌋ + 1, equal for W ≥ 1).
    'explicit' (PyTorch's padding=P): the 'valid' formula with P = ``pad`` on each side.
    """
    if size is None:
        return None
    try:
        return _shared_window_output(size, axis, kernel, stride, dilation, padding, window, pad)
    except TypeError:  # an unhashable setting: work it out without the cache
        return _window_output(size, axis, kernel, stride, dilation, padding, window, pad)


def _window_output(
    size: int,
    axis: Axis,
    kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    window: str,
    pad: int,
) -> Expr:
    """:func:`window_output` of a known size."""
    W = Sym(axis.symbol, size, f"input {axis.word}")
    if padding in ("same", "causal"):
        if stride == 1:
            return W
        return CeilDiv(W, Sym(axis.name("S"), stride, f"stride along the {axis.word}"))
    S = Sym(axis.name("S"), stride, f"stride along the {axis.word}")
    K = Sym(axis.name("K"), kernel, f"{window} {axis.word}")
    P = (
        Sym(axis.name("P"), pad, f"padding on each side of the {axis.word}")
        if padding == "explicit"
        else Sym(axis.name("P"), 0, f"padding on each side of the {axis.word} ('valid' adds none)")
    )
    if dilation == 1:
        span: Expr = W - K + Num(2) * P
    else:
        d = Sym(axis.name("d"), dilation, f"dilation rate along the {axis.word}")
        span = W - d * (K - 1) - 1 + Num(2) * P
    return FloorDiv(span, S) + 1


# A pure function of small values whose result is an immutable formula: a model's repeated
# blocks share one tree per setting (typed, so 1 and True and 1.0 stay apart).
_shared_window_output = lru_cache(maxsize=4096, typed=True)(_window_output)


def split_channels(ctx: LayerCall, rank: int) -> tuple[Shape, int | None, bool]:
    """(spatial sizes, channels, channels_last) of an input of ``rank`` spatial axes."""
    shape = ctx.shape
    if len(shape) != rank + 2:  # the error's words only when there is an error
        ctx.require_rank(rank + 2, f" (batch, {rank} spatial axes, channels)")
    channels_last = ctx.get("data_format", "channels_last") != "channels_first"
    if channels_last:
        return shape[1:-1], shape[-1], True
    return shape[2:], shape[1], False


def assemble(
    batch: Expr | None, spatial: list[Expr | None], channels: Expr | None, channels_last: bool
) -> tuple[Expr | None, ...]:
    if channels_last:
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def axis_words(rank: int, channels_last: bool) -> tuple[str, ...]:
    words = _AXIS_WORDS.get((rank, channels_last))
    if words is not None:
        return words
    spatial = [a.word for a in spatial_axes(rank)]
    if channels_last:
        return ("batch", *spatial, "channels")
    return ("batch", "channels", *spatial)


_AXIS_WORDS = {
    (rank, last): (
        ("batch", *[a.word for a in axes], "channels")
        if last
        else ("batch", "channels", *[a.word for a in axes])
    )
    for rank, axes in _AXES.items()
    for last in (True, False)
}


def check_positive(ctx: LayerCall, dims: list[Expr | None], what: str) -> None:
    """Keras refuses an output size of zero or less; say why in the user's terms."""
    for d in dims:
        if d is not None and d.value <= 0:
            raise ctx.error(
                f"would produce an output size of {d.value} with {what}",
                received=f"input {fmt_shape(ctx.shape)}",
                fix="Use padding='same', a smaller kernel or stride, or a larger input",
            )


def batch_dim(shape: Shape) -> Expr | None:
    b = shape[0] if shape else None
    return None if b is None else Sym("N", b, "batch size")


def padding_words(
    padding: str, strides: tuple[int, ...], dilation: tuple[int, ...] | None = None
) -> str:
    """'padding='valid', strides=1' — the settings that decide the output size."""
    if plain_ints(strides) and (dilation is None or plain_ints(dilation)):
        return _shared_padding_words(padding, strides, dilation)
    return _padding_words(padding, strides, dilation)


def plain_ints(values: tuple[int, ...] | None) -> bool:
    """A tuple of plain ints (as cache keys, 1 == True == 1.0: only these are shared)."""
    if type(values) is not tuple:
        return False
    return all(type(v) is int for v in values)


def _padding_words(padding: str, strides: tuple[int, ...], dilation: tuple[int, ...] | None) -> str:
    def one(values: tuple[int, ...]) -> str:
        return str(values[0]) if len(set(values)) == 1 else str(tuple(values))

    text = f"padding='{padding}', strides={one(strides)}"
    if dilation is not None and any(d != 1 for d in dilation):
        text += f", dilation_rate={one(dilation)}"
    return text


_shared_padding_words = lru_cache(maxsize=1024, typed=True)(_padding_words)
