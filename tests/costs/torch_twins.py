"""PyTorch twins of Keras layers: the same computation on the same shapes, for
``torch.utils.flop_counter.FlopCounterMode`` to count (its FLOPs are 2 × MACs for
matrix products and convolutions; it counts no element-wise work).

Each twin takes the batch size and returns what FlopCounterMode counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

Twin = Callable[[int], int]


def counted(fn: Callable[[], Any]) -> int:
    """FLOPs FlopCounterMode counts while ``fn`` runs (oneDNN off: its fused RNN kernels
    are invisible to the counter, the reference implementation is not)."""
    with (
        torch.no_grad(),
        torch.backends.mkldnn.flags(enabled=False),
        FlopCounterMode(display=False) as mode,
    ):
        fn()
    return int(mode.get_total_flops())


def same_pad(size: int, k: int, s: int, d: int) -> tuple[int, int]:
    """Keras's 'same' padding of one axis: the extra pixel goes right/bottom."""
    span = d * (k - 1) + 1
    total = max((-(-size // s) - 1) * s + span - size, 0)
    return total // 2, total - total // 2


def conv(
    spatial: tuple[int, ...],
    c_in: int,
    filters: int,
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    padding: str,
    groups: int = 1,
) -> Twin:
    """A ConvNd on NC… input, padded as Keras pads it."""
    convs = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
    rank = len(spatial)

    def run(n: int) -> int:
        x = torch.randn(n, c_in, *spatial)
        pads: list[int] = []
        for size, k, s, d in reversed(list(zip(spatial, kernel, stride, dilation))):
            if padding == "same":
                pads += list(same_pad(size, k, s, d))
            elif padding == "causal":
                pads += [d * (k - 1), 0]
            else:
                pads += [0, 0]
        w = torch.randn(filters, c_in // groups, *kernel)
        return counted(lambda: convs[rank](F.pad(x, pads), w, None, stride, 0, dilation, groups))

    return run


def conv_transpose(
    spatial: tuple[int, ...],
    c_in: int,
    filters: int,
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
) -> Twin:
    fns = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}

    def run(n: int) -> int:
        x = torch.randn(n, c_in, *spatial)
        w = torch.randn(c_in, filters, *kernel)
        return counted(lambda: fns[len(spatial)](x, w, None, stride))

    return run


def separable(
    spatial: tuple[int, ...], c_in: int, mult: int, filters: int, kernel: tuple[int, ...]
) -> Twin:
    def run(n: int) -> int:
        depthwise = conv(
            spatial,
            c_in,
            c_in * mult,
            kernel,
            (1,) * len(kernel),
            (1,) * len(kernel),
            "valid",
            c_in,
        )(n)
        out = tuple(s - k + 1 for s, k in zip(spatial, kernel))
        ones = (1,) * len(kernel)
        return depthwise + conv(out, c_in * mult, filters, ones, ones, ones, "valid")(n)

    return run


def linear(lead: tuple[int, ...], c_in: int, units: int) -> Twin:
    def run(n: int) -> int:
        x, w = torch.randn(n, *lead, c_in), torch.randn(units, c_in)
        return counted(lambda: F.linear(x, w))

    return run


def einsum(equation: str, x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> Twin:
    def run(n: int) -> int:
        x, w = torch.randn(n, *x_shape), torch.randn(*w_shape)
        return counted(lambda: torch.einsum(equation, x, w))

    return run


def rnn(kind: str, steps: int, c_in: int, units: int, bidirectional: bool = False) -> Twin:
    """nn.RNN/LSTM/GRU over all steps (torch's GRU is Keras's reset_after=True form)."""
    cls = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[kind]

    def run(n: int) -> int:
        layer = cls(c_in, units, batch_first=True, bidirectional=bidirectional)
        x = torch.randn(n, steps, c_in)
        return counted(lambda: layer(x))

    return run


def conv_lstm2d(steps: int, hw: tuple[int, int], c_in: int, filters: int, k: int) -> Twin:
    """Each step: the input convolved to the 4 gates ('valid'), the state likewise ('same')."""

    def run(n: int) -> int:
        x = torch.randn(n, steps, c_in, *hw)
        wx = torch.randn(4 * filters, c_in, k, k)
        wh = torch.randn(4 * filters, filters, k, k)
        out_hw = (hw[0] - k + 1, hw[1] - k + 1)

        def forward() -> None:
            h = torch.zeros(n, filters, *out_hw)
            c = torch.zeros_like(h)
            for t in range(steps):
                z = F.conv2d(x[:, t], wx) + F.conv2d(h, wh, padding=k // 2)
                i, f, g, o = z.chunk(4, 1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)

        return counted(forward)

    return run


def multi_head_attention(
    tq: int, tk: int, c_q: int, c_k: int, c_v: int, heads: int, dk: int, dv: int, out: int
) -> Twin:
    """Explicit projections (einsum, as Keras writes them), scores and weighted sum."""

    def run(n: int) -> int:
        q, k, v = torch.randn(n, tq, c_q), torch.randn(n, tk, c_k), torch.randn(n, tk, c_v)
        wq, wk = torch.randn(c_q, heads, dk), torch.randn(c_k, heads, dk)
        wv, wo = torch.randn(c_v, heads, dv), torch.randn(heads, dv, out)

        def forward() -> None:
            qh = torch.einsum("abc,cde->abde", q, wq)
            kh = torch.einsum("abc,cde->abde", k, wk)
            vh = torch.einsum("abc,cde->abde", v, wv)
            scores = torch.einsum("aecd,abcd->acbe", kh, qh).softmax(-1)
            ctx = torch.einsum("acbe,aecd->abcd", scores, vh)
            torch.einsum("abcd,cde->abe", ctx, wo)

        return counted(forward)

    return run


def group_query_attention(t: int, c: int, hq: int, hkv: int, d: int) -> Twin:
    def run(n: int) -> int:
        x = torch.randn(n, t, c)
        wq, wk, wv, wo = (
            torch.randn(c, hq, d),
            torch.randn(c, hkv, d),
            torch.randn(c, hkv, d),
            torch.randn(hq, d, c),
        )

        def forward() -> None:
            qh = torch.einsum("btc,chd->bhtd", x, wq)
            kh = torch.einsum("btc,chd->bhtd", x, wk).repeat_interleave(hq // hkv, 1)
            vh = torch.einsum("btc,chd->bhtd", x, wv).repeat_interleave(hq // hkv, 1)
            scores = (qh @ kh.transpose(-1, -2)).softmax(-1)
            torch.einsum("bhtd,hdc->btc", scores @ vh, wo)

        return counted(forward)

    return run


def dot_attention(tq: int, tk: int, d: int, dv: int) -> Twin:
    def run(n: int) -> int:
        q, k, v = torch.randn(n, tq, d), torch.randn(n, tk, d), torch.randn(n, tk, dv)
        return counted(lambda: (q @ k.transpose(1, 2)).softmax(-1) @ v)

    return run


def additive_attention(tq: int, tk: int, d: int) -> Twin:
    """Σ_d scale_d·tanh(q_d + k_d), written as a product with the scale as a d × 1 matrix
    (FlopCounterMode counts no FLOPs for a broadcast matrix-vector ``@ scale``: a
    difference of the counter, not of the work)."""

    def run(n: int) -> int:
        q, k, v = torch.randn(n, tq, d), torch.randn(n, tk, d), torch.randn(n, tk, d)
        scale = torch.randn(d)
        return counted(
            lambda: (
                (torch.tanh(q[:, :, None] + k[:, None]) @ scale[:, None])[..., 0].softmax(-1) @ v
            )
        )

    return run


def batch_dot(a: tuple[int, ...], b: tuple[int, ...]) -> Twin:
    def run(n: int) -> int:
        x, y = torch.randn(n, *a), torch.randn(n, *b)
        return counted(lambda: x @ y.transpose(-1, -2))

    return run


def elementwise(fn: Callable[[torch.Tensor], Any], shape: tuple[int, ...]) -> Twin:
    """A layer with no product: FlopCounterMode counts nothing, by design."""

    def run(n: int) -> int:
        x = torch.randn(n, *shape)
        return counted(lambda: fn(x))

    return run
