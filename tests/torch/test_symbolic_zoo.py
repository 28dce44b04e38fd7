"""Models of the transformers zoo run on the fast (symbolic) tracer, and it records
exactly what the general (meta) tracer records: the same trace, the same summary text.

The models are built from small configs (never downloaded); a model that falls back to
the meta tracer fails here, with the reason the symbolic tracer gave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from test_symbolic_trace import _as_data

import modelmath
from modelmath.frontends.torch_module import trace

transformers = pytest.importorskip(
    "transformers", reason="transformers is the model zoo for these tests (pip install .[test])"
)

Build = Callable[[], tuple[Any, Any]]


def _ids() -> torch.Tensor:
    return torch.zeros(1, 16, dtype=torch.long)


def _bert() -> tuple[Any, Any]:
    return transformers.BertModel(transformers.BertConfig(num_hidden_layers=2)), [_ids()]


def _llama() -> tuple[Any, Any]:
    config = transformers.LlamaConfig(
        hidden_size=256, intermediate_size=512, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, vocab_size=1000,
    )  # fmt: skip
    return transformers.LlamaForCausalLM(config), [_ids()]


# Not yet here: GPT-2 (its Conv1D's torch.addmm has no rule, and its GELU calls
# torch.pow(x, 3.0), which crashes torch's argument parser on a SymTensor) and T5 (its
# masks call torch.where(mask, x, number), the same crash): see pointwise.py.
ZOO: dict[str, Build] = {"bert": _bert, "llama": _llama}


@pytest.mark.parametrize("name", sorted(ZOO))
def test_symbolic_trace_equals_meta_trace(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = ZOO[name]()
    model.eval()
    fast = trace(model, input_data=inputs, tracer="symbolic")  # raises the reason it refuses
    assert fast.traced_by == "symbolic"
    general = trace(model, input_data=inputs, tracer="meta")
    assert general.traced_by == "meta"
    assert _as_data(fast) == _as_data(general)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_summaries_are_the_same_text(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = ZOO[name]()
    model.eval()
    from modelmath.torch_analysis import summarize

    fast = summarize(trace(model, input_data=inputs, tracer="symbolic"))
    general = summarize(trace(model, input_data=inputs, tracer="meta"))
    assert str(fast) == str(general)
    assert str(modelmath.summary(model, input_data=inputs)) == str(general)
