"""Standard layers called directly (direct_leaves.py) hand the tracer what their forward does.

The fast tracer calls the rule of a Conv2d, a BatchNorm2d, a ReLU... without running
torch's forward code. Each case here traces one layer both ways, with the direct call and
through its forward code, and requires the same functions reached with the very same
arguments (the same objects, the same keywords in the same order) and the same trace;
and, where the direct call applies, that it was taken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from test_symbolic_trace import _as_data
from torch import nn

import modelmath.frontends.torch_module.fast_trace as fast
from modelmath.frontends.torch_module import direct_leaves
from modelmath.frontends.torch_module.direct_leaves import NOT_DIRECT
from modelmath.frontends.torch_module.symbolic import Unsupported

Build = Callable[[], nn.Module]


def _bn_eval(cls: type[nn.Module], n: int, **kw: Any) -> Build:
    return lambda: cls(n, **kw).eval()


CASES: dict[str, tuple[Build, tuple[int, ...], bool]] = {
    # name: (layer, input shape, whether the direct call applies)
    "conv2d": (lambda: nn.Conv2d(3, 8, 3, padding=1), (1, 3, 8, 8), True),
    "conv2d_no_bias_stride": (lambda: nn.Conv2d(4, 8, 3, 2, bias=False), (2, 4, 9, 9), True),
    "conv2d_groups_dilation": (
        lambda: nn.Conv2d(4, 8, 3, padding=2, dilation=2, groups=2), (1, 4, 8, 8), True,
    ),
    "conv2d_same": (lambda: nn.Conv2d(3, 4, 3, padding="same"), (1, 3, 8, 8), True),
    "conv2d_valid": (lambda: nn.Conv2d(3, 4, 3, padding="valid"), (1, 3, 8, 8), True),
    "conv2d_reflect": (
        lambda: nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), (1, 3, 8, 8), False,
    ),
    "conv1d": (lambda: nn.Conv1d(3, 4, 5), (2, 3, 16), True),
    "conv3d": (lambda: nn.Conv3d(2, 4, 3, padding=1), (1, 2, 4, 6, 6), True),
    "linear": (lambda: nn.Linear(4, 5), (2, 4), True),
    "linear_3d_no_bias": (lambda: nn.Linear(4, 5, bias=False), (2, 3, 4), True),
    "batch_norm_2d": (_bn_eval(nn.BatchNorm2d, 3), (1, 3, 4, 4), True),
    "batch_norm_no_affine": (_bn_eval(nn.BatchNorm2d, 3, affine=False), (1, 3, 4, 4), True),
    "batch_norm_no_stats": (
        _bn_eval(nn.BatchNorm2d, 3, track_running_stats=False), (2, 3, 4, 4), True,
    ),
    "batch_norm_momentum_none": (_bn_eval(nn.BatchNorm2d, 3, momentum=None), (1, 3, 4, 4), True),
    "batch_norm_1d_2d": (_bn_eval(nn.BatchNorm1d, 4), (2, 4), True),
    "batch_norm_1d_3d": (_bn_eval(nn.BatchNorm1d, 4), (2, 4, 5), True),
    "batch_norm_3d": (_bn_eval(nn.BatchNorm3d, 2), (1, 2, 3, 4, 4), True),
    "layer_norm": (lambda: nn.LayerNorm(4), (2, 3, 4), True),
    "layer_norm_plain": (lambda: nn.LayerNorm((3, 4), elementwise_affine=False), (2, 3, 4), True),
    "layer_norm_no_bias": (lambda: nn.LayerNorm(4, bias=False), (2, 4), True),
    "relu": (lambda: nn.ReLU(), (2, 4), True),
    "relu_inplace": (lambda: nn.ReLU(inplace=True), (2, 4), True),
    "silu": (lambda: nn.SiLU(), (2, 4), True),
    "gelu": (lambda: nn.GELU(), (2, 4), True),
    "gelu_tanh": (lambda: nn.GELU("tanh"), (2, 4), True),
    "tanh": (lambda: nn.Tanh(), (2, 4), True),
    "sigmoid": (lambda: nn.Sigmoid(), (2, 4), True),
    "dropout": (lambda: nn.Dropout(0.25), (2, 4), True),
    "max_pool2d": (lambda: nn.MaxPool2d(3, 2, 1), (1, 3, 9, 9), True),
    "max_pool2d_ceil_dilated": (
        lambda: nn.MaxPool2d(2, 2, dilation=2, ceil_mode=True), (1, 3, 9, 9), True,
    ),
    "max_pool2d_indices": (lambda: nn.MaxPool2d(2, return_indices=True), (1, 3, 8, 8), False),
    "adaptive_avg_pool2d": (lambda: nn.AdaptiveAvgPool2d(1), (1, 3, 7, 7), True),
    "adaptive_avg_pool2d_none": (lambda: nn.AdaptiveAvgPool2d((None, 2)), (1, 3, 7, 7), True),
    "softmax": (lambda: nn.Softmax(dim=-1), (2, 4), True),
    "softmax_dim1": (lambda: nn.Softmax(dim=1), (2, 4, 3), True),
}
EMBEDDINGS: dict[str, Build] = {
    "embedding": lambda: nn.Embedding(10, 4),
    "embedding_padding": lambda: nn.Embedding(10, 4, padding_idx=1),
    "embedding_scaled": lambda: nn.Embedding(10, 4, scale_grad_by_freq=True),
}


def _traced(
    model: nn.Module,
    x: torch.Tensor,
    direct: bool,
    monkeypatch: pytest.MonkeyPatch,
    train: bool = False,
) -> tuple[Any, list[tuple[Any, ...]], int]:
    """The trace, every (func, args, kwargs) the tracer's rules were given, and how many
    direct calls were answered."""
    seen: list[tuple[Any, ...]] = []
    taken = [0]
    call = fast.FastTracer.call

    def spy(self: Any, func: Any, args: Any, kwargs: Any) -> Any:
        seen.append((func, tuple(args), tuple(kwargs.items())))
        return call(self, func, args, kwargs)

    def counted(cls: type) -> Any:
        found = direct_leaves.direct_call(cls) if direct else None
        if found is None:
            return None

        def run(m: Any, x: Any, c: Any) -> Any:
            out = found(m, x, c)
            taken[0] += out is not NOT_DIRECT
            return out

        return run

    with monkeypatch.context() as patch:
        patch.setattr(fast.FastTracer, "call", spy)
        patch.setattr(fast, "direct_call", counted)
        traced = fast.fast_trace(nn.Sequential(model), [x], {}, train=train)
    return traced, seen, taken[0]


def _same_calls(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> bool:
    """The same functions with the same arguments: tensors (the copy's, which differ
    between the two traces) by their shape and class, anything else by value and type."""

    def norm(v: Any) -> Any:
        if type(v).__name__ in ("SymTensor", "SymParameter"):
            return (type(v).__name__, v._shape, v._stride, v.dtype)
        return (type(v), v)

    def flat(calls: list[tuple[Any, ...]]) -> list[Any]:
        return [
            (f, [norm(v) for v in args], [(k, norm(v)) for k, v in kw]) for f, args, kw in calls
        ]

    return flat(a) == flat(b)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_direct_call_gives_the_rule_what_the_forward_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build, shape, applies = CASES[name]
    torch.manual_seed(0)
    x = torch.empty(shape, device="meta")
    direct, direct_seen, taken = _traced(build(), x, True, monkeypatch)
    forward, forward_seen, _ = _traced(build(), x, False, monkeypatch)
    assert _same_calls(direct_seen, forward_seen), (direct_seen, forward_seen)
    assert _as_data(direct) == _as_data(forward)
    assert taken == (1 if applies else 0)


@pytest.mark.parametrize("name", sorted(EMBEDDINGS))
def test_a_direct_embedding_gives_the_rule_what_the_forward_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = torch.zeros(2, 5, dtype=torch.long, device="meta")
    direct, direct_seen, taken = _traced(EMBEDDINGS[name](), ids, True, monkeypatch)
    forward, forward_seen, _ = _traced(EMBEDDINGS[name](), ids, False, monkeypatch)
    assert _same_calls(direct_seen, forward_seen)
    assert _as_data(direct) == _as_data(forward)
    assert taken == 1


def test_layers_in_training_or_subclassed_run_their_forward_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class MyConv(nn.Conv2d):  # may replace forward: never called directly
        pass

    x = torch.empty(1, 3, 8, 8, device="meta")
    *_, taken = _traced(MyConv(3, 4, 3), x, True, monkeypatch)
    assert taken == 0
    # Traced in training mode, its forward also counts the batch in a buffer.
    training, training_seen, taken = _traced(nn.BatchNorm2d(3), x, True, monkeypatch, True)
    assert taken == 0
    forward, forward_seen, _ = _traced(nn.BatchNorm2d(3), x, False, monkeypatch, True)
    assert _same_calls(training_seen, forward_seen)
    assert _as_data(training) == _as_data(forward)


@pytest.mark.parametrize(
    "build",
    [lambda: nn.Embedding(10, 4, max_norm=2.0), lambda: nn.Embedding(10, 4, sparse=True)],
    ids=["max_norm", "sparse"],
)
def test_a_case_the_rule_refuses_is_refused_called_directly_too(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = torch.zeros(2, 5, dtype=torch.long, device="meta")
    for direct in (True, False):
        with pytest.raises(Unsupported):
            _traced(build(), ids, direct, monkeypatch)


HELD = ("weight", "bias", "running_mean", "running_var")


@pytest.mark.parametrize("cls", sorted(direct_leaves._DIRECT, key=lambda c: c.__name__))
def test_direct_layers_hold_their_tensors_where_held_reads_them(cls: type[nn.Module]) -> None:
    # held() skips the class in Python's attribute lookup: a class attribute of one of
    # these names (a property, say) would be what `m.weight` gives instead.
    assert not [n for n in HELD if any(n in k.__dict__ for k in cls.__mro__)]


def test_held_reads_what_getattr_reads() -> None:
    bn = nn.BatchNorm2d(3)
    bn.__dict__["eps_copy"] = 1.0  # an instance attribute: found first, as getattr finds it
    for name in (*HELD, "num_batches_tracked", "eps_copy"):
        assert direct_leaves.held(bn, name) is getattr(bn, name)
    seq = nn.Sequential(nn.ReLU())
    assert direct_leaves.held(seq, "0") is seq[0]
    with pytest.raises(AttributeError, match="no_such"):
        direct_leaves.held(seq, "no_such")
