"""Models of the transformers zoo on the fast (symbolic) tracer: those it runs record
exactly what the general (meta) tracer records (the same trace, the same summary text);
those it gives up on are summarized by the meta tracer, the same.

The models are built from small configs (never downloaded); a model of ``ZOO`` that falls
back to the meta tracer fails here, with the reason the symbolic tracer gave.
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


def _gpt2() -> tuple[Any, Any]:
    return transformers.GPT2LMHeadModel(transformers.GPT2Config(n_layer=2)), [_ids()]


_SMALL = {"num_hidden_layers": 2, "hidden_size": 64, "intermediate_size": 128,
          "num_attention_heads": 2, "vocab_size": 1000}  # fmt: skip


def _mistral() -> tuple[Any, Any]:  # a sliding-window cache built in forward
    config = transformers.MistralConfig(num_key_value_heads=1, **_SMALL)
    return transformers.MistralModel(config), [_ids()]


def _gemma() -> tuple[Any, Any]:  # the tanh GELU, held as a functools.partial
    config = transformers.GemmaConfig(num_key_value_heads=1, head_dim=32, **_SMALL)
    return transformers.GemmaModel(config), [_ids()]


def _roberta() -> tuple[Any, Any]:  # positions from a cumsum of the ids' mask
    return transformers.RobertaModel(transformers.RobertaConfig(**_SMALL)), [_ids()]


def _opt() -> tuple[Any, Any]:
    config = transformers.OPTConfig(
        num_hidden_layers=2, hidden_size=64, ffn_dim=128, num_attention_heads=2,
        word_embed_proj_dim=64, vocab_size=1000,
    )  # fmt: skip
    return transformers.OPTModel(config), [_ids()]


def _gpt_neo() -> tuple[Any, Any]:  # local attention masked with torch.where
    config = transformers.GPTNeoConfig(
        num_layers=2, attention_types=[[["global", "local"], 1]], hidden_size=64, num_heads=2
    )
    return transformers.GPTNeoModel(config), [_ids()]


def _bart() -> tuple[Any, Any]:
    config = transformers.BartConfig(
        encoder_layers=1, decoder_layers=1, d_model=64, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, vocab_size=1000,
        attn_implementation="eager",
    )  # fmt: skip
    return transformers.BartModel(config), {"input_ids": _ids(), "decoder_input_ids": _ids()}


def _swept(model_type: str) -> Build:
    """A model of test_transformers_zoo's sweep, built as it builds it."""

    def build() -> tuple[Any, Any]:
        from test_transformers_zoo import ZOO as SWEEP

        return SWEEP[model_type].build(model_type)  # type: ignore[no-any-return]

    return build


# BERT's output classes ask transformers' is_tensor of their first field (answered as a
# tensor answers it, see symbolic.py); GPT-2's Conv1D calls torch.addmm, and its GELU
# torch.pow(x, 3.0), whose number-typed overload once crashed the process.
# Qwen3-VL's and Cohere Compass's text models write into their position ids by item
# assignment (x[...] = v), which the symbolic tracer follows for basic indexing;
# ConvNeXt V2's global response norm takes torch.linalg.vector_norm, GraniteSWA's
# attention sinks torch.logsumexp. BART's and CLIP's mask code asks whether the mask is
# a tensor (answered as a tensor answers it) and reads it by tensors of indices
# (advanced indexing: padding_mask[batch_idx, kv_idx]). Mamba's cache marks its tensors
# for CUDA graphs (torch._dynamo.mark_static_address: is it a tensor? then a tag).
ZOO: dict[str, Build] = {
    "llama": _llama, "bert": _bert, "gpt2": _gpt2, "mistral": _mistral, "gemma": _gemma,
    "roberta": _roberta, "opt": _opt, "gpt_neo": _gpt_neo,
    "qwen3_vl_text": _swept("qwen3_vl_text"), "cohere_compass_text": _swept("cohere_compass_text"),
    "convnextv2": _swept("convnextv2"), "granite_swa": _swept("granite_swa"), "bart": _bart,
    "clip": _swept("clip"), "mamba": _swept("mamba"),
}  # fmt: skip
# Summarized by the meta tracer: DeBERTa makes a tensor on the CPU in its forward code
# (torch.tensor without a device), which a traced tensor, always on meta, cannot stand for.
FALLBACK: dict[str, Build] = {"deberta": _swept("deberta")}


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


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_models_the_symbolic_tracer_gives_up_on_are_summarized_by_the_meta_tracer(
    name: str,
) -> None:
    torch.manual_seed(0)
    model, inputs = FALLBACK[name]()
    model.eval()
    with pytest.raises(Exception):  # noqa: B017  (Unsupported, or what the code raised)
        trace(model, input_data=inputs, tracer="symbolic")
    auto = trace(model, input_data=inputs)
    assert auto.traced_by == "meta"
    from modelmath.torch_analysis import summarize

    general = summarize(trace(model, input_data=inputs, tracer="meta"))
    assert str(modelmath.summary(model, input_data=inputs)) == str(general)
