"""The fast (symbolic) tracer records exactly what the general (meta) tracer records.

For every architecture of the corpus the symbolic tracer either refuses the model
(``Unsupported``: ``trace`` then falls back to the meta tracer) or gives the same trace:
the same calls with the same shapes, settings, functional calls and contractions, the
same parameters and buffers. The CNNs it exists for must not be refused, and the user's
model must come out as it went in.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import sys
from types import SimpleNamespace
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from corpus import CORPUS
from torch import nn

import modelmath
from modelmath.errors import UsageError
from modelmath.frontends.torch_module import trace
from modelmath.frontends.torch_module.fast_trace import FastTracer
from modelmath.frontends.torch_module.records import ModuleCall, ModuleTrace
from modelmath.frontends.torch_module.symbolic import SymParameter, SymTensor, Unsupported

# Architectures the symbolic tracer must run itself (it exists to make these fast).
SYMBOLIC = {
    "resnet_basic", "resnet_bottleneck", "vgg", "mobilenet_v2", "efficientnet", "unet",
    "inception", "dense_block", "conv_transpose_autoencoder", "conv_transpose_1d_3d",
    "frozen_backbone", "functional_params", "gpt_tied", "vit", "vit_torch_encoder",
    "torch_transformer", "conv3d_video", "siamese_bilinear", "lstm_tagger", "lstm_projection",
    "gru_seq2seq", "rnn_cells", "super_resolution", "conv1d_audio", "norm_zoo",
    "embedding_bag_classifier", "mixture_of_experts", "convnext_block", "mlp_mixer",
    "activation_zoo", "pooling_zoo", "swin_windows",
}  # fmt: skip


def _plain(call: ModuleCall, ids: dict[int, int]) -> dict[str, Any]:
    """A call as data, its module's id replaced by the order of first appearance (the
    two tracers copy the model differently, so the ids themselves differ); only what
    equality compares (``replay_of`` says how the symbolic tracer made it)."""
    out = {f.name: getattr(call, f.name) for f in dataclasses.fields(call) if f.compare}
    out["module_id"] = ids.setdefault(call.module_id, len(ids))
    out["children"] = [_plain(c, ids) for c in call.children]
    return out


def _as_data(t: ModuleTrace) -> dict[str, Any]:
    ids: dict[int, int] = {}
    return {
        "root": _plain(t.root, ids),
        "uncalled": [_plain(c, ids) for c in t.uncalled],
        "parameters": t.parameters,
        "buffers": t.buffers,
        "inputs": t.inputs,
        "model_name": t.model_name,
    }


def _state(model: nn.Module) -> list[Any]:
    """What the trace must not change: every module's attributes, flags and tensors."""
    out: list[Any] = []
    for name, m in model.named_modules():
        out.append((name, m.training, sorted(m.__dict__)))
        out.extend((name, k, id(v)) for k, v in m.__dict__.items() if not isinstance(v, dict))
        for store in ("_parameters", "_buffers", "_modules"):
            out.extend((name, store, k, id(v)) for k, v in getattr(m, store).items())
    out.extend((n, p.device.type, p.requires_grad, p.sum().item()) for n, p in
               model.named_parameters())  # fmt: skip
    out.extend((n, b.device.type, b.float().sum().item()) for n, b in model.named_buffers())
    return out


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_symbolic_trace_equals_meta_trace(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    before = _state(model)
    try:
        fast = trace(model, input_data=inputs, tracer="symbolic")
    except Unsupported:
        assert name not in SYMBOLIC, f"{name} fell back to the meta tracer"
        return
    except Exception as err:  # the forward code met something a SymTensor lacks
        assert name not in SYMBOLIC, f"{name}: {type(err).__name__}: {err}"
        return
    assert _state(model) == before, "the symbolic trace changed the user's model"
    assert fast.traced_by == "symbolic"
    general = trace(model, input_data=inputs, tracer="meta")
    assert general.traced_by == "meta"
    assert _as_data(fast) == _as_data(general)


@pytest.mark.parametrize("name", ["resnet_bottleneck", "mobilenet_v2", "unet"])
def test_summaries_are_the_same_text(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    from modelmath.torch_analysis import summarize

    fast = summarize(trace(model, input_data=inputs, tracer="symbolic"))
    general = summarize(trace(model, input_data=inputs, tracer="meta"))
    assert str(fast) == str(general)
    assert fast.to_json() == general.to_json()


def test_training_mode_and_the_model_left_in_its_mode() -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS["resnet_basic"]()
    model.train()
    fast = trace(model, input_data=inputs, tracer="symbolic", train=True)
    general = trace(model, input_data=inputs, tracer="meta", train=True)
    assert _as_data(fast) == _as_data(general)
    assert all(m.training for m in model.modules())
    model.eval()
    trace(model, input_data=inputs, tracer="symbolic", train=True)
    assert not any(m.training for m in model.modules())


class _Holder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.inner = nn.Linear(4, 4)
        self.config = SimpleNamespace(scale=2.0)  # not plain data: the copy cannot share it

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x) * self.config.scale


class _ItemReader(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x) * float(x.shape[-1])


def _hooked() -> nn.Module:
    m = nn.Sequential(nn.Linear(4, 4), nn.ReLU())
    m[0].register_forward_pre_hook(lambda mod, i: None)  # may change the inputs: refused
    return m


@pytest.mark.parametrize("make", [_Holder, _hooked])
def test_what_the_symbolic_tracer_refuses_goes_to_the_meta_tracer(make: Any) -> None:
    model = make()
    with pytest.raises(Unsupported):
        trace(model, input_size=(2, 4), tracer="symbolic")
    auto = trace(model, input_size=(2, 4))
    assert auto.traced_by == "meta"
    assert _as_data(auto) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))


def test_forward_code_reading_shapes_as_numbers_is_fine() -> None:
    model = _ItemReader()
    t = trace(model, input_size=(2, 4))
    assert t.traced_by == "symbolic"
    assert _as_data(t) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))


def test_a_failing_forward_pass_is_explained_by_the_meta_tracer() -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.Linear(7, 2))
    with pytest.raises(UsageError, match="in_features=8"):
        modelmath.summary(model, input_size=(1, 4))


def test_the_matmul_operator_is_recorded_under_torchs_name() -> None:
    """``a @ b`` reaches torch's function mode as ``Tensor.matmul``: both tracers say so."""

    class Scores(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return (x @ x.transpose(-1, -2)) @ x

    fast = trace(Scores(), input_size=(2, 3, 4), tracer="symbolic")
    slow = trace(Scores(), input_size=(2, 3, 4), tracer="meta")
    assert [f.name for f in fast.root.functions] == [f.name for f in slow.root.functions]
    assert [f.name for f in fast.root.functions].count("Tensor.matmul") == 2


_NUMBER_SLOTS = """
import torch
from torch import nn
from modelmath.frontends.torch_module import trace

class Gelu(nn.Module):  # the tanh GELU as GPT-2 writes it
    def forward(self, x):
        return 0.5 * x * (1.0 + torch.tanh(0.79788456 * (x + 0.044715 * torch.pow(x, 3.0))))

class Clipped(nn.Module):
    def forward(self, x):
        return torch.where(x > 0, x, -1.0) + torch.clamp(x, min=0.0)

for model in (Gelu(), Clipped()):
    fast = trace(model, input_size=(2, 3))
    slow = trace(model, input_size=(2, 3), tracer="meta")
    assert fast.root.outputs == slow.root.outputs, (fast, slow)
    assert fast.root.functions == slow.root.functions, (fast, slow)
# The GELU's forward makes no type test itself: the parser's question is answered with
# the true class, and the trace stays symbolic.
assert trace(Gelu(), input_size=(2, 3), tracer="symbolic").traced_by == "symbolic"
print("done")
"""


def test_a_traced_tensor_in_a_number_slot_of_torch_s_parser_does_not_crash() -> None:
    """``torch.pow(x, 3.0)`` tries ``pow(Scalar, Tensor)`` first: torch's argument parser
    asks whether x is a tensor, and had the SymTensor said yes, it would have read it as
    one and crashed the process (it did). Run in a child process, so that a crash is a
    failure of this test, not of the test run."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _NUMBER_SLOTS], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "done"


class _AsksTensor(nn.Module):
    """Forward code that tests whether its input is a tensor: a SymTensor must not answer
    (yes would be read as a real tensor by torch's parser, no takes the other branch)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2 if isinstance(x, torch.Tensor) else x


class _AsksAndPows(nn.Module):
    """A type test on another value in the same code as ``torch.pow(x, 3.0)``: the parser's
    question cannot be told from the code's own, so both are refused."""

    def forward(self, x: torch.Tensor, scale: Any = 2) -> torch.Tensor:
        factor = float(scale) if isinstance(scale, int) else 1.0
        return torch.pow(x, 3.0) * factor


class _MatchesClass(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        match x:
            case torch.Tensor():
                return torch.pow(x, 3.0)
            case _:
                return x


class _IsTensor(nn.Module):
    """``torch.is_tensor`` asks only whether its argument is a tensor: a SymTensor is."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2 if torch.is_tensor(x) else x[:1]


def test_torch_is_tensor_is_answered_as_for_a_real_tensor() -> None:
    fast = trace(_IsTensor(), input_size=(2, 4), tracer="symbolic")
    assert fast.root.outputs.shape == (2, 4)
    assert _as_data(fast) == _as_data(trace(_IsTensor(), input_size=(2, 4), tracer="meta"))


class _KeepsTensors(nn.Module):
    """Forward code that sets a tensor as an attribute (Module.__setattr__ asks whether it
    is a Parameter, a Module, a tensor) and asks isinstance(p, nn.Parameter) of one."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.last = self.lin(x)
        if isinstance(self.lin.weight, nn.Parameter) and not isinstance(x, nn.Parameter):
            return self.last * 2
        return self.last[:1]


def test_torch_s_own_type_tests_of_a_module_are_answered_as_for_real_tensors() -> None:
    model = _KeepsTensors()
    fast = trace(model, input_size=(2, 4), tracer="symbolic")
    assert fast.root.outputs.shape == (2, 4) and "last" not in vars(model)
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))


class _Transposes(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        column = x[0].T.unsqueeze(0).T  # a 1-d view (the same axes), then a 2-d one
        return x.T @ (x @ column)


@pytest.mark.filterwarnings("ignore:The use of `x.T` on tensors")  # torch's, for the 1-d one
def test_the_T_view_is_the_axes_reversed() -> None:
    fast = trace(_Transposes(), input_size=(3, 4), tracer="symbolic")
    assert fast.root.outputs.shape == (4, 1)
    assert _as_data(fast) == _as_data(trace(_Transposes(), input_size=(3, 4), tracer="meta"))
    with pytest.raises(Unsupported):
        SymTensor((2, 3, 4), torch.float32).T  # noqa: B018  (deprecated by torch beyond 2-d)


@functools.lru_cache(maxsize=8)
def _cached_positions(n: int, device: torch.device) -> torch.Tensor:
    """Model code's global cache, by size and device (as transformers caches positions)."""
    return torch.arange(n, device=device, dtype=torch.float32)


class _CachesPositions(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # airy_ai has no symbolic rule: the symbolic tracer gives up after filling the cache
        return torch.special.airy_ai(x + _cached_positions(x.shape[-1], x.device))


def test_a_global_cache_filled_by_the_symbolic_trace_serves_no_other_pass() -> None:
    """Traced tensors are on a device of their own (meta:1): a cache keyed by device keeps
    them apart from the meta pass that follows, and from the user's own meta runs."""
    _cached_positions.cache_clear()
    traced = trace(_CachesPositions(), input_size=(2, 5))
    assert traced.traced_by == "meta" and traced.root.outputs.shape == (2, 5)
    assert type(_cached_positions(5, torch.device("meta"))) is torch.Tensor
    _cached_positions.cache_clear()


def test_a_traced_tensor_kept_past_its_trace_acts_as_the_meta_tensor_it_stands_for() -> None:
    kept = SymTensor((2, 4, 3), torch.float32, (12, 1, 4))  # a transposed layout
    got = torch.add(kept, 1).unsqueeze(0)  # outside any trace: a function, then a method
    assert type(got) is torch.Tensor and got.device.type == "meta"
    assert got.shape == (1, 2, 4, 3)
    meta = torch.empty_strided((2, 4, 3), (12, 1, 4), device="meta")
    assert kept.unsqueeze(0).stride() == meta.unsqueeze(0).stride()


class _Cache:
    """An object of a model's own, with Python's default repr (its address)."""


class _TakesCache(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor, cache: Any = None) -> torch.Tensor:
        return self.lin(x)


class _PassesCache(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.inner = _TakesCache()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x, cache=_Cache())  # a new object at every pass


def test_an_object_passed_as_an_option_is_recorded_without_its_address() -> None:
    model = _PassesCache()
    fast = trace(model, input_size=(2, 4), tracer="symbolic")
    assert fast.root.children[0].options == {"cache": "<_Cache object>"}
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))


class _Layers:
    """A cache whose repr lists its layers, some with Python's default repr (Nemotron-H's
    DynamicCache and its DummyLayer)."""

    def __init__(self) -> None:
        self.layers = [_Cache(), "dense"]

    def __repr__(self) -> str:
        return f"_Layers({self.layers!r})"


class _PassesLayers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.takes = _TakesCache()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.takes(x, cache=_Layers())


def test_addresses_inside_an_option_s_repr_are_left_out() -> None:
    model = _PassesLayers()
    fast = trace(model, input_size=(2, 4), tracer="symbolic")
    cache = fast.root.children[0].options["cache"]
    assert cache.startswith("_Layers([<") and " object>, 'dense'])" in cache
    assert "0x" not in cache
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))


class _Inner(nn.Module):
    def forward(self, x: torch.Tensor, states: Any = None) -> torch.Tensor:
        return x + states["k"]


class _PassesStates(nn.Module):
    """A keyword argument that is a dictionary of tensors (Gemma 4's shared key/value
    states): its record is its repr, each tensor in it written as the meta tensor it
    stands for."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = _Inner()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x, states={"k": x * 2, "mask": x > 0})


def test_a_dictionary_of_tensors_as_keyword_argument_is_written_as_the_meta_tracer_does() -> None:
    fast = trace(_PassesStates(), input_size=(2, 4), tracer="symbolic")
    assert fast.traced_by == "symbolic"
    assert _as_data(fast) == _as_data(trace(_PassesStates(), input_size=(2, 4), tracer="meta"))
    assert "size=(2, 4), dtype=torch.bool" in fast.root.children[0].options["states"]


@pytest.mark.parametrize("make", [_AsksTensor, _AsksAndPows, _MatchesClass])
def test_type_tests_made_by_forward_code_are_refused(make: Any) -> None:
    model = make()
    with pytest.raises(Unsupported, match="type test"):
        trace(model, input_size=(2, 4), tracer="symbolic")
    auto = trace(model, input_size=(2, 4))
    assert auto.traced_by == "meta"
    assert _as_data(auto) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))


class _Kind(enum.Enum):
    WIDE = "wide"
    NARROW = "narrow"


class _Act(nn.Module):
    """A function with an argument set, as transformers' tanh GELU holds it, and a setting
    that is an enum member."""

    def __init__(self, approximate: str, kind: _Kind) -> None:
        super().__init__()
        self.act = functools.partial(F.gelu, approximate=approximate)
        self.kind = kind

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.act(x)
        return torch.cat([y, y], -1) if self.kind is _Kind.WIDE else y


class _Parallel(nn.ModuleList):
    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(block(x) for block in self)


def test_partial_functions_and_enum_settings_are_plain_data() -> None:
    """Blocks alike but for the partial's argument or the enum are not replayed as one."""
    model = _Parallel(
        [_Act("tanh", _Kind.WIDE), _Act("none", _Kind.WIDE), _Act("none", _Kind.NARROW)]
    )
    fast = trace(model, input_size=(2, 4), tracer="symbolic")
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))
    gelu = [c.functions[0].args for c in fast.root.children]
    assert gelu == [{"approximate": "tanh"}, {"approximate": "none"}, {"approximate": "none"}]
    assert [c.outputs.shape for c in fast.root.children] == [(2, 8), (2, 8), (2, 4)]
    assert model[0].act.keywords == {"approximate": "tanh"}  # the user's module untouched


_FIRST_SUMMARY = """
import sys
import torch
from torch import nn
import modelmath

model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(),
                      nn.Linear(8 * 6 * 6, 10))
text = str(modelmath.summary(model, input_size=(1, 3, 8, 8)))
assert "Conv2d" in text
print(sorted(m for m in ("sympy", "torch.fx.experimental.symbolic_shapes") if m in sys.modules))
"""


def test_a_symbolic_summary_imports_no_sympy() -> None:
    """The symbolic tracer answers from its rules: running one of torch's meta kernels (at
    import, to ask torch something once) imports torch's symbolic shapes and sympy, a
    quarter of a second added to every first summary. Run in a fresh process."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _FIRST_SUMMARY], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_unknown_tracer_name_is_refused() -> None:
    with pytest.raises(UsageError, match="auto, symbolic or meta"):
        trace(nn.Linear(2, 2), input_size=(1, 2), tracer="fast")


def test_a_llama_style_decoder_runs_symbolically_and_equals_the_meta_trace() -> None:
    """RMSNorm, grouped key/value heads repeated, causal attention, SwiGLU: the decoder of
    the 70-billion-parameter benchmark, at a small size."""
    from project_paths import ROOT

    sys.path.insert(0, str(ROOT))
    from bench.torch_70b import Block, Decoder

    with torch.device("meta"):
        model = Decoder(100, 32, 3, 4, 2, 48)
    ran: list[int] = []
    forward = Block.forward

    def counted(self: Block, x: torch.Tensor) -> torch.Tensor:
        ran.append(1)
        return forward(self, x)

    Block.forward = counted  # type: ignore[method-assign]
    try:
        fast = trace(model, input_size=(2, 9), dtypes=[torch.long], tracer="symbolic")
        assert len(ran) == 1  # the three blocks are alike: two were replayed from the first
        general = trace(model, input_size=(2, 9), dtypes=[torch.long], tracer="meta")
        assert len(ran) == 4
    finally:
        Block.forward = forward  # type: ignore[method-assign]
    assert _as_data(fast) == _as_data(general)
    assert [c.op for c in fast.root.children].count("Block") == 3


_INIT = FastTracer.__init__


def _without_reuse(self: FastTracer, model: nn.Module, train: bool) -> None:
    _INIT(self, model, train)
    self.reuse = False


@pytest.mark.parametrize("name", sorted(SYMBOLIC))
def test_repeated_blocks_give_the_same_trace_as_tracing_each(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    reused = trace(model, input_data=inputs, tracer="symbolic")
    monkeypatch.setattr(FastTracer, "__init__", _without_reuse)
    each = trace(model, input_data=inputs, tracer="symbolic")
    assert _as_data(reused) == _as_data(each)


def test_modules_in_a_plain_list_are_named_with_the_fix() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Linear(4, 8)
            self.layers = [nn.Linear(8, 8), nn.Linear(8, 2)]  # not registered

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = self.stem(x)
            for layer in self.layers:
                x = layer(x)
            return x

    Net()(torch.zeros(1, 4))  # PyTorch itself runs it (with unregistered weights)
    with pytest.raises(UsageError) as err:
        modelmath.summary(Net(), input_size=(1, 4))
    text = str(err.value)
    assert "plain 'layers' attribute" in text and "nn.ModuleList" in text


def test_two_threads_trace_two_models_at_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["resnet_bottleneck", "gpt_tied", "unet", "vit"] * 3
    cases = {}
    for name in set(names):
        torch.manual_seed(0)
        cases[name] = CORPUS[name]()
    alone = {n: _as_data(trace(m, input_data=i, tracer="symbolic")) for n, (m, i) in cases.items()}

    def run(name: str) -> bool:
        model, inputs = cases[name]
        return _as_data(trace(model, input_data=inputs, tracer="symbolic")) == alone[name]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, mid-trace
    try:
        with ThreadPoolExecutor(4) as pool:
            assert all(pool.map(run, names))
    finally:
        sys.setswitchinterval(interval)


def _formula(q: Any) -> tuple[Any, ...]:
    """A Quantity as data: its value, reason and whole formula."""
    def node(e: Any) -> Any:
        parts = tuple(node(c) for c in e.children)
        return (type(e).__name__, getattr(e, "name", ""), getattr(e, "meaning", ""), e.value, parts)

    return (q.value, q.why, node(q.expr))


def _summary_data(s: Any) -> Any:
    """Every field of every row (tensors and formulas included) and the totals."""
    def value(v: Any) -> Any:
        if hasattr(v, "why") and hasattr(v, "expr"):
            return _formula(v)
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return tuple(value(getattr(v, f.name)) for f in dataclasses.fields(v))
        if isinstance(v, (tuple, list)):
            return tuple(value(x) for x in v)
        return v

    return [value(r) for r in s.rows], value(s.totals), s.notes


@pytest.mark.parametrize(
    "name", ["resnet_bottleneck", "resnet_basic", "mobilenet_v2", "efficientnet", "unet",
             "gru_seq2seq", "gpt_tied", "vit", "torch_transformer", "mlp_mixer", "swin_windows",
             "siamese_bilinear"]
)  # fmt: skip
def test_replayed_rows_are_the_rows_build_makes(name: str) -> None:
    """A replayed call's rows are made from its template's (Rows.again); made one by one
    instead (the replays forgotten), every field, tensor and formula is the same."""
    from modelmath.torch_analysis import summarize

    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    fast = trace(model, input_data=inputs, tracer="symbolic")
    replayed = summarize(fast)
    calls = list(fast.root.walk())
    assert any(c.replay_of is not None for c in calls)  # the models chosen have replays
    for c in calls:
        c.replay_of = None
    assert _summary_data(summarize(fast)) == _summary_data(replayed)


class _PythonMethods(nn.Module):
    """Tensor methods torch writes in Python, called with positional arguments: torch's
    code hands them on by keyword (split's dim; norm's p, dim and keepdim)."""

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        a, b = x.split(2, 1)
        return a.norm(2, -1, True), b.unflatten(1, (1, 2)), x.split(3, dim=-1)[0]


def test_tensor_methods_written_in_python_are_recorded_as_torch_hands_them_on() -> None:
    model = _PythonMethods()
    fast = trace(model, input_size=(2, 4, 6), tracer="symbolic")
    assert fast.traced_by == "symbolic"
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4, 6), tracer="meta"))
    split = fast.root.functions[0]
    assert (split.name, split.args) == ("Tensor.split", {"arg1": 2, "dim": 1})


class _Hooks(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a, self.b, self.c = nn.Linear(4, 6), nn.Linear(4, 6), nn.Linear(4, 6)
        self.seen: list[tuple[int, ...]] = []
        self.a.register_forward_hook(lambda mod, args, out: self.seen.append(out.shape))
        # a hook that replaces the output, with a torch call of its own (the module's)
        self.b.register_forward_hook(lambda mod, args, out: torch.cat([out, out], -1))
        self.c.register_forward_hook(
            lambda mod, args, kwargs, out: out.unsqueeze(0), with_kwargs=True
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return self.a(x), self.b(x), self.c(x), self.a(x)


def test_forward_hooks_run_as_module_calls_run_them() -> None:
    """Forward hooks run after the forward code, inside the call (their torch calls are
    the module's), each given the output so far, which one returning a value replaces;
    hooked modules are never replayed (a hook may record each call)."""
    model = _Hooks()
    fast = trace(model, input_size=(2, 4), tracer="symbolic")
    assert fast.traced_by == "symbolic"
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))
    assert [c.outputs.shape for c in fast.root.children] == [(2, 6), (2, 12), (1, 2, 6), (2, 6)]
    assert [f.name for f in fast.root.children[1].functions][-1] == "torch.cat"
    assert not any(c.replay_of for c in fast.root.walk())
    assert model.seen == [(2, 6)] * 4  # each tracer ran a's hook at each of its two calls


@pytest.mark.parametrize(
    "meta_tensor",
    [
        torch.empty(2, 3, device="meta"),
        torch.empty(1, 5, dtype=torch.bool, device="meta"),
        torch.empty((), dtype=torch.float64, device="meta"),
        torch.empty(4, 2, device="meta").t(),
        torch.empty(3, dtype=torch.float16, device="meta").requires_grad_(),
        torch.nn.Parameter(torch.empty(2, device="meta")),
        torch.nn.Parameter(torch.empty(2, dtype=torch.long, device="meta"), requires_grad=False),
    ],
    ids=repr,
)
def test_a_traced_tensor_reads_as_the_meta_tensor_it_stands_for(meta_tensor: Any) -> None:
    kind = SymParameter if isinstance(meta_tensor, nn.Parameter) else SymTensor
    traced = kind(meta_tensor.shape, meta_tensor.dtype, meta_tensor.stride(),
                  requires_grad=meta_tensor.requires_grad)  # fmt: skip
    assert repr(traced) == repr(meta_tensor)


class _NewMethods(nn.Module):
    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        values, indices = x.sort(0, descending=True)
        return x.argsort(-1), values, indices, x.asinh().sinh(), x.log2().frac()


def test_sort_and_float_functions_called_as_methods_run_on_traced_tensors() -> None:
    fast = trace(_NewMethods(), input_size=(2, 3), tracer="symbolic")
    assert fast.traced_by == "symbolic"
    assert _as_data(fast) == _as_data(trace(_NewMethods(), input_size=(2, 3), tracer="meta"))


class _KeepsATensorSetting(nn.Module):
    """A layer whose listed setting is a tensor (a class's __constants__ naming one), and
    which forward never calls: its config writes the tensor as each tracer writes it."""

    __constants__ = ("scale",)

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("scale", torch.ones(3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale


class _LeavesOneUncalled(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.used, self.unused = _KeepsATensorSetting(), _KeepsATensorSetting()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.used(x)


def test_a_tensor_among_a_layer_s_settings_is_written_as_the_meta_tracer_writes_it() -> None:
    model = _LeavesOneUncalled()
    fast = trace(model, input_size=(2, 3), tracer="symbolic")
    assert fast.traced_by == "symbolic"
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 3), tracer="meta"))
    assert fast.uncalled[0].config["scale"] == "tensor(..., device='meta', size=(3,))"
