"""Every cost rule's MACs against PyTorch's own counter on an equivalent layer.

``FlopCounterMode`` counts 2 FLOPs per multiply-accumulate of matrix products and
convolutions and nothing else, so for every case ``MACs == counted / 2``. Where the two
count differently by design it is said in the case: FlopCounterMode ignores element-wise
work (bias adds, activations, normalization, pooling, softmax, merges), which modelmath
counts in FLOPs only (FLOPs = 2·MACs + E); those layers have 0 MACs on both sides, and
their E is checked against the per-element convention in docs/conventions.md instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

torch = pytest.importorskip("torch", reason="PyTorch's FlopCounterMode is the oracle here")

import torch_twins as tw  # noqa: E402
from checks import recompute  # noqa: E402

from modelmath.costs import CostCall, find_cost, known_cost_ops  # noqa: E402
from modelmath.costs.base import OpCost  # noqa: E402
from modelmath.rules import find_rule  # noqa: E402
from modelmath.rules.base import LayerCall  # noqa: E402

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class Case:
    id: str
    op: str
    config: dict[str, Any]
    inputs: tuple[Shape, ...]
    twin: tw.Twin
    elementwise: int | None = None  # E per sample, where the convention fixes it exactly


def _lstm(units: int) -> dict[str, Any]:
    return {"class_name": "LSTM", "config": {"name": "lstm", "units": units}}


def _dense(units: int) -> dict[str, Any]:
    return {"class_name": "Dense", "config": {"name": "dense", "units": units}}


CASES = [
    # -- convolutions -----------------------------------------------------------------
    Case("conv2d_valid", "Conv2D", {"filters": 16, "kernel_size": 3}, ((None, 15, 15, 3),),
         tw.conv((15, 15), 3, 16, (3, 3), (1, 1), (1, 1), "valid"), 13 * 13 * 16),
    Case("conv2d_same_strided", "Conv2D", {"filters": 8, "kernel_size": (3, 4), "strides": 2,
         "padding": "same", "activation": "relu"}, ((None, 11, 10, 4),),
         tw.conv((11, 10), 4, 8, (3, 4), (2, 2), (1, 1), "same"), 2 * 6 * 5 * 8),
    Case("conv2d_groups_dilated", "Conv2D", {"filters": 6, "kernel_size": 3, "groups": 3,
         "dilation_rate": 2, "use_bias": False}, ((None, 12, 12, 6),),
         tw.conv((12, 12), 6, 6, (3, 3), (1, 1), (2, 2), "valid", groups=3), 0),
    Case("conv2d_channels_first", "Conv2D", {"filters": 4, "kernel_size": 2,
         "data_format": "channels_first"}, ((None, 3, 9, 7),),
         tw.conv((9, 7), 3, 4, (2, 2), (1, 1), (1, 1), "valid")),
    Case("conv1d_causal", "Conv1D", {"filters": 5, "kernel_size": 3, "padding": "causal",
         "dilation_rate": 2}, ((None, 20, 4),),
         tw.conv((20,), 4, 5, (3,), (1,), (2,), "causal")),
    Case("conv3d", "Conv3D", {"filters": 2, "kernel_size": 2, "strides": (1, 2, 1)},
         ((None, 5, 6, 7, 3),), tw.conv((5, 6, 7), 3, 2, (2, 2, 2), (1, 2, 1), (1, 1, 1), "valid")),
    Case("depthwise_conv2d", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2},
         ((None, 10, 10, 4),), tw.conv((10, 10), 4, 8, (3, 3), (1, 1), (1, 1), "valid", groups=4)),
    Case("depthwise_conv1d_same", "DepthwiseConv1D", {"kernel_size": 5, "padding": "same",
         "strides": 2}, ((None, 17, 3),), tw.conv((17,), 3, 3, (5,), (2,), (1,), "same", groups=3)),
    Case("separable_conv2d", "SeparableConv2D", {"filters": 7, "kernel_size": 3,
         "depth_multiplier": 2}, ((None, 9, 9, 3),), tw.separable((9, 9), 3, 2, 7, (3, 3))),
    Case("separable_conv1d", "SeparableConv1D", {"filters": 4, "kernel_size": 3},
         ((None, 12, 5),), tw.separable((12,), 5, 1, 4, (3,))),
    Case("conv2d_transpose", "Conv2DTranspose", {"filters": 5, "kernel_size": 3, "strides": 2},
         ((None, 4, 6, 3),), tw.conv_transpose((4, 6), 3, 5, (3, 3), (2, 2))),
    Case("conv1d_transpose_same", "Conv1DTranspose", {"filters": 3, "kernel_size": 4,
         "strides": 2, "padding": "same"}, ((None, 7, 2),),
         tw.conv_transpose((7,), 2, 3, (4,), (2,))),
    Case("conv3d_transpose", "Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2},
         ((None, 3, 3, 3, 2),), tw.conv_transpose((3, 3, 3), 2, 2, (2, 2, 2), (2, 2, 2))),
    Case("conv_lstm2d", "ConvLSTM2D", {"filters": 3, "kernel_size": 3, "padding": "valid"},
         ((None, 4, 8, 8, 2),), tw.conv_lstm2d(4, (8, 8), 2, 3, 3)),
    # -- dense and einsum -------------------------------------------------------------
    Case("dense_2d", "Dense", {"units": 10}, ((None, 32),), tw.linear((), 32, 10), 10),
    Case("dense_3d", "Dense", {"units": 6, "activation": "softmax"}, ((None, 7, 5),),
         tw.linear((7,), 5, 6), 7 * 6 * 4),
    Case("einsum_dense_heads", "EinsumDense", {"equation": "abc,cde->abde",
         "output_shape": [7, 2, 3], "bias_axes": "de"}, ((None, 7, 5),),
         tw.einsum("abc,cde->abde", (7, 5), (5, 2, 3)), 7 * 6),
    Case("einsum_dense_ellipsis", "EinsumDense", {"equation": "...b,bc->...c",
         "output_shape": 4}, ((None, 3, 6),), tw.einsum("...b,bc->...c", (3, 6), (6, 4)), 0),
    Case("time_distributed_dense", "TimeDistributed", {"layer": _dense(4)}, ((None, 5, 3),),
         tw.linear((5,), 3, 4), 5 * 4),
    Case("spectral_norm_dense", "SpectralNormalization", {"layer": _dense(4)}, ((None, 6),),
         tw.linear((), 6, 4), 4),
    Case("dot_batch", "Dot", {"axes": 2}, ((None, 4, 6), (None, 5, 6)),
         tw.batch_dot((4, 6), (5, 6)), 0),
    # -- recurrent, over all steps ----------------------------------------------------
    Case("simple_rnn", "SimpleRNN", {"units": 4}, ((None, 6, 3),), tw.rnn("SimpleRNN", 6, 3, 4),
         6 * 4 * 3),
    Case("lstm", "LSTM", {"units": 5, "return_sequences": True}, ((None, 7, 3),),
         tw.rnn("LSTM", 7, 3, 5), 7 * 5 * 17),
    Case("gru_reset_after", "GRU", {"units": 4}, ((None, 6, 5),), tw.rnn("GRU", 6, 5, 4),
         6 * 4 * 17),
    Case("bidirectional_lstm", "Bidirectional", {"layer": _lstm(4)}, ((None, 5, 3),),
         tw.rnn("LSTM", 5, 3, 4, bidirectional=True), 2 * 5 * 4 * 17),
    # -- attention --------------------------------------------------------------------
    Case("mha_cross", "MultiHeadAttention", {"num_heads": 2, "key_dim": 4},
         ((None, 5, 8), (None, 7, 6)), tw.multi_head_attention(5, 7, 8, 6, 6, 2, 4, 4, 8)),
    Case("mha_value_dim_output", "MultiHeadAttention", {"num_heads": 3, "key_dim": 2,
         "value_dim": 5, "output_shape": 4, "use_bias": False},
         ((None, 4, 6), (None, 4, 6), (None, 4, 3)),
         tw.multi_head_attention(4, 4, 6, 3, 6, 3, 2, 5, 4)),
    Case("gqa", "GroupQueryAttention", {"num_query_heads": 4, "num_key_value_heads": 2,
         "head_dim": 3}, ((None, 5, 8), (None, 5, 8)), tw.group_query_attention(5, 8, 4, 2, 3)),
    Case("dot_attention", "Attention", {}, ((None, 4, 6), (None, 5, 6)),
         tw.dot_attention(4, 5, 6, 6), 3 * 4 * 5),
    Case("additive_attention", "AdditiveAttention", {}, ((None, 4, 6), (None, 5, 6)),
         tw.additive_attention(4, 5, 6), 3 * 4 * 5 + 2 * 4 * 5 * 6),
    # -- element-wise layers: no products, 0 on both sides; E by convention -----------
    Case("relu", "ReLU", {}, ((None, 4, 5),), tw.elementwise(torch.relu, (4, 5)), 20),
    Case("softmax", "Softmax", {}, ((None, 6),), tw.elementwise(lambda x: x.softmax(-1), (6,)), 18),
    Case("batch_norm", "BatchNormalization", {}, ((None, 3, 3, 4),),
         tw.elementwise(lambda x: x * 2 + 1, (3, 3, 4)), 2 * 36),
    Case("layer_norm", "LayerNormalization", {}, ((None, 5, 4),),
         tw.elementwise(lambda x: torch.nn.functional.layer_norm(x, (4,)), (5, 4)), 7 * 20),
    Case("max_pool2d", "MaxPooling2D", {"pool_size": 2}, ((None, 4, 4, 3),),
         tw.elementwise(lambda x: torch.nn.functional.max_pool2d(x, 2), (3, 4, 4)), 4 * 3 * 3),
    Case("avg_pool1d_same", "AveragePooling1D", {"pool_size": 3, "strides": 2, "padding": "same"},
         ((None, 9, 2),), tw.elementwise(lambda x: x, (2, 9)), 5 * 2 * 3),
    Case("global_avg_pool2d", "GlobalAveragePooling2D", {}, ((None, 4, 5, 3),),
         tw.elementwise(lambda x: x.mean((2, 3)), (3, 4, 5)), 3 * 20),
    Case("adaptive_max_pool1d", "AdaptiveMaxPooling1D", {"output_size": 3}, ((None, 7, 2),),
         tw.elementwise(lambda x: torch.nn.functional.adaptive_max_pool1d(x, 3), (2, 7)),
         2 * (3 + 3 + 3) - 2 * 3),
    Case("add3", "Add", {}, ((None, 4), (None, 4), (None, 4)),
         tw.elementwise(lambda x: x + x + x, (4,)), 8),
    Case("flatten", "Flatten", {}, ((None, 3, 4),),
         tw.elementwise(lambda x: x.flatten(1), (3, 4)), 0),
    Case("embedding", "Embedding", {"input_dim": 10, "output_dim": 4}, ((None, 6),),
         tw.elementwise(lambda x: x, (6,)), 0),
]  # fmt: skip


def ours(case: Case, batch: int) -> OpCost:
    rule, cost = find_rule(case.op), find_cost(case.op)
    if rule is None:
        pytest.skip(f"no shape rule for {case.op} yet: this case runs once it lands")
    assert cost is not None, f"no cost rule for {case.op}"
    call = LayerCall(case.id, case.op, case.config, case.inputs)
    return cost(CostCall(call, rule(call), batch))


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_macs_equal_flop_counter(case: Case, batch: int) -> None:
    result = ours(case, batch)
    counted = case.twin(batch)
    assert counted % 2 == 0
    assert result.macs.value == counted // 2, (
        f"{case.id}: ours {result.macs.value}, torch {counted // 2}"
    )
    for q in (result.macs, result.elementwise):
        for node in q.expr.walk():
            assert recompute(node) == node.value


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.elementwise is not None], ids=lambda c: c.id
)
def test_elementwise_follows_the_convention(case: Case) -> None:
    """What FlopCounterMode does not count: the per-element operations of the conventions."""
    assert ours(case, 2).elementwise.value == 2 * case.elementwise  # type: ignore[operator]


def test_every_cost_rule_is_checked_here() -> None:
    """Each cost rule (by function) has at least one case above, or a stated reason."""
    checked = {find_cost(c.op) for c in CASES}
    # Layers that only scale, copy or drop: no product for FlopCounterMode to count either.
    # Random augmentations: the identity at inference (test_models checks that on Keras).
    no_product = {"Rescaling", "LayerScale", "CustomScaleLayer", "PReLU", "Dropout",
                  "UpSampling2D", "Identity", "Concatenate", "RandomFlip"}  # fmt: skip
    unchecked = {op for op in known_cost_ops() if find_cost(op) not in checked} - no_product
    unchecked -= {op for op in unchecked if find_cost(op) in {find_cost(o) for o in no_product}}
    assert not unchecked, f"cost rules without a FlopCounterMode case: {sorted(unchecked)}"
