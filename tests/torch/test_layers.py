"""Every standard torch.nn layer the issue names: its rule's shapes and parameters equal
PyTorch's, for a table of settings (checked with the same helper as the corpus)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch_checks import check_module

from modelmath.module_summary import ModuleStatus
from modelmath.rules import find_rule


def _x(*shape: int) -> torch.Tensor:
    return torch.randn(*shape)


class _PoolUnpool(nn.Module):
    """MaxUnpool takes the pooling's indices as a second input."""

    def __init__(self, rank: int) -> None:
        super().__init__()
        pool, unpool = {1: (nn.MaxPool1d, nn.MaxUnpool1d), 3: (nn.MaxPool3d, nn.MaxUnpool3d)}[rank]
        self.pool, self.unpool = pool(2, return_indices=True), unpool(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.unpool(*self.pool(x))  # type: ignore[no-any-return]


class _Packed(nn.Module):
    """A recurrent layer run on a PackedSequence of sequences of different lengths."""

    def __init__(self, rnn: nn.RNNBase, lengths: list[int], enforce_sorted: bool) -> None:
        super().__init__()
        self.rnn, self.lengths, self.enforce_sorted = rnn, lengths, enforce_sorted

    def forward(self, x: torch.Tensor) -> Any:
        packed = pack_padded_sequence(x, torch.tensor(self.lengths), batch_first=True,
                                      enforce_sorted=self.enforce_sorted)  # fmt: skip
        out, state = self.rnn(packed)
        if self.enforce_sorted:
            return pad_packed_sequence(out, batch_first=True)[0], state
        # unsorted, pad_packed_sequence reads its indices' values (it cannot run on meta)
        return out.data, state


class _ByKeyword(nn.Module):
    """Calls multi-head attention with keyword tensors only (mask2former does)."""

    def __init__(self) -> None:
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, kdim=6, vdim=4)

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.attn(value=v, query=q, key=k, need_weights=False)[0]  # type: ignore[no-any-return]


CASES: dict[str, Callable[[], tuple[nn.Module, list[Any]]]] = {
    "conv1d_groups_dilation": lambda: (nn.Conv1d(4, 8, 3, 2, 2, 2, groups=2), [_x(2, 4, 21)]),
    "conv2d_same_reflect": lambda: (nn.Conv2d(3, 4, (3, 5), padding="same",
                                              padding_mode="reflect"), [_x(1, 3, 9, 10)]),
    "conv2d_circular": lambda: (nn.Conv2d(3, 4, 3, 2, 1, padding_mode="circular"),
                                [_x(1, 3, 9, 10)]),
    "conv3d_valid": lambda: (nn.Conv3d(2, 3, (1, 3, 3), (1, 2, 1)), [_x(1, 2, 4, 9, 8)]),
    "conv_transpose1d": lambda: (nn.ConvTranspose1d(4, 6, 4, 3, 1, 2, groups=2, dilation=2),
                                 [_x(2, 4, 7)]),
    "conv_transpose2d": lambda: (nn.ConvTranspose2d(3, 5, (2, 3), (2, 1), (0, 1)),
                                 [_x(1, 3, 6, 7)]),
    "conv_transpose3d": lambda: (nn.ConvTranspose3d(2, 2, 3, 2, 1, 1, bias=False),
                                 [_x(1, 2, 3, 4, 5)]),
    "linear_nobias": lambda: (nn.Linear(6, 3, bias=False), [_x(2, 4, 6)]),
    "bilinear": lambda: (nn.Bilinear(3, 4, 5), [_x(2, 3), _x(2, 4)]),
    "embedding": lambda: (nn.Embedding(10, 4, max_norm=1.0), [torch.randint(0, 10, (2, 3, 4))]),
    "embedding_bag_2d": lambda: (nn.EmbeddingBag(10, 4, mode="max"),
                                 [torch.randint(0, 10, (3, 5))]),
    "batchnorm1d_3d_input": lambda: (nn.BatchNorm1d(4), [_x(2, 4, 7)]),
    "batchnorm1d_2d_input": lambda: (nn.BatchNorm1d(4, momentum=None), [_x(3, 4)]),
    "instancenorm1d_unbatched": lambda: (nn.InstanceNorm1d(4, affine=True), [_x(4, 7)]),
    "layernorm_2d_shape": lambda: (nn.LayerNorm([3, 4]), [_x(2, 5, 3, 4)]),
    "groupnorm": lambda: (nn.GroupNorm(3, 6, affine=False), [_x(2, 6, 5)]),
    "rmsnorm": lambda: (nn.RMSNorm(8, elementwise_affine=False), [_x(2, 8)]),
    "maxpool1d_ceil": lambda: (nn.MaxPool1d(3, 2, 1, ceil_mode=True), [_x(1, 2, 10)]),
    "maxpool3d": lambda: (nn.MaxPool3d(2, 1, 1, dilation=2), [_x(1, 1, 5, 6, 7)]),
    "avgpool1d": lambda: (nn.AvgPool1d(4, 3, 2), [_x(2, 3, 11)]),
    "avgpool3d_ceil": lambda: (nn.AvgPool3d(3, 2, 1, ceil_mode=True), [_x(1, 1, 6, 7, 8)]),
    "lppool3d": lambda: (nn.LPPool3d(2, 2), [_x(1, 1, 4, 5, 6)]),
    "adaptive_avg1d": lambda: (nn.AdaptiveAvgPool1d(5), [_x(2, 3, 17)]),
    "adaptive_max3d": lambda: (nn.AdaptiveMaxPool3d((2, None, 3)), [_x(1, 2, 5, 6, 7)]),
    "rnn_tanh_bidirectional": lambda: (nn.RNN(3, 5, 2, bidirectional=True), [_x(4, 2, 3)]),
    "gru_batch_first_layers": lambda: (nn.GRU(3, 5, 3, batch_first=True, bias=False),
                                       [_x(2, 4, 3)]),
    "lstm_bidirectional_proj": lambda: (nn.LSTM(3, 6, 2, bidirectional=True, proj_size=2),
                                        [_x(4, 2, 3)]),
    "lstm_unbatched": lambda: (nn.LSTM(3, 4), [_x(5, 3)]),
    "gru_cell": lambda: (nn.GRUCell(3, 4), [_x(2, 3)]),
    "lstm_cell_unbatched": lambda: (nn.LSTMCell(3, 4), [_x(3)]),
    "mha_unbatched": lambda: (nn.MultiheadAttention(8, 2), [_x(5, 8), _x(6, 8), _x(6, 8)]),
    "mha_by_keyword": lambda: (_ByKeyword(), [_x(5, 2, 8), _x(7, 2, 6), _x(7, 2, 4)]),
    "mha_no_bias": lambda: (nn.MultiheadAttention(8, 4, bias=False), [_x(5, 2, 8)] * 3),
    "encoder_layer": lambda: (nn.TransformerEncoderLayer(8, 2, 16, 0.0), [_x(5, 2, 8)]),
    "decoder_layer": lambda: (nn.TransformerDecoderLayer(8, 2, 16, 0.0, batch_first=True),
                              [_x(2, 5, 8), _x(2, 7, 8)]),
    "pixel_shuffle": lambda: (nn.PixelShuffle(3), [_x(1, 18, 4, 5)]),
    "upsample_trilinear": lambda: (nn.Upsample(scale_factor=(2, 1.5, 3), mode="trilinear"),
                                   [_x(1, 2, 3, 4, 5)]),
    "upsample_size_1d": lambda: (nn.Upsample(size=9), [_x(1, 2, 4)]),
    "upsampling_bilinear2d": lambda: (nn.UpsamplingBilinear2d(size=(7, 9)), [_x(1, 2, 3, 4)]),
    "flatten_middle": lambda: (nn.Flatten(1, 2), [_x(2, 3, 4, 5)]),
    "unflatten_minus_one": lambda: (nn.Unflatten(-1, (2, -1)), [_x(2, 3, 8)]),
    "zero_pad3d": lambda: (nn.ZeroPad3d((1, 2, 0, 1, 2, 0)), [_x(1, 1, 2, 3, 4)]),
    "circular_pad1d": lambda: (nn.CircularPad1d((2, 1)), [_x(1, 2, 5)]),
    "channel_shuffle": lambda: (nn.ChannelShuffle(2), [_x(1, 4, 3, 3)]),
    "glu": lambda: (nn.GLU(1), [_x(2, 6, 3)]),
    "prelu_channels": lambda: (nn.PReLU(4), [_x(2, 4, 3)]),
    "softmax2d": lambda: (nn.Softmax2d(), [_x(1, 3, 2, 2)]),
    "unfold": lambda: (nn.Unfold((2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
                       [_x(2, 3, 7, 9)]),
    "unfold_unbatched": lambda: (nn.Unfold(3), [_x(2, 5, 6)]),
    "fold": lambda: (nn.Fold((7, 9), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
                     [_x(2, 18, 28)]),
    "fold_unbatched": lambda: (nn.Fold(6, 2, stride=2), [_x(12, 9)]),
    "circular_pad2d": lambda: (nn.CircularPad2d((1, 2, 0, 1)), [_x(1, 2, 3, 4)]),
    "circular_pad3d": lambda: (nn.CircularPad3d(1), [_x(1, 2, 3, 4, 5)]),
    "constant_pad1d": lambda: (nn.ConstantPad1d((3, 1), 0.5), [_x(2, 3, 4)]),
    "constant_pad3d": lambda: (nn.ConstantPad3d((1, 0, 2, 1, 0, 3), -1.0), [_x(1, 2, 3, 4, 5)]),
    "reflection_pad1d": lambda: (nn.ReflectionPad1d((2, 1)), [_x(2, 3, 5)]),
    "reflection_pad3d": lambda: (nn.ReflectionPad3d(1), [_x(1, 2, 3, 4, 5)]),
    "replication_pad1d": lambda: (nn.ReplicationPad1d((0, 3)), [_x(2, 3, 5)]),
    "replication_pad3d": lambda: (nn.ReplicationPad3d((1, 2, 0, 1, 2, 0)), [_x(1, 2, 3, 4, 5)]),
    "zero_pad1d": lambda: (nn.ZeroPad1d(2), [_x(3, 5)]),
    "dropout2d": lambda: (nn.Dropout2d(0.3), [_x(2, 3, 4, 5)]),
    "dropout3d": lambda: (nn.Dropout3d(0.3), [_x(2, 3, 4, 5, 6)]),
    "cross_map_lrn2d": lambda: (nn.CrossMapLRN2d(3), [_x(2, 4, 5, 5)]),
    "sync_batchnorm_eval": lambda: (nn.SyncBatchNorm(4), [_x(2, 4, 3, 3)]),
    "fractional_max_pool3d": lambda: (nn.FractionalMaxPool3d(2, output_size=(2, 3, 2)),
                                      [_x(1, 2, 5, 6, 7)]),
    "max_unpool1d": lambda: (_PoolUnpool(1), [_x(1, 2, 8)]),
    "lstm_packed_sorted": lambda: (_Packed(nn.LSTM(4, 5, batch_first=True), [6, 4, 1], True),
                                   [_x(3, 6, 4)]),
    "gru_packed_unsorted": lambda: (_Packed(nn.GRU(4, 3, 2, batch_first=True, bidirectional=True),
                                            [2, 5], False), [_x(2, 5, 4)]),
    "max_unpool3d": lambda: (_PoolUnpool(3), [_x(1, 2, 4, 6, 4)]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = CASES[name]()
    s = check_module(model, inputs)
    # Each torch.nn module with a rule is explained by it (a wrapper of the test's own is not).
    ruled = [r for r in s.rows if r.called and (find_rule(f"torch.{r.op}") or find_rule(r.op))]
    assert ruled, "the case runs no module with a rule"
    assert all(r.status is ModuleStatus.COMPUTED for r in ruled), ruled


@settings(max_examples=40, deadline=None)
@given(
    rank=st.integers(1, 3),
    size=st.integers(6, 13),
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    dilation=st.integers(1, 2),
    groups=st.sampled_from([1, 2]),
    transposed=st.booleans(),
    data=st.data(),
)
def test_random_convolutions(
    rank: int, size: int, kernel: int, stride: int, dilation: int, groups: int,
    transposed: bool, data: st.DataObject,
) -> None:  # fmt: skip
    pad = data.draw(st.integers(0, (dilation * (kernel - 1)) // 2))
    assume(size + 2 * pad >= dilation * (kernel - 1) + 1)  # PyTorch refuses a larger window
    cls = getattr(nn, f"Conv{'Transpose' if transposed else ''}{rank}d")
    extra: dict[str, Any] = {}
    if transposed and stride > 1:
        extra["output_padding"] = data.draw(st.integers(0, min(stride, dilation) - 1))
    model = cls(4, 6, kernel, stride, pad, dilation=dilation, groups=groups, **extra)
    s = check_module(model, [torch.randn(1, 4, *([size] * rank))])
    assert s.rows[0].status is ModuleStatus.COMPUTED


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["Max", "Avg"]),
    size=st.integers(5, 14),
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    ceil=st.booleans(),
    data=st.data(),
)
def test_random_pools(
    kind: str, size: int, kernel: int, stride: int, ceil: bool, data: st.DataObject
) -> None:
    pad = data.draw(st.integers(0, kernel // 2))
    model = getattr(nn, f"{kind}Pool2d")(kernel, stride, pad, ceil_mode=ceil)
    s = check_module(model, [torch.randn(1, 2, size, size + 1)])
    assert s.rows[0].status is ModuleStatus.COMPUTED
