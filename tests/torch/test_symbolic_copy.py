"""What the symbolic tracer's light copy shares with the user's model, and what it copies.

Modules of a model zoo keep their configuration object (transformers' ``PretrainedConfig``)
and dictionaries of settings as attributes, and read them in their forward code. The copy
gives the traced modules a copy of each (one per object, shared by the modules that
shared it), so forward code reading them runs symbolically and code writing to them
cannot reach the user's model.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from modelmath.frontends.torch_module import trace

transformers = pytest.importorskip("transformers")


class _Configured(nn.Module):
    """Reads its settings from a transformers configuration and a dictionary, and writes
    a note into the configuration as some forward code does."""

    def __init__(self, config: Any) -> None:
        super().__init__()
        self.config = config
        self.settings = {"scale": 2, "names": ("a", "b"), "nested": {"on": True}}
        self.proj = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.config.seen_in_forward = True
        y = self.proj(x) * self.settings["scale"]
        return y if self.settings["nested"]["on"] else x


class _TwoBlocks(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        config = transformers.BertConfig(hidden_size=8, num_hidden_layers=1)
        self.config = config
        self.blocks = nn.ModuleList([_Configured(config), _Configured(config)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        return x


def test_a_zoo_configuration_and_settings_run_symbolically_as_on_meta() -> None:
    model = _TwoBlocks().eval()
    fast = trace(model, input_size=(2, 8), tracer="symbolic")
    slow = trace(model, input_size=(2, 8), tracer="meta")
    assert fast.traced_by == "symbolic"
    assert [(c.path, c.outputs) for c in fast.root.walk()] == [
        (c.path, c.outputs) for c in slow.root.walk()
    ]
    assert fast.parameters == slow.parameters


def test_the_user_configuration_is_neither_replaced_nor_written() -> None:
    model = _TwoBlocks().eval()
    config, settings = model.config, model.blocks[0].settings
    trace(model, input_size=(2, 8), tracer="symbolic")
    assert model.config is config and model.blocks[1].config is config
    assert not hasattr(config, "seen_in_forward")  # the forward code wrote to a copy
    assert model.blocks[0].settings is settings
    assert settings == {"scale": 2, "names": ("a", "b"), "nested": {"on": True}}


def test_blocks_sharing_one_configuration_are_traced_once_and_replayed() -> None:
    """The two blocks hold the same configuration object: their signatures match, so the
    second is replayed from the first (the trace is the same either way)."""
    model = _TwoBlocks().eval()
    fast = trace(model, input_size=(2, 8), tracer="symbolic")
    first, second = fast.root.children
    assert (first.inputs, first.outputs, first.config) == (second.inputs, second.outputs,
                                                            second.config)  # fmt: skip
    assert second.functions is first.functions  # replayed: the record is shared


def test_an_attribute_that_is_not_plain_data_still_goes_to_the_meta_tracer() -> None:
    class Holder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lock = object()
            self.proj = nn.Linear(4, 4)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.proj(x)

    assert trace(Holder(), input_size=(1, 4)).traced_by == "meta"


class _OddSettings(nn.Module):
    """Plain settings of the kinds model code keeps: counts by number (Aria), sizes beside
    shapes in one list (PP-OCR), and a method of its own picked at construction
    (VideoPrism's GELU)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_count = {4: 2, 9: 3}
        self.stages = [(1, 4), 4, 8]
        self.act = self._double
        self.proj = nn.Linear(4, 4)

    def _double(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.by_count[4]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.proj(x)) * self.stages[1]


def test_settings_by_number_mixed_lists_and_own_methods_are_copied() -> None:
    from test_symbolic_trace import _as_data

    model = _OddSettings()
    fast = trace(model, input_size=(2, 4), tracer="symbolic")
    assert fast.traced_by == "symbolic"
    assert _as_data(fast) == _as_data(trace(model, input_size=(2, 4), tracer="meta"))
    # the user's module keeps its own method and settings
    assert model.act.__self__ is model and model.by_count == {4: 2, 9: 3}


def test_the_tracer_and_its_copies_are_freed_without_the_garbage_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No reference cycle outlives a trace (the copies' wrapped forwards hold the tracer;
    replays once made a recursive closure each): freed by reference counting alone, the
    copy never waits for, nor costs, a garbage collection."""
    import gc
    import weakref

    from modelmath.frontends.torch_module.fast_trace import FastTracer

    made: list[weakref.ref[Any]] = []
    init = FastTracer.__init__

    def recording(self: FastTracer, model: nn.Module, train: bool) -> None:
        made.append(weakref.ref(self))
        init(self, model, train)
        made.extend(weakref.ref(m) for m, _ in self.copies)

    monkeypatch.setattr(FastTracer, "__init__", recording)
    model = _TwoBlocks().eval()
    gc.disable()
    try:
        traced = trace(model, input_size=(2, 8), tracer="symbolic")
        assert traced.root.children[1].functions is traced.root.children[0].functions  # replayed
        assert len(made) > 3 and all(ref() is None for ref in made)
    finally:
        gc.enable()


class _HeldTransposed(nn.Module):
    """A weight held transposed and a buffer held permuted: what forward code computes
    from them is laid out after theirs, in a real pass."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(4, 3).t())
        self.register_buffer("scale", torch.randn(3, 1, 4).permute(2, 1, 0))

    def forward(self, x: torch.Tensor) -> Any:
        return torch.relu(self.weight) * 2.0, self.scale + 1.0, x @ self.weight


@pytest.mark.parametrize("tracer", ["symbolic", "meta"])
def test_tensors_not_row_major_keep_their_layout_in_the_copy(tracer: str) -> None:
    from output_strides import output_strides

    model, x = _HeldTransposed(), torch.randn(2, 3)
    with torch.no_grad():
        real = [(tuple(t.shape), tuple(t.stride())) for t in model(x)]
    traced = output_strides(model, [x], tracer)[1][("", 0)]
    assert traced == real
    assert real[0][1] == (1, 3)  # the weight's own layout, not a fresh one
