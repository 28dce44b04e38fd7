"""The tracer's shortcuts give what torch gives.

To be fast, the tracer replays a meta op's result for a repeated call with the same input
metadata, computes a few ops' meta results itself (batch norm, pointwise ops of one
standard layout) and copies the module tree without ``copy.deepcopy``'s walk. Each is
checked here against torch doing the work itself.
"""

from __future__ import annotations

import copy
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from torch import nn

import modelmath
from modelmath.frontends.torch_module import trace, tracer
from modelmath.frontends.torch_module.meta_copy import meta_copy
from modelmath.frontends.torch_module.symbolic import Unsupported
from modelmath.torch_analysis import summarize

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from corpus import CORPUS
from torch_checks import check_module, real_calls

aten = torch.ops.aten


def _meta(t: torch.Tensor) -> tuple[Any, ...]:
    return tuple(t.shape), t.stride(), t.dtype


def _layouts() -> Iterator[tuple[tuple[int, ...], torch.dtype, bool]]:
    for shape in [(2, 8, 5, 5), (1, 8, 1, 1), (2, 8), (2, 8, 7), (1, 8, 3, 4, 5), (3, 8, 0, 2)]:
        for dtype in (torch.float32, torch.float16, torch.bfloat16, torch.float64):
            for channels_last in (False, True):
                if channels_last and len(shape) != 4:
                    continue
                yield shape, dtype, channels_last


def _tensor(shape: tuple[int, ...], dtype: torch.dtype, channels_last: bool) -> torch.Tensor:
    x = torch.empty(shape, dtype=dtype, device="meta")
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("stats_dtype", ["same", "float32", "none"])
def test_batch_norm_shortcut_equals_torch(training: bool, stats_dtype: str) -> None:
    checked = 0
    for shape, dtype, channels_last in _layouts():
        x = _tensor(shape, dtype, channels_last)
        w_dtype = dtype if stats_dtype == "same" else torch.float32
        w = None if stats_dtype == "none" else torch.empty(8, dtype=w_dtype, device="meta")
        args = (x, w, w, w, w, training, 0.1, 1e-5)
        fast = tracer._batch_norm_meta(args, {})
        try:
            real = aten.native_batch_norm.default(*args)
        except Exception:
            assert fast is None, (shape, dtype)  # torch refuses it: so must the shortcut
            continue
        if fast is None:  # the shortcut may leave a case to torch, never answer it wrongly
            continue
        assert [_meta(t) for t in fast] == [_meta(t) for t in real], (shape, dtype)
        checked += 1
    assert checked >= 20 or (stats_dtype == "none" and not training)


def test_batch_norm_shortcut_declines_odd_inputs() -> None:
    x = torch.empty(2, 8, 5, 5, device="meta")[:, :, ::2]  # not dense
    w = torch.empty(8, device="meta")
    assert tracer._batch_norm_meta((x, w, w, w, w, False, 0.1, 1e-5), {}) is None
    wrong = torch.empty(4, device="meta")  # channel count differs: torch must raise
    x = torch.empty(2, 8, 5, 5, device="meta")
    assert tracer._batch_norm_meta((x, wrong, w, w, w, False, 0.1, 1e-5), {}) is None


POINTWISE = [
    (aten.add.Tensor, 2), (aten.sub.Tensor, 2), (aten.mul.Tensor, 2), (aten.relu.default, 1),
    (aten.gelu.default, 1), (aten.silu.default, 1), (aten.sigmoid.default, 1),
    (aten.tanh.default, 1), (aten.hardtanh.default, 1), (aten.hardswish.default, 1),
]  # fmt: skip


@pytest.mark.parametrize("op, arity", POINTWISE, ids=[str(op) for op, _ in POINTWISE])
def test_pointwise_shortcut_equals_torch(op: Any, arity: int) -> None:
    checked = 0
    for shape, dtype, channels_last in _layouts():
        x = _tensor(shape, dtype, channels_last)
        args = (x,) * arity
        fast = tracer._elementwise_meta(args, {})
        if fast is not None:
            assert _meta(fast) == _meta(op(*args)), (shape, dtype, channels_last)
            checked += 1
    assert checked > 20


def test_pointwise_shortcut_declines_mixed_operands() -> None:
    a = torch.empty(2, 3, device="meta")
    for b in (
        torch.empty(3, device="meta"),  # broadcast
        torch.empty(2, 3, dtype=torch.float16, device="meta"),  # promotion
        torch.empty(3, 2, device="meta").t(),  # another layout
        torch.empty(2, 3, dtype=torch.long, device="meta"),
    ):
        assert tracer._elementwise_meta((a, b), {}) is None
    assert (
        tracer._elementwise_meta((torch.empty(2, 3, dtype=torch.long, device="meta"),), {}) is None
    )


def _contraction(func: Any) -> str | None:
    name: str = func.overloadpacket.__name__
    return name if name in tracer._CONTRACTIONS else None


REPLAYED = ["resnet_bottleneck", "gpt_tied", "vit_torch_encoder", "swin_windows", "unet",
            "lstm_tagger", "mobilenet_v2", "bert_encoder", "mixture_of_experts"]  # fmt: skip


def _summaries(names: list[str]) -> dict[str, Any]:
    out = {}
    for name in names:
        torch.manual_seed(0)
        model, inputs = CORPUS[name]()
        s = modelmath.summary(model, input_data=inputs)
        out[name] = (s.to_json(), str(s))
    return out


def test_shortcuts_change_no_number(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _summaries(REPLAYED)
    monkeypatch.setattr(tracer, "_op_kind", lambda func: (tracer._NEVER, _contraction(func)))
    monkeypatch.setattr(tracer, "_FAST", {})
    slow = _summaries(REPLAYED)
    for name in REPLAYED:
        assert fast[name] == slow[name], name


class Reshaper(nn.Module):
    """In-place ops that change their tensor's shape must never be replayed as no-ops."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = x.clone()
        a.unsqueeze_(0)
        b = x.clone()
        b.unsqueeze_(0)  # the same op on the same metadata again
        b.add_(1.0)
        b.add_(1.0)
        return torch.cat([a, b])


def test_shape_changing_inplace_ops_run_each_time() -> None:
    s = modelmath.summary(Reshaper(), input_size=(3, 4))
    assert s.rows[0].outputs == (2, 3, 4)


class Remembers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.seen: list[tuple[int, ...]] = []
        self.calls = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(tuple(x.shape))
        self.calls += 1
        return self.lin(x)


class OwnCopy(nn.Linear):
    copied = 0

    def __deepcopy__(self, memo: dict[int, Any]) -> OwnCopy:
        OwnCopy.copied += 1
        new = OwnCopy(self.in_features, self.out_features, device="meta")
        memo[id(self)] = new
        return new


def test_meta_copy_leaves_the_model_alone() -> None:
    model = nn.Sequential(Remembers(), OwnCopy(4, 2))
    model[0].seen.append((0,))
    hook_calls: list[int] = []
    model.register_forward_hook(lambda *a: hook_calls.append(1))
    weight = model[0].lin.weight
    before = {k: v.clone() for k, v in model.state_dict().items()}
    s = summarize(trace(model, input_size=(2, 4), tracer="meta"))
    assert s.totals.params.value == 20 + 10
    assert model[0].seen == [(0,)] and model[0].calls == 0  # the copy's list was a copy
    assert model[0].lin.weight is weight and weight.device.type == "cpu"
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert OwnCopy.copied == 1  # a class with its own __deepcopy__ is copied by it
    assert hook_calls == [1]  # copied with the module, as deepcopy copies it: ran once
    assert len(model._forward_hooks) == 1
    # The symbolic tracer's light copy leaves it alone too, and runs the hook once.
    traced = trace(model, input_size=(2, 4), tracer="symbolic")
    assert traced.traced_by == "symbolic" and hook_calls == [1, 1]
    assert model[0].seen == [(0,)] and model[0].calls == 0 and OwnCopy.copied == 1
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_meta_copy_keeps_sharing_and_flags() -> None:
    emb = nn.Embedding(10, 4)
    head = nn.Linear(4, 10, bias=False)
    head.weight = emb.weight
    frozen = nn.Linear(4, 4)
    frozen.requires_grad_(False)
    model = nn.ModuleDict({"emb": emb, "head": head, "frozen": frozen, "again": frozen})
    copied = meta_copy(model)
    assert copied["head"].weight is copied["emb"].weight
    assert copied["again"] is copied["frozen"]
    assert not copied["frozen"].weight.requires_grad
    assert all(p.device.type == "meta" for p in copied.parameters())
    assert type(copied["emb"]) is nn.Embedding and copied["emb"].num_embeddings == 10
    reference = copy.deepcopy(model)
    assert [n for n, _ in copied.named_parameters()] == [n for n, _ in reference.named_parameters()]


class ByWidth(nn.Module):
    """Runs one layer once per width in a set attribute, in the set's order, as
    transformers runs its rotary embedding once per layer type in ``set(layer_types)``."""

    def __init__(self) -> None:
        super().__init__()
        # 3 and 11 share a slot of a small set's table; built in this order, the set
        # iterates 11 first, and copy.deepcopy's re-inserting swaps them.
        self.widths = {3, 11}
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        return [self.act(x[..., :w].contiguous()) for w in self.widths]


@pytest.mark.parametrize("tracer", ["symbolic", "meta"])
def test_copies_iterate_set_attributes_in_the_original_order(tracer: str) -> None:
    model = ByWidth()
    assert list(copy.deepcopy(model.widths)) != list(model.widths)  # the trap is real
    assert list(meta_copy(model).widths) == list(model.widths)
    check_module(model, [torch.randn(2, 11)])  # each call's shapes, in the real order
    traced = trace(model, input_size=(2, 11), tracer=tracer)
    assert traced.traced_by == tracer
    assert [c.outputs.shape for c in traced.root.children] == [(2, 11), (2, 3)]


class TwoOrders(nn.Module):
    """Two blocks alike but for the order their equal sets iterate in ({3, 11} built in
    two orders): the second is not a replay of the first."""

    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = ByWidth(), ByWidth()
        self.b.widths = {11, 3}  # 11 in first: iterates 3 first, where {3, 11} gives 11

    def forward(self, x: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        return self.a(x), self.b(x)


def test_sets_iterating_apart_make_blocks_unalike() -> None:
    model = TwoOrders()
    assert model.a.widths == model.b.widths and list(model.a.widths) != list(model.b.widths)
    check_module(model, [torch.randn(2, 11)])
    assert trace(model, input_size=(2, 11), tracer="symbolic").traced_by == "symbolic"
    fast = [(c.path, c.outputs.shape) for c in trace(model, input_size=(2, 11)).root.walk()
            if c.op == "ReLU"]  # fmt: skip
    assert fast == [(c.path, c.outputs.shape)
                    for c in trace(model, input_size=(2, 11), tracer="meta").root.walk()
                    if c.op == "ReLU"]  # fmt: skip


def test_only_strided_meta_tensors_are_described() -> None:
    indices = torch.empty(2, 0, dtype=torch.long, device="meta")
    with warnings.catch_warnings():  # torch warns once per process about invariant checks
        warnings.simplefilter("ignore")
        sparse = torch.sparse_coo_tensor(indices, torch.empty(0, device="meta"), (3, 4))
    assert tracer._key(sparse) is None and tracer._spec(sparse) is None
    assert tracer._key(torch.empty(3, 4)) is None  # a real tensor is never replayed
    assert tracer._key(torch.empty(3, 4, device="meta")) is not None
    assert tracer._key((1, 1.0)) != tracer._key((1, 1))  # an int is not a float


class ByRepr(nn.Module):
    """Keeps as many features as its setting's repr has characters: forward code that
    tells ``1`` from ``True`` or ``1.0``, and ``0.0`` from ``-0.0``, which ``==`` merges."""

    def __init__(self, setting: Any) -> None:
        super().__init__()
        self.setting = setting
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(x[..., : len(repr(self.setting))].contiguous())


class Pair(nn.Module):
    def __init__(self, first: Any, second: Any) -> None:
        super().__init__()
        self.a, self.b = ByRepr(first), ByRepr(second)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.a(x), self.b(x)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (1, True),
        (1, 1.0),
        (0.0, -0.0),
        (1, 1 + 0j),
        ((1, 1), (True, True)),
        ((0.0,), (-0.0,)),
        ([1], [1.0]),
        ({"k": 1}, {"k": True}),
    ],
    ids=repr,
)
def test_settings_equal_only_by_eq_make_blocks_unalike(first: Any, second: Any) -> None:
    """Modules whose settings are == but not the same value (1 and True, 0.0 and -0.0, in
    a tuple, a list, a dict) are not replays of each other: each gets its own record."""
    model = Pair(first, second)
    assert first == second and repr(first) != repr(second)  # the trap is real
    check_module(model, [torch.randn(2, 16)])
    traced = trace(model, input_size=(2, 16), tracer="symbolic")
    assert [c.outputs.shape for c in traced.root.children] == [
        (2, len(repr(first))),
        (2, len(repr(second))),
    ]


class ByArgument(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor, scale: float) -> torch.Tensor:
        return self.act(x[..., : len(repr(scale))].contiguous())


class TwoScales(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = ByArgument(), ByArgument()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.a(x, 0.0), self.b(x, -0.0)


def test_calls_given_zero_and_minus_zero_are_not_alike() -> None:
    model = TwoScales()
    check_module(model, [torch.randn(2, 16)])
    traced = trace(model, input_size=(2, 16), tracer="symbolic")
    assert [c.outputs.shape for c in traced.root.children] == [(2, 3), (2, 4)]


class Counts(nn.Module):
    """Keeps one more feature at each call: its state changes in its own forward."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return self.act(x[..., : self.calls].contiguous())


class Caches(nn.Module):
    """Remembers its first input in a dictionary and joins it to the later ones."""

    def __init__(self) -> None:
        super().__init__()
        self.cache: dict[str, torch.Tensor] = {}
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if "x" in self.cache:
            x = torch.cat([self.cache["x"], x], -1)
        else:
            self.cache["x"] = x
        return self.act(x)


class Widens(nn.Module):
    """Grows a buffer when its input is wider than the buffer (as older rotary
    embeddings grow their cached tables)."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("table", torch.zeros(2))
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor, width: int) -> torch.Tensor:
        if width > self.table.shape[0]:
            self.table = torch.zeros(width, device=x.device)
        return self.act(x[..., : self.table.shape[0]].contiguous())


class Writes(nn.Module):
    """Parents writing into their children before calling them: a flag set and put back
    around one call, a setting changed for good."""

    def __init__(self) -> None:
        super().__init__()
        self.counts = Counts()
        self.caches = Caches()
        self.widens = Widens()
        self.a, self.b, self.c = ByRepr(1), ByRepr(1), ByRepr(1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = [self.counts(x), self.counts(x), self.counts(x)]
        out += [self.caches(x), self.caches(x)]
        out += [self.widens(x, 1), self.widens(x, 4), self.widens(x, 1)]
        self.a.setting = 1.5  # put back after the call: the record was made as 1.5
        out.append(self.a(x))
        self.a.setting = 1
        out.append(self.b(x))  # as the copy made it: not a replay of a's call
        self.c.setting = "a longer setting"  # changed before its call, for good
        out.append(self.c(x))
        return tuple(out)


def test_modules_whose_state_forward_code_changes_are_not_replayed() -> None:
    """A module is alike another (or its own earlier call) only while its state is as the
    copy made it: forward code writing to a module (a counter, a cache, a buffer grown, a
    flag set from outside) makes its later calls run again, each as PyTorch runs it."""
    # Each oracle runs a fresh model: the real pass writes into the one it runs.
    expected = [tuple(o.shape) for o in Writes()(torch.randn(2, 24))]
    assert expected[:4] == [(2, 1), (2, 2), (2, 3), (2, 24)]  # the traps are real
    model = Writes()
    traced = trace(model, input_size=(2, 24), tracer="symbolic")
    assert traced.traced_by == "symbolic"
    assert [c.outputs.shape for c in traced.root.children] == expected
    s = modelmath.summary(model, input_size=(2, 24))
    assert [(r.path, r.outputs) for r in s.rows if r.called] == real_calls(
        Writes(), [torch.randn(2, 24)]
    )
    assert model.counts.calls == 0 and not model.caches.cache  # the model is untouched


class Placed(nn.Module):
    def forward(self, x: torch.Tensor, device: Any = None, dtype: Any = None) -> torch.Tensor:
        return x.to(device=device, dtype=dtype)


class PassesItsDevice(nn.Module):
    """Gives a child its input's device by keyword, as RT-DETR's encoder gives its
    position embedding."""

    def __init__(self) -> None:
        super().__init__()
        self.placed = Placed()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.placed(x, device=x.device, dtype=x.dtype)


def test_a_device_given_by_keyword_is_written_alike_by_both_tracers() -> None:
    """The symbolic tracer's tensors report meta under an index of their own: the device
    a call is given is written as the meta tracer writes it."""
    model = PassesItsDevice()
    fast = trace(model, input_size=(2, 3), tracer="symbolic")
    general = trace(model, input_size=(2, 3), tracer="meta")
    assert fast.traced_by == "symbolic"
    options = [c.options for c in fast.root.walk()]
    assert options == [c.options for c in general.root.walk()]
    assert options[1]["device"] == "device(type='meta')"


class RegistersHooks(nn.Module):
    """Registers a hook on its child at its first call (as transformers installs the
    hooks that record the outputs asked for)."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.outputs: list[Any] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.lin._forward_hooks:
            self.lin.register_forward_hook(lambda mod, args, out: self.outputs.append(out))
        return self.lin(x)


def test_hooks_forward_code_registers_never_reach_the_model() -> None:
    model = RegistersHooks()
    with pytest.raises(Unsupported):
        trace(model, input_size=(2, 4), tracer="symbolic")
    assert not model.lin._forward_hooks and not model._forward_hooks  # the model's own
    s = modelmath.summary(model, input_size=(2, 4))
    assert not model.lin._forward_hooks
    expected = real_calls(RegistersHooks(), [torch.randn(2, 4)])
    assert [(r.path, r.outputs) for r in s.rows] == expected
