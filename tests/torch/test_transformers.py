"""Models of the transformers zoo, built from small configs (never downloaded), checked
against PyTorch: parameters, every module call's shapes, MACs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch_checks import check_module

import modelmath

transformers = pytest.importorskip(
    "transformers", reason="transformers is the model zoo for these tests (pip install .[test])"
)

SMALL = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
         "intermediate_size": 64, "vocab_size": 99}  # fmt: skip


def _ids(n: int = 2, t: int = 10) -> torch.Tensor:
    return torch.randint(0, 99, (n, t))


def _causal(name: str, **extra: Any) -> Callable[[], tuple[Any, list[Any]]]:
    def build() -> tuple[Any, list[Any]]:
        config = getattr(transformers, name)(**{**SMALL, **extra})
        model = transformers.AutoModelForCausalLM.from_config(config)
        return model, [_ids()]

    return build


def _encoder(name: str, auto: str = "AutoModel", **extra: Any) -> Callable[[], Any]:
    def build() -> tuple[Any, list[Any]]:
        config = getattr(transformers, name)(**{**SMALL, **extra})
        return getattr(transformers, auto).from_config(config), [_ids()]

    return build


def _gpt2() -> tuple[Any, list[Any]]:
    config = transformers.GPT2Config(n_embd=32, n_layer=2, n_head=4, vocab_size=99, n_positions=64)
    return transformers.GPT2LMHeadModel(config), [_ids()]


def _vit() -> tuple[Any, list[Any]]:
    config = transformers.ViTConfig(**{**SMALL, "image_size": 32, "patch_size": 8})
    del config.vocab_size
    return transformers.ViTModel(config), [torch.randn(2, 3, 32, 32)]


def _t5() -> tuple[Any, list[Any]]:
    config = transformers.T5Config(vocab_size=99, d_model=32, d_kv=8, d_ff=64, num_layers=2,
                                   num_heads=4)  # fmt: skip
    model = transformers.T5ForConditionalGeneration(config)
    return model, [_ids(), None, _ids(t=6)]  # input_ids, attention_mask, decoder_input_ids


ZOO: dict[str, Callable[[], tuple[Any, list[Any]]]] = {
    "gpt2": _gpt2,
    "llama": _causal("LlamaConfig", num_key_value_heads=2),
    "mistral": _causal("MistralConfig", num_key_value_heads=2),
    "qwen2": _causal("Qwen2Config", num_key_value_heads=2),
    "bert": _encoder("BertConfig", "AutoModelForMaskedLM"),
    "roberta": _encoder("RobertaConfig", max_position_embeddings=64),
    "distilbert": lambda: (
        transformers.DistilBertModel(transformers.DistilBertConfig(
            vocab_size=99, dim=32, n_layers=2, n_heads=4, hidden_dim=64)), [_ids()]),
    "vit": _vit,
    "t5": _t5,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ZOO))
def test_transformers_model(name: str) -> None:
    torch.manual_seed(0)
    try:
        model, inputs = ZOO[name]()
    except (AttributeError, ImportError, TypeError) as err:
        pytest.skip(f"{name} cannot be built with this transformers version: {err}")
    check_module(model, inputs)


def test_attention_mask_of_ones_is_left_out_and_a_padded_one_explained() -> None:
    """transformers reads a given attention mask's values (no meta tensor has them). An
    all-ones mask, as a tokenizer gives for unpadded text, changes nothing: it is left out
    and the summary says so; a padded one stops the trace with what to do."""
    from torch_checks import meta_flops, real_calls

    model, inputs = _causal("LlamaConfig", num_key_value_heads=2)()
    model.eval()
    ids = inputs[0]
    data = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    s = modelmath.summary(model, input_data=data)
    assert any("attention_mask (all ones) was left out" in n for n in s.notes)
    assert [(r.path, r.outputs) for r in s.rows if r.called] == real_calls(model, [ids])
    assert s.totals.params.value == sum(p.numel() for p in model.parameters())
    assert 2 * s.totals.macs.value == meta_flops(model, [ids])
    with torch.no_grad():  # and the model computes the same with or without that mask
        assert torch.equal(model(**data).logits, model(ids).logits)
    mask = torch.ones_like(ids).index_fill(1, torch.tensor([9]), 0)  # the last token padding
    padded = {"input_ids": ids, "attention_mask": mask}
    with pytest.raises(modelmath.errors.UsageError, match="leave attention_mask out"):
        modelmath.summary(model, input_data=padded)


def test_grouped_mm_experts_count_as_their_batched_twin() -> None:
    """transformers' default mixture-of-experts code calls torch's grouped_mm, whose meta
    kernel takes bfloat16 only (FlopCounterMode cannot run it on meta either): modelmath
    gives the CPU kernel's result and counts S·K·N per product, which must equal
    FlopCounterMode on the same model with its experts run as batched_mm."""
    from torch_checks import meta_flops, real_calls

    small = {**SMALL, "num_key_value_heads": 2, "num_local_experts": 4, "num_experts_per_tok": 2}
    torch.manual_seed(0)
    model = transformers.MixtralForCausalLM(transformers.MixtralConfig(**small)).eval()
    twin = transformers.MixtralForCausalLM(
        transformers.MixtralConfig(**small, experts_implementation="batched_mm")
    ).eval()
    assert model.config._experts_implementation == "grouped_mm"
    ids = _ids()
    s = modelmath.summary(model, input_data=[ids])
    assert s.totals.params.value == sum(p.numel() for p in model.parameters())
    assert [(r.path, r.outputs) for r in s.rows if r.called] == real_calls(model, [ids])
    assert 2 * s.totals.macs.value == meta_flops(twin, [ids])
