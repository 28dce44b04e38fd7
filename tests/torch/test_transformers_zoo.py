"""The transformers model zoo, swept: architectures built from small configs (never
downloaded) and checked against PyTorch with ``check_module`` — parameters, every module
call's output shapes against the real forward pass, MACs against FlopCounterMode.

Each entry names a model type of ``transformers.AutoConfig`` and its inputs; its config is
transformers' default for that type made small by :func:`small_config` (the usual width,
depth, head, vocabulary and image-size fields, where the config has them), then the
entry's own settings. ``attn="eager"``: transformers' SDPA mask code reads a mask's
values (``fast_all(padding_mask)``), which no meta tensor has, so the model is checked
with eager attention; ``moe=True``: the experts run as ``batched_mm``, since
``grouped_mm`` has no float32 meta kernel in torch, so the oracle's FlopCounterMode pass
cannot run it (modelmath can: test_transformers.py holds a ``grouped_mm`` model to its
``batched_mm`` twin), and the eager experts' routing has data-dependent shapes.
Architectures left out, and why, are listed at the end.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass, field
from typing import Any

import pytest
import torch
from output_strides import output_strides
from test_symbolic_trace import _as_data
from torch_checks import check_module, real_calls

import modelmath
import modelmath.errors
from modelmath.frontends.torch_module import trace
from modelmath.module_summary import ModuleSummary

transformers = pytest.importorskip(
    "transformers", reason="transformers is the model zoo for these tests (pip install .[test])"
)

# Set where a config has them (an int there, not a bool): small but not degenerate.
SMALL: dict[str, int] = {
    "hidden_size": 64, "d_model": 64, "n_embd": 64, "embed_dim": 64, "dim": 64,
    "hidden_dim": 64, "embedding_size": 32, "word_embed_proj_dim": 32,
    "num_hidden_layers": 2, "num_layers": 2, "n_layer": 2, "n_layers": 2,
    "encoder_layers": 2, "decoder_layers": 2, "num_decoder_layers": 2, "num_encoder_layers": 2,
    "num_attention_heads": 4, "n_head": 4, "n_heads": 4, "num_heads": 4,
    "encoder_attention_heads": 4, "decoder_attention_heads": 4, "num_key_value_heads": 2,
    "head_dim": 16, "d_kv": 16, "kv_channels": 16,
    "intermediate_size": 64, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, "d_ff": 64,
    "n_inner": 64, "ffn_dim": 64, "moe_intermediate_size": 32,
    "shared_expert_intermediate_size": 32,
    "vocab_size": 99, "max_position_embeddings": 128, "n_positions": 128, "n_ctx": 128,
    "image_size": 32, "patch_size": 8, "num_channels": 3,
    "num_experts": 4, "num_local_experts": 4, "num_experts_per_tok": 2, "n_routed_experts": 4,
    "n_shared_experts": 1,
    "rotary_dim": 8, "qk_rope_head_dim": 8, "qk_nope_head_dim": 8, "v_head_dim": 16,
    "kv_lora_rank": 16, "q_lora_rank": 16, "window_size": 2,
    "max_source_positions": 32, "num_frames": 2, "tubelet_size": 2,
}  # fmt: skip
_TOKEN_IDS = ("pad_token_id", "bos_token_id", "eos_token_id", "decoder_start_token_id",
              "sep_token_id", "cls_token_id", "mask_token_id", "unk_token_id")  # fmt: skip
VOCAB = SMALL["vocab_size"]


def _shrink(config: Any, seen: set[int]) -> None:
    """SMALL's fields on ``config`` and its sub-configs; stage lists (CNNs) one block
    each; token ids kept inside the small vocabulary; rope sections fitted to head_dim."""
    if id(config) in seen:
        return
    seen.add(id(config))
    # A staged model (hidden_sizes, depths) counts its stages in num_hidden_layers.
    staged = any(isinstance(getattr(config, k, None), (list, tuple))
                 for k in ("depths", "hidden_sizes"))  # fmt: skip
    for key, value in SMALL.items():
        if staged and key in ("num_hidden_layers", "num_layers", "n_layers"):
            continue
        try:  # some configs refuse to read a per-layer field globally
            current = getattr(config, key)
        except Exception:
            continue
        if isinstance(current, int) and not isinstance(current, bool):
            # A few have no such limit to set (XLNet's max_position_embeddings).
            with contextlib.suppress(AttributeError, NotImplementedError):
                setattr(config, key, value)
    for key in _TOKEN_IDS:
        value = getattr(config, key, None)
        if isinstance(value, int) and value >= VOCAB:
            setattr(config, key, 1 if key == "pad_token_id" else 2)
        elif isinstance(value, list):
            setattr(config, key, [v if v < VOCAB else 2 for v in value])
    rope = getattr(config, "rope_parameters", None)
    if isinstance(rope, dict) and isinstance(rope.get("mrope_section"), list):
        half, sections = SMALL["head_dim"] // 2, rope["mrope_section"]
        fitted = [max(1, s * half // sum(sections)) for s in sections]
        fitted[0] += half - sum(fitted)
        rope["mrope_section"] = fitted
    for key, size in (("hidden_sizes", 8), ("embed_dims", 8), ("widths", 8), ("channels", 8)):
        value = getattr(config, key, None)
        if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
            setattr(config, key, [size * (i + 1) for i in range(len(value))])
    for key in ("depths", "num_heads"):
        value = getattr(config, key, None)
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, int) for v in value):
            setattr(config, key, [1] * len(value))
    sizes = getattr(config, "hidden_sizes", None)
    if isinstance(sizes, list) and sizes and hasattr(config, "hidden_size"):
        config.hidden_size = sizes[-1]
    for value in list(vars(config).values()):
        if isinstance(value, transformers.PretrainedConfig):
            _shrink(value, seen)


def small_config(model_type: str, **settings: Any) -> Any:
    """transformers' default config of ``model_type``, small, then ``settings``."""
    config = transformers.AutoConfig.for_model(model_type)
    _shrink(config, set())
    for key, value in settings.items():
        setattr(config, key, value)
    return config


@dataclass(frozen=True)
class Arch:
    """One architecture: its inputs' shapes (ids for ``*input_ids``), its settings."""

    inputs: dict[str, tuple[int, ...]]
    settings: dict[str, Any] = field(default_factory=dict)
    attn: str | None = None  # "eager": see the module's docstring
    moe: bool = False
    # settings of a sub-config, by its attribute path: {"text_config": {...}}
    sub: dict[str, dict[str, Any]] = field(default_factory=dict)
    # requires_grad_(False): the oracle's FlopCounterMode cannot hook a model that hands a
    # view of a trainable weight, made under no_grad, to a submodule ("Expected gradient
    # function to be set"); frozen, it can (and the trainable split is checked at zero)
    frozen: bool = False

    def build(self, model_type: str) -> tuple[Any, dict[str, Any]]:
        # copies: a config may fill in a dict it is given, and entries share settings
        config = small_config(model_type, **copy.deepcopy(self.settings))
        for path, values in self.sub.items():
            target = config
            for part in path.split("."):
                target = getattr(target, part)
            for key, value in values.items():
                setattr(target, key, copy.deepcopy(value))
        impl = {"attn_implementation": self.attn} if self.attn else {}
        if self.moe:
            impl["experts_implementation"] = "batched_mm"
        model = transformers.AutoModel.from_config(config, **impl)
        if self.frozen:
            model.requires_grad_(False)
        inputs = {name: _tensor(name, shape) for name, shape in self.inputs.items()}
        return model, inputs


def _tensor(name: str, shape: tuple[int, ...]) -> torch.Tensor:
    if name.endswith("input_ids"):
        return torch.randint(0, VOCAB, shape)
    if name.endswith("attention_mask"):  # all ones: spares code that reads the ids' values
        return torch.ones(shape, dtype=torch.long)
    return torch.randn(shape)


def text(**kw: Any) -> Arch:
    return Arch({"input_ids": (2, 10)}, **kw)


def masked(**kw: Any) -> Arch:
    """Ids with an all-ones attention mask: spares code that reads the ids' values."""
    return Arch({"input_ids": (2, 10), "attention_mask": (2, 10)}, **kw)


def seq2seq(**kw: Any) -> Arch:
    return Arch({"input_ids": (2, 10), "decoder_input_ids": (2, 6)}, **kw)


def image(*shape: int, **kw: Any) -> Arch:
    """pixel_values of shape (2, *shape): (3, 32, 32) by default; 4 axes for video."""
    return Arch({"pixel_values": (2, *(shape or (3, 32, 32)))}, **kw)


def image_text(**kw: Any) -> Arch:
    return Arch({"input_ids": (2, 10), "pixel_values": (2, 3, 32, 32)}, **kw)


def audio(*shape: int, decoder: bool = False, **kw: Any) -> Arch:
    """input_values (raw audio) of shape (2, *shape)."""
    ids = {"decoder_input_ids": (2, 6)} if decoder else {}
    return Arch({"input_values": (2, *shape), **ids}, **kw)


def features(*shape: int, decoder: bool = False, **kw: Any) -> Arch:
    """input_features (spectrogram frames) of shape (2, *shape)."""
    ids = {"decoder_input_ids": (2, 6)} if decoder else {}
    return Arch({"input_features": (2, *shape), **ids}, **kw)


# Staged vision models: four stages of one block (64 pixels leave 2 at the last), or two
# Swin stages of 2-pixel windows.
CONVNEXT = {"patch_size": 4, "hidden_sizes": [8, 16, 24, 32], "depths": [1, 1, 1, 1]}
SWIN = {"patch_size": 4, "embed_dim": 16, "depths": [1, 1], "num_heads": [1, 2], "window_size": 2,
        "hidden_size": 32}  # fmt: skip

# DeepSeek-style latent attention (MLA): rotary on an 8-wide slice of 16-wide query heads;
# MLA4 where the keys and values carry all 4 heads (2 KV heads would be doubled again).
MLA = {"head_dim": 8, "qk_head_dim": 16}
MLA4 = {**MLA, "num_key_value_heads": 4}

# Gemma 4's text model, small: one sliding and one full layer, per-layer inputs; as the
# text part of the multimodal models (one head size), and alone (a head size per layer)
GEMMA4_LAYERS = {
    "layer_types": ["sliding_attention", "full_attention"],
    "vocab_size_per_layer_input": 99,
    "hidden_size_per_layer_input": 16,
}
GEMMA4_TEXT = {**GEMMA4_LAYERS, "per_layer_config": {}, "head_dim": 16}
GEMMA4_TEXT_ALONE = {
    **GEMMA4_LAYERS,
    "per_layer_config": {"0": {"head_dim": 16}, "1": {"head_dim": 32}},
    "sliding_window": 4,
}


def mrope(theta: float, sections: list[int], **extra: Any) -> dict[str, Any]:
    """Multimodal rope sections that fit the small heads (the modeling code's own default
    sections apply when a config has none, and do not fit)."""
    return {
        "rope_parameters": {
            "rope_theta": theta, "rope_type": "default", **extra, "mrope_section": sections,
        }
    }  # fmt: skip


# gpt2, llama, mistral, qwen2, bert, roberta, distilbert, vit and t5 are in
# test_transformers.py, with configs written out.
ZOO: dict[str, Arch] = {
    # Text: decoders and encoders
    "afmoe": text(moe=True),
    "albert": text(),
    "apertus": text(),
    "apertus1p5_text": text(),
    "arcee": text(),
    "aria": text(moe=True),
    "aria_text": text(moe=True),
    "audioflamingo3": text(),
    "aya_vision": text(),
    "beam": text(),
    "bert-generation": text(),
    "biogpt": text(attn="eager"),
    "bitnet": text(),
    "bloom": text(),
    "camembert": text(),
    "clip_text_model": text(),
    "codegen": text(),
    "cohere": text(),
    "cohere2": text(),
    "cohere2_moe": text(moe=True),
    "cohere2_vision": text(),
    "cosmos3_edge": text(),
    "cosmos3_edge_text": text(),
    "cosmos3_omni": text(),
    "cpmant": text(),
    "ctrl": text(),
    "cwm": text(),
    "data2vec-text": text(),
    "deberta": masked(),
    "deberta-v2": masked(),
    "deepseek_v4": text(moe=True),
    "deepseek_vl": text(),
    "deepseek_vl_hybrid": text(),
    "diffllama": text(),
    "doge": text(),
    "dory": text(),
    "electra": text(),
    "embedding_gemma2": text(),
    "embedding_gemma2_text": text(),
    "ernie": text(),
    "ernie4_5": text(),
    "ernie4_5_moe": text(moe=True),
    "eurobert": text(),
    "exaone": text(),
    "exaone4": text(),
    "exaone4_5": text(),
    "exaone_moe": text(moe=True),
    "falcon": text(),
    "falcon_h1": text(),
    "falcon_mamba": text(),
    "flava": text(),
    "flex_olmo": text(moe=True),
    "flint": text(),
    "fnet": text(),
    "fun_asr_nano": text(),
    "fuyu": text(),
    "gemma": text(),
    "gemma2": text(),
    "gemma3": text(),
    "gemma3_text": text(),
    "git": text(),
    "glm": text(),
    "glm4": text(),
    "glm4_moe": text(moe=True),
    "glmasr": text(),
    "got_ocr2": text(),
    "gpt-sw3": text(),
    "gpt_bigcode": text(),
    "gpt_neo": text(),
    "gpt_neox": text(),
    "gpt_neox_japanese": text(),
    "gpt_oss": text(moe=True),
    "gptj": text(),
    "gradium_phonon_tts": text(),
    "granite": text(),
    "granite_docling": text(),
    "granite_docling_text": text(),
    "granite_speech": text(),
    "granite_speech_plus": text(),
    "granite_swa": text(),
    "granitemoe": text(moe=True),
    "granitemoe_swa": text(moe=True),
    "granitemoeshared": text(moe=True),
    "gte": text(),
    "helium": text(),
    "hy_v3": text(moe=True),
    "hyperclovax": text(),
    "hyperclovax_vision_v2": text(),
    "idefics2": text(),
    "idefics3": text(),
    "imagegpt": text(),
    "inkling2": text(moe=True),
    "inkling2_loop": text(moe=True),
    "inkling2_loop_text": text(moe=True),
    "inkling2_text": text(moe=True),
    "inkling_mm_model": text(moe=True),
    "internlm3": text(),
    "internvl": text(),
    "iquestcoder": text(),
    "jais2": text(),
    "jina_embeddings_v3": text(),
    "kolibri1": text(moe=True),
    "kosmos-2.5": text(),
    "laguna": text(moe=True),
    "lara_mini": text(moe=True),
    "layoutlm": masked(),
    "lfm2": text(),
    "lfm2_vl": text(),
    "lighton_ocr": text(),
    "llama4_text": text(),
    "llava": text(),
    "llava_next": text(),
    "llava_next_video": text(),
    "llava_onevision": text(),
    "mamba": text(),
    "markuplm": masked(),
    "mellum": text(moe=True),
    "mimo_v2_flash": text(moe=True),
    "minimax": text(moe=True),
    "minimax_m2": text(moe=True),
    "minimax_m3_vl_text": text(moe=True),
    "ministral3": text(),
    "mistral3": text(),
    "mixtral": text(moe=True),
    "mllama": text(),
    "mobilebert": text(),
    "modernbert": text(),
    "modernbert-decoder": text(),
    "modernvbert": text(),
    "molmo2": text(),
    "molmo2_text": text(),
    "moshi": masked(attn="eager"),
    "moss_transcribe_diarize": text(),
    "mpnet": text(),
    "mpt": text(),
    "mra": masked(),
    "muse_glimmer_text": text(),
    "muse_spark_text": text(moe=True),
    "musicflamingo": text(),
    "nanochat": text(),
    "nemotron_h": text(moe=True),
    "neomme": text(),
    "nomic_bert": text(),
    "olmo": text(),
    "olmo2": text(),
    "olmo3": text(),
    "olmoe": text(moe=True),
    "omniasr": text(),
    "openai-gpt": text(),
    "openai_privacy_filter": text(moe=True),
    "opt": text(),
    "ovis2": text(),
    "paligemma": masked(attn="eager"),
    "persimmon": text(),
    "phi": text(),
    "phi3": text(),
    "phi4_multimodal": text(),
    "phimoe": text(moe=True),
    "pocket_tts": text(),
    "qianfan_ocr": text(),
    "qwen2_audio": text(),
    "qwen2_moe": text(moe=True),
    "qwen3": text(),
    "qwen3_asr": text(),
    "qwen3_moe": text(moe=True),
    "qwen3_omni_moe_thinker": text(moe=True),
    "qwen3_vl": text(),
    "qwen3_vl_moe": text(moe=True),
    "qwen3_vl_moe_text": text(moe=True),
    "qwen3_vl_text": text(),
    "recurrent_gemma": masked(attn="eager", settings={"use_cache": False}),
    "roberta-prelayernorm": text(),
    "roc_bert": text(),
    "rwkv": text(settings={"use_cache": False}),
    "sarvam_moe": text(moe=True),
    "seed_oss": text(),
    "smollm3": text(),
    "smolvlm": text(),
    "solar_open": text(moe=True),
    "stablelm": text(),
    "starcoder2": text(),
    "tipsv2": text(),
    "tipsv2_text_model": text(),
    "ultrabert": text(),
    "ultravbert": text(),
    "vaultgemma": text(),
    "video_llama_3": text(),
    "video_llava": text(),
    "vipllava": text(),
    "voxtral": text(),
    "xglm": text(),
    "xlm-roberta": text(),
    "xlm-roberta-xl": text(),
    "xlnet": text(),
    "zaya": text(moe=True),
    # Encoder-decoders
    "bart": seq2seq(attn="eager"),
    "blenderbot": seq2seq(attn="eager"),
    "blenderbot-small": seq2seq(attn="eager"),
    "fsmt": seq2seq(),
    "longt5": seq2seq(),
    "m2m_100": seq2seq(attn="eager"),
    "marian": seq2seq(attn="eager"),
    "mbart": seq2seq(attn="eager"),
    "mt5": seq2seq(),
    "mvp": seq2seq(),
    "nllb-moe": seq2seq(),
    "pegasus": seq2seq(attn="eager"),
    "pegasus_x": seq2seq(),
    "plbart": seq2seq(attn="eager"),
    "prophetnet": seq2seq(),
    "t5gemma2": seq2seq(),
    "umt5": seq2seq(),
    # Vision: CNNs, ViTs, hierarchical
    "convnext": image(3, 64, 64, settings=CONVNEXT),
    "convnextv2": image(3, 64, 64, settings=CONVNEXT),
    "donut-swin": image(settings=SWIN),
    "swin": image(settings=SWIN),
    "swinv2": image(settings={**SWIN, "pretrained_window_sizes": [0, 0]}),
    "aimv2_vision_model": image(),
    "beit": image(),
    "chinese_clip_vision_model": image(),
    "clip_vision_model": image(),
    "cvt": image(),
    "data2vec-vision": image(),
    "deit": image(),
    "dinov2": image(),
    "dinov2_with_registers": image(),
    "dinov3_convnext": image(),
    "dinov3_vit": image(),
    "dpt": image(),
    "focalnet": image(),
    "glpn": image(),
    "granite_docling_vision": image(),
    "hgnet_v2": image(),
    "hiera": image(3, 224, 224),
    "ijepa": image(),
    "internvl_vision": image(3, 448, 448),
    "maskformer": image(),
    "maskformer-swin": image(),
    "mgp-str": image(3, 32, 128),
    "mlcd": image(),
    "mlcd_vision_model": image(),
    "mobilenet_v1": image(),
    "mobilenet_v2": image(),
    "mobilevit": image(),
    "pixio": image(),
    "pixtral": image(),
    "poolformer": image(),
    "pvt": image(),
    "pvt_v2": image(3, 224, 224),
    "qianfan_ocr_vision": image(3, 448, 448),
    "regnet": image(),
    "resnet": image(),
    "sam3_vision_model": image(),
    "sam3_vit_model": image(),
    "sam_hq_vision_model": image(),
    "sam_vision_model": image(),
    "segformer": image(),
    "siglip_vision_model": image(),
    "swiftformer": image(),
    "tipsv2_vision_model": image(),
    "vit_mae": image(),
    "vit_msn": image(),
    "vitdet": image(),
    "yolos": image(3, 512, 864),
    # Video
    "timesformer": image(2, 3, 32, 32),
    "videomae": image(2, 3, 32, 32),
    "vivit": image(2, 3, 32, 32),
    # Audio and speech
    "data2vec-audio": audio(1600),
    "glmasr_encoder": features(128, 64),
    "hubert": audio(1600),
    "lasr_encoder": features(64, 128),
    "moonshine": audio(1600, decoder=True),
    "moss_transcribe_diarize_audio": features(80, 64),
    "nemotron3_5_asr": features(64, 80, decoder=True),
    "nemotron3_5_transcribe_asr_audio": features(64, 128),
    "nemotron3_diarization_audio": features(64, 128),
    "nemotron_asr_streaming": features(64, 80, decoder=True),
    "nemotron_asr_streaming_encoder": features(64, 80),
    "omniasr_audio": audio(1, 1600),
    "omniasr_ctc": audio(1, 1600),
    "parakeet_ctc": features(64, 80),
    "parakeet_encoder": features(64, 80),
    "parakeet_rnnt": features(64, 80, decoder=True),
    "parakeet_tdt": features(64, 80, decoder=True),
    "qwen2_audio_encoder": features(128, 64),
    "sew": audio(1600),
    "speech_to_text": features(64, 80, decoder=True),
    "unispeech": audio(1600),
    "unispeech-sat": audio(1600),
    "univnet": features(64, 100),
    "voxtral_encoder": features(128, 64),
    "voxtral_realtime_encoder": features(128, 64),
    "wav2vec2": audio(1600),
    "wav2vec2-conformer": audio(1600),
    "wavlm": audio(1600),
    "whisper": features(80, 64, decoder=True),
    # Image and text
    "aimv2": image_text(),
    "altclip": image_text(),
    "blip": image_text(),
    "chinese_clip": image_text(),
    "clip": image_text(),
    "clipseg": image_text(),
    "groupvit": image_text(),
    "metaclip_2": image_text(),
    "owlv2": image_text(),
    "owlvit": image_text(),
    # calls nn.MultiheadAttention(query=..., key=..., value=...): the keyword tensors
    # reach the layer's rule in the order of its forward's parameters
    "mask2former": image(),
    # Latent attention (MLA) decoders, mixtures of experts
    "deepseek_v2": text(moe=True, settings={**MLA, "num_experts_per_tok": 2}),
    "sarvam_mla": text(moe=True, settings=MLA),
    "youtu": text(moe=True, settings=MLA),
    "axk2": text(moe=True, settings=MLA4),
    "deepseek_v32": text(moe=True, settings=MLA4),
    "mistral_large4_text": text(moe=True, settings=MLA4),
    "minicpm3": text(moe=True, settings=MLA4),
    "hy_v4": text(moe=True, settings=MLA4),
    "hy_v4_vl_text": text(moe=True, settings=MLA4),
    "kimi_k25": text(moe=True, sub={"text_config": MLA4}),
    # Multimodal rope on the text path (no image given)
    "glm_image_text": text(settings=mrope(10000.0, [4, 2, 2])),
    "qwen2_5_vl_text": text(settings=mrope(1000000.0, [4, 2, 2])),
    "glm46v": text(sub={"text_config": mrope(10000.0, [4, 2, 2])}),
    "glm_ocr": text(sub={"text_config": mrope(10000.0, [4, 2, 2])}),
    "glmga": text(sub={"text_config": mrope(10000.0, [4, 2, 2])}),
    "qwen2_vl": text(sub={"text_config": mrope(1000000.0, [4, 2, 2])}),
    "qwen2_5_omni_thinker": text(sub={"text_config": mrope(1000000.0, [4, 2, 2])}),
    "glm4v_moe": text(
        moe=True, sub={"text_config": mrope(10000.0, [2, 1, 1], partial_rotary_factor=0.5)}
    ),
    # More audio and speech
    "gemma4_audio": features(64, 128),
    "cohere_asr": features(64, 128, decoder=True),
    "granite_speech5_encoder": features(64, 320, settings={"num_key_value_heads": 4}),
    "wav2vec2-bert": features(64, 160),
    # SpeechT5 without its pre-nets takes hidden states of width hidden_size
    "speecht5": Arch({"input_values": (2, 10, 64), "decoder_input_values": (2, 6, 64)}),
    # More multimodal and others
    "lxmert": Arch({"input_ids": (2, 10), "visual_feats": (2, 5, 2048), "visual_pos": (2, 5, 4)}),
    "blip_2_qformer": Arch(
        {"query_embeds": (2, 4, 64), "encoder_hidden_states": (2, 5, 32)},
        settings={"encoder_hidden_size": 32},
    ),
    "xlstm": text(settings={"embedding_dim": 64, "num_blocks": 2, "use_cache": False}),
    "idefics": Arch(
        {"input_ids": (2, 10), "attention_mask": (2, 10), "pixel_values": (2, 1, 3, 32, 32),
         "image_attention_mask": (2, 10, 1)},
        attn="eager",
    ),
    "depth_pro": image(
        3, 64, 64,
        settings={"intermediate_hook_ids": [1, 0], "intermediate_feature_dims": [32, 32],
                  "scaled_images_feature_dims": [64, 64, 32], "fusion_hidden_size": 32},
        sub={"image_model_config": {"image_size": 16}, "patch_model_config": {"image_size": 16}},
    ),
    "pp_ocrv5_server_rec": image(3, 64, 128),
    # Found with a second sweep of configs written per model (transformers 5.24.0)
    "audio-spectrogram-transformer": Arch(
        {"input_values": (2, 64, 32)},
        settings={"max_length": 64, "num_mel_bins": 32, "frequency_stride": 8, "time_stride": 8},
    ),
    "axk1": text(moe=True, settings={**MLA, "n_group": 1, "topk_group": 1}),
    "bamba": text(settings={"mamba_n_heads": 8, "mamba_d_head": 16, "mamba_d_state": 16,
                            "mamba_chunk_size": 16, "attn_layer_indices": [1]}),
    "canary": features(64, 128, decoder=True),
    "deepseek_v3": text(moe=True, settings={**MLA, "n_group": 1, "topk_group": 1}),
    # q_norm and k_norm are LayerNorm(hidden_size): as many key-value heads as heads
    "esmc": text(settings={"num_key_value_heads": 4}),
    "glm4v_moe_text": text(moe=True, settings=mrope(10000.0, [2, 1, 1], partial_rotary_factor=0.5)),
    "glm4v_text": text(settings=mrope(10000.0, [4, 2, 2])),
    "glm_moe_dsa": text(moe=True, settings={
        **MLA4, "index_head_dim": 16, "index_n_heads": 4, "index_topk": 4,
        "mlp_layer_types": ["dense", "sparse"]}),
    "granitemoehybrid": text(moe=True, settings={
        "mamba_n_heads": 8, "mamba_d_head": 16, "mamba_d_state": 16, "mamba_chunk_size": 16,
        "shared_intermediate_size": 32, "layer_types": ["linear_attention", "full_attention"]}),
    "lasr_ctc": features(64, 128),
    "mamba2": text(settings={"num_heads": 8, "n_groups": 1, "state_size": 16, "chunk_size": 16}),
    "pp_ocrv5_mobile_rec": image(3, 96, 64),  # its last avg_pool2d((3, 2)) needs 3 rows
    "pp_ocrv6_tiny_rec": image(3, 48, 32),
    "qwen2_vl_text": text(settings=mrope(1000000.0, [4, 2, 2])),
    "radio": image(settings={"patch_dim": 192, "max_img_size": 64}),
    "rt_detr": image(settings={"num_queries": 10, "encoder_hidden_dim": 32,
                               "decoder_in_channels": [32, 32, 32]}),
    "sam3_lite_text_text_model": text(),
    "seggpt": Arch({"pixel_values": (2, 3, 32, 32), "prompt_pixel_values": (2, 3, 32, 32),
                    "prompt_masks": (2, 3, 32, 32)}, settings={"image_size": [64, 32]}),
    # its column position embeddings are reshaped to (batch, 1, width, hidden): batch 1 only
    "tvp": Arch({"input_ids": (1, 10), "pixel_values": (1, 2, 3, 64, 64)},
                settings={"max_img_size": 64, "visual_prompt_size": 8}),
    "voxtral_realtime": Arch({"input_ids": (2, 8), "input_features": (2, 128, 64)}),
    "zamba": text(settings={"attention_hidden_size": 128, "attention_head_dim": 32,
                            "mamba_dt_rank": 8, "num_hidden_layers": 3,
                            "layers_block_type": ["linear_attention", "hybrid", "hybrid"]}),
    "glm4v": text(sub={"text_config": mrope(10000.0, [4, 2, 2]),
                       "vision_config": {"out_hidden_size": 64}}),
    "glm_image": text(sub={"text_config": mrope(10000.0, [4, 2, 2]),
                           "vision_config": {"out_hidden_size": 64}}),
    "paddleocr_vl": text(sub={"text_config": mrope(10000.0, [4, 2, 2])}),
    "qwen2_5_vl": text(sub={"text_config": mrope(1000000.0, [4, 2, 2]),
                            "vision_config": {"out_hidden_size": 64}}),
    "granite_speech5_ctc": features(64, 320, sub={"encoder_config": {"num_key_value_heads": 4}}),
    "mistral_large4": text(moe=True, sub={"text_config": {
        **MLA4, "index_head_dim": 16, "index_n_heads": 4, "index_topk": 4,
        "mlp_layer_types": ["dense", "sparse"]}}),
    "nemotron3_diarization": features(64, 128, sub={"head_config": {"audio_hidden_size": 64}}),
    "xclip": Arch(
        {"input_ids": (2, 10), "pixel_values": (2, 2, 3, 32, 32)},
        settings={"projection_dim": 64, "prompt_num_attention_heads": 4, "prompt_layers": 1},
        sub={"vision_config": {"mit_hidden_size": 64, "mit_intermediate_size": 64,
                               "mit_num_attention_heads": 4}},
    ),
    # frozen: see Arch.frozen
    "lw_detr": image(
        3, 64, 64, frozen=True,
        settings={"projector_scale_factors": [1.0], "projector_in_channels": [64],
                  "projector_out_channels": 64, "num_feature_levels": 1, "num_queries": 10},
        sub={"backbone_config": {"window_block_indices": [0], "out_indices": [1, 2]}},
    ),
    "sam2": Arch(
        {"pixel_values": (1, 3, 128, 128)}, frozen=True,
        sub={
            "vision_config.backbone_config": {
                "hidden_size": 16, "image_size": [128, 128], "blocks_per_stage": [1, 1, 1, 1],
                "embed_dim_per_stage": [16, 32, 64, 128],
                "num_attention_heads_per_stage": [1, 1, 1, 1],
                "window_size_per_stage": [4, 4, 4, 2], "global_attention_blocks": [],
                "window_positional_embedding_background_size": [4, 4]},
            "vision_config": {"backbone_channel_list": [128, 64, 32, 16],
                              "backbone_feature_sizes": [[32, 32], [16, 16], [8, 8]],
                              "fpn_hidden_size": 64},
            "prompt_encoder_config": {"image_size": 128, "patch_size": 16},
            "mask_decoder_config": {"mlp_dim": 64, "iou_head_hidden_dim": 32},
        },
    ),
    # Multimodal models on their text path (their towers, made small, counted not run),
    # and more configs written per model
    "apertus1p5": text(sub={
        "vision_config": {"base_channels": 32, "codebook_size": 64, "num_res_blocks": 1,
                          "latent_channels": 32, "channel_multiplier": [1, 1]},
        "audio_config": {"decoder_hidden_size": 64, "decoder_intermediate_size": 64,
                         "decoder_num_layers": 1, "codebook_size": 64, "codebook_dim": 32,
                         "num_filters": 8, "upsampling_ratios": [2, 2]}}),
    "cohere_compass": text(sub={
        "text_config": {
            "layer_types": ["full_attention"] * 2,
            "rope_parameters": {"full_attention": {
                "rope_type": "default", "rope_theta": 10000.0, "mrope_section": [4, 2, 2]}}},
        "vision_config": {"out_hidden_size": 64}}),
    "deepseek_ocr2": text(moe=True, sub={
        "text_config": {"mlp_layer_types": ["dense", "sparse"], "num_experts_per_tok": 2},
        "vision_config.sam_config": {"mlp_dim": 64, "global_attn_indexes": [1],
                                     "downsample_channels": [32, 64], "output_channels": 32}}),
    "dots3_note": text(moe=True, sub={
        "text_config": {
            "num_attention_heads": 4, "num_key_value_heads": 4, "kv_lora_rank": 16,
            "qk_nope_head_dim": 8, "head_dim": 32, "index_head_dim": 16, "index_n_heads": 4,
            "index_topk": 4, "shared_experts_intermediate_size": 32, "per_layer_config": {},
            "layer_types": ["indexed_attention", "sliding_attention"],
            "mlp_layer_types": ["dense", "sparse"]},
        "vision_config": {"mlp_layer_types": ["dense", "dense"], "num_local_experts": 4,
                          "per_layer_config": {}, "adapter_in_dim": 64, "adapter_out_dim": 64},
        "audio_config": {"adapter_out_dim": 64, "adapter_input_size": 64,
                         "downsample_hidden_size": 16, "conv_output_size": 256}}),
    "efficientnet": image(settings={"width_coefficient": 0.25, "depth_coefficient": 1.0,
                                    "hidden_dim": 320, "num_block_repeats": [1] * 7}),
    "ernie4_5_vl_moe": text(moe=True, sub={"text_config": mrope(500000.0, [3, 3, 2])}),
    "florence2": seq2seq(attn="eager", sub={"vision_config": {
        "embed_dim": [16, 32, 48, 64], "num_groups": [1, 2, 3, 4], "projection_dim": 64}}),
    "gemma3n_text": text(settings={
        "intermediate_size": [64, 64], "layer_types": ["sliding_attention", "full_attention"],
        "activation_sparsity_pattern": [0.95, 0.0], "vocab_size_per_layer_input": 99,
        "hidden_size_per_layer_input": 16, "num_kv_shared_layers": 0, "laurel_rank": 8}),
    # eager, and a mask: without one, masking_utils reads the position ids' values
    "gemma4": masked(attn="eager", sub={"text_config": GEMMA4_TEXT}),
    "gemma4_unified": masked(attn="eager", sub={"text_config": GEMMA4_TEXT}),
    "hunyuan_v1_dense": text(settings={"head_dim": 16}),
    "ministral": text(settings={"head_dim": 16,
                                "layer_types": ["sliding_attention", "full_attention"]}),
    "lfm2_moe": text(moe=True, settings={"layer_types": ["conv", "full_attention"]}),
    "muse_glimmer": text(
        settings={"out_hidden_size": 256, "projector_hidden_size": 64},
        sub={"vision_config": {"layer_types": ["window_attention", "full_attention"]}}),
    # decoder ids of shape (batch, time, channels), one delay per channel
    "dia": Arch(
        {"input_ids": (2, 10), "decoder_input_ids": (2, 6, 3)},
        attn="eager",
        settings={"delay_pattern": [0, 1, 2]},
        sub={"decoder_config": {"cross_hidden_size": 64, "cross_num_attention_heads": 4,
                                "cross_head_dim": 16, "cross_num_key_value_heads": 2}},
    ),
}  # fmt: skip


# Written per model, for architectures whose generic small config does not build (time
# series, codecs, multimodal models on their text path: their image, VQ and codec parts are
# made small and counted, not run).
_TOK = {
    "num_filters": 8,
    "downsampling_ratios": [2, 2],
    "depths": [1, 1, 1],
}  # a small VibeVoice tokenizer
ZOO.update(
    {
        "autoformer": Arch(
            {
                "past_values": (2, 23),
                "past_time_features": (2, 23, 1),
                "past_observed_mask": (2, 23),
                "future_values": (2, 8),
                "future_time_features": (2, 8, 1),
            },
            settings={
                "prediction_length": 8,
                "context_length": 16,
                "num_time_features": 1,
                "label_length": 4,
                "feature_size": 10,
            },
        ),
        "chameleon": text(
            settings={"vocabulary_map": {"<image>": 150}, "vocab_size": 200},
            sub={
                "vq_config": {
                    "base_channels": 32,
                    "num_embeddings": 64,
                    "num_res_blocks": 1,
                    "latent_channels": 32,
                    "channel_multiplier": [1, 2],
                }
            },
        ),
        "cohere_compass_text": text(
            settings={
                "layer_types": ["full_attention"] * 2,
                "rope_parameters": {
                    "full_attention": {
                        "rope_type": "default",
                        "rope_theta": 10000.0,
                        "mrope_section": [4, 2, 2],
                    }
                },
            }
        ),
        "csm": text(
            settings={
                "num_codebooks": 4,
                "text_vocab_size": 200,
                "audio_token_id": 150,
                "audio_eos_token_id": 151,
            },
            sub={
                "codec_config": {
                    "upsample_groups": 64,
                    "num_quantizers": 4,
                    "codebook_size": 64,
                    "codebook_dim": 16,
                    "vector_quantization_hidden_dimension": 16,
                    "num_filters": 8,
                },
                "depth_decoder_config": {"num_codebooks": 4, "backbone_hidden_size": 64},
            },
        ),
        "dac": audio(
            1,
            400,
            settings={
                "encoder_hidden_size": 8,
                "downsampling_ratios": [2, 4],
                "upsampling_ratios": [4, 2],
                "decoder_hidden_size": 32,
                "hidden_size": 32,
                "hop_length": 8,
                "n_codebooks": 2,
                "codebook_size": 64,
            },
        ),
        "diffusion_gemma": masked(
            moe=True,
            attn="eager",
            sub={
                "text_config": {"num_experts": 4, "top_k_experts": 2, "moe_intermediate_size": 32}
            },
        ),
        "dots1": text(
            moe=True,
            settings={"n_routed_experts": 4, "n_shared_experts": 1, "num_experts_per_tok": 2},
        ),
        "emu3": text(
            settings={"vocabulary_map": {"<image>": 150, "<|extra_200|>": 151}},
            sub={
                "text_config": {"vocab_size": 200},
                "vq_config": {
                    "base_channels": 32,
                    "codebook_size": 64,
                    "num_res_blocks": 1,
                    "channel_multiplier": [1, 2],
                    "attn_resolutions": [],
                },
            },
        ),
        "esm": text(settings={"vocab_size": 99, "pad_token_id": 1, "mask_token_id": 2}),
        "funnel": text(
            settings={
                "architectures": ["FunnelModel"],
                "d_inner": 64,
                "d_head": 16,
                "block_sizes": [1, 1, 1],
            }
        ),
        "gemma4_text": text(settings=GEMMA4_TEXT_ALONE),
        "gemma4_unified_text": text(settings=GEMMA4_TEXT_ALONE),
        "hunyuan_v1_moe": text(moe=True, settings={"head_dim": 16}),
        "hunyuan_vl_text": text(settings={"head_dim": 16, **mrope(10000.0, [2, 2, 2, 2])}),
        "janus": text(
            sub={
                "vision_config": {"projection_dim": 64, "num_image_tokens": 16},
                "vq_config": {
                    "num_embeddings": 64,
                    "base_channels": 32,
                    "latent_channels": 32,
                    "channel_multiplier": [1, 2],
                    "num_res_blocks": 1,
                    "projection_dim": 64,
                    "image_token_embed_dim": 64,
                    "num_patches": 4,
                },
            }
        ),
        "minimax_m3_vl": text(
            moe=True,
            settings={"projector_hidden_size": 64, "merged_hidden_size": 256},
            sub={
                "text_config": {
                    "dense_intermediate_size": 64,
                    "shared_intermediate_size": 32,
                    "index_head_dim": 16,
                }
            },
        ),
        "moonshine_streaming": audio(
            1600, decoder=True, settings={"num_key_value_heads": 4, "decoder_start_token_id": 1}
        ),
        "muse_glimmer_assistant": Arch(
            {"noise_embeds": (2, 16, 64), "context_hidden_states": (2, 6, 320)}
        ),
        "muse_spark_audio": audio(
            160,
            settings={
                "patch_sizes": [4, 2],
                "hidden_sizes": [16, 32],
                "depths": [1, 1],
                "num_hidden_layers": 2,
                "out_hidden_size": 64,
            },
        ),
        "musicgen_melody": Arch(
            {"input_ids": (8, 10), "encoder_hidden_states": (2, 5, 64)},
            settings={
                "vocab_size": 99,
                "max_position_embeddings": 128,
                "num_hidden_layers": 2,
                "ffn_dim": 64,
                "num_attention_heads": 4,
                "layerdrop": 0.0,
                "activation_function": "gelu",
                "hidden_size": 64,
                "dropout": 0.1,
                "attention_dropout": 0.0,
                "activation_dropout": 0.0,
                "scale_embedding": False,
                "num_codebooks": 4,
                "audio_channels": 1,
                "pad_token_id": 1,
                "bos_token_id": 2,
            },
        ),
        "nemotron": text(settings={"num_key_value_heads": 2, "head_dim": 16}),
        "patchtsmixer": Arch({"past_values": (2, 32, 7)}),
        "seamless_m4t_v2": seq2seq(
            settings={
                "t2u_vocab_size": 99,
                "char_vocab_size": 99,
                "speech_encoder_layers": 1,
                "speech_encoder_attention_heads": 4,
                "speech_encoder_intermediate_size": 64,
                "t2u_encoder_layers": 1,
                "t2u_encoder_ffn_dim": 64,
                "t2u_encoder_attention_heads": 4,
                "t2u_decoder_layers": 1,
                "t2u_decoder_ffn_dim": 64,
                "t2u_decoder_attention_heads": 4,
                "t2u_variance_predictor_embed_dim": 64,
                "t2u_variance_predictor_hidden_dim": 32,
                "upsample_initial_channel": 32,
                "upsample_rates": [2, 2],
                "upsample_kernel_sizes": [4, 4],
                "resblock_kernel_sizes": [3],
                "resblock_dilation_sizes": [[1, 3]],
                "unit_hifi_gan_vocab_size": 99,
                "unit_embed_dim": 32,
                "lang_embed_dim": 16,
                "spkr_embed_dim": 16,
                "vocoder_num_langs": 4,
                "vocoder_num_spkrs": 4,
            }
        ),
        "vibevoice": text(sub={"audio_config": _TOK, "semantic_model_config": _TOK}),
        "vibevoice_acoustic_tokenizer_decoder": Arch({"hidden_states": (2, 64, 4)}, settings=_TOK),
        "vibevoice_asr": text(
            sub={
                "acoustic_tokenizer_encoder_config": _TOK,
                "semantic_tokenizer_encoder_config": _TOK,
            }
        ),
        "videoprism_vision_model": Arch({"pixel_values_videos": (2, 2, 3, 32, 32)}),
        "xcodec": audio(
            1,
            1600,
            settings={"codebook_size": 64, "codebook_dim": 128},
            sub={
                "acoustic_model_config": {
                    "encoder_hidden_size": 8,
                    "downsampling_ratios": [4, 8, 10],
                    "upsampling_ratios": [10, 8, 4],
                    "decoder_hidden_size": 32,
                    "hidden_size": 64,
                    "hop_length": 320,
                }
            },
        ),
    }
)


@pytest.mark.parametrize("model_type", sorted(ZOO))
def test_zoo_model(model_type: str) -> None:
    torch.manual_seed(0)
    model, inputs = ZOO[model_type].build(model_type)
    check_module(model, inputs)
    # Where the symbolic tracer takes the model, its record is the meta tracer's, call by
    # call and contraction by contraction (not only the totals checked above), and each
    # module call's outputs are laid out alike (strides too, which the records leave out).
    # (The symbolic trace first, as trace's default runs it: model code may cache results
    # across calls, SAM 3's position embedding among them.)
    try:
        symbolic, symbolic_layouts = output_strides(model, inputs, "symbolic")
    except Exception:  # trace's default hands such a model to the meta tracer
        assert trace(model, input_data=inputs).traced_by == "meta"
        return
    meta, meta_layouts = output_strides(model, inputs, "meta")
    assert _as_data(symbolic) == _as_data(meta)
    shared = symbolic_layouts.keys() & meta_layouts.keys()
    assert shared
    differ = [k for k in sorted(shared) if symbolic_layouts[k] != meta_layouts[k]]
    assert not differ, (differ[0], symbolic_layouts[differ[0]], meta_layouts[differ[0]])


# Code that reads tensor values, which no meta tensor has: modelmath cannot trace these
# calls (its meta tracer, like the oracle's meta copy, stops at Tensor.item()), though the
# real pass runs. Parameters and shapes are checked against it (MACs need the meta oracle).
READS_VALUES = {
    # BART's decoder makes an all-ones mask, then the same test.
    "bart_sdpa": ("bart", seq2seq()),
    # warn_if_padding_and_no_attention_mask reads the ids' first and last columns.
    "megatron_bert_without_mask": ("megatron-bert", text()),
}  # fmt: skip


@pytest.mark.xfail(strict=True, raises=modelmath.errors.UsageError, reason="reads values")
@pytest.mark.parametrize("case", sorted(READS_VALUES))
def test_zoo_reads_values(case: str) -> None:
    model_type, arch = READS_VALUES[case]
    torch.manual_seed(0)
    model, inputs = arch.build(model_type)
    model.eval()
    s = modelmath.summary(model, input_data=inputs)
    assert isinstance(s, ModuleSummary)
    assert s.totals.params.value == sum(p.numel() for p in model.parameters())
    assert [(r.path, r.outputs) for r in s.rows if r.called] == real_calls(model, inputs)


_EAGER_ONLY = 'which no shape-only pass can: build the model with attn_implementation="eager".'


def _padded(shape: tuple[int, ...]) -> torch.Tensor:
    mask = torch.ones(shape, dtype=torch.long)
    mask[0, -3:] = 0  # the first sequence padded
    return mask


@pytest.mark.parametrize(
    ("case", "mask", "says"),
    [
        # SDPA: eager attention may avoid it; no mask was given to leave out
        ("bart_sdpa", None, _EAGER_ONLY),
        # an all-ones mask is left out by modelmath itself: only eager is left to try
        ("bart_sdpa", torch.ones, _EAGER_ONLY),
        # a padded mask: leaving it out is the user's choice
        ("bart_sdpa", _padded, "leave attention_mask out (a mask changes no shape, parameter"),
        # already eager, no mask: its own check of the ids reads values
        ("megatron_bert_without_mask", None, "neither leaving a mask out nor eager attention"),
    ],
)  # fmt: skip
def test_value_reads_say_what_may_avoid_them(case: str, mask: Any, says: str) -> None:
    model_type, arch = READS_VALUES[case]
    torch.manual_seed(0)
    model, inputs = arch.build(model_type)
    if mask is not None:
        inputs["attention_mask"] = mask(inputs["input_ids"].shape)
        if mask is torch.ones:
            inputs["attention_mask"] = inputs["attention_mask"].long()
    with pytest.raises(modelmath.errors.UsageError) as caught:
        modelmath.summary(model, input_data=inputs)
    assert says in str(caught.value)


# Not checked, by the sweep of transformers 5.24.0's AutoModel types (622; 440 pass: 411
# above, 9 in test_transformers.py, 20 listed last). A second sweep wrote configs per model
# for the 228 the generic small config did not fit: 111 of them then passed.
# - the oracle cannot run them on meta either, as they read tensor values (attention or
#   padding masks, packed-sequence position ids; see READS_VALUES): bailing_hybrid,
#   big_bird, bigbird_pegasus, bridgetower, bros, canine, convbert, dpr, encodec,
#   fastspeech2_conformer(_with_hifigan), flaubert, higgs_audio_v2, ibert,
#   idefics3_vision, inkling_text, jamba, kimi_linear, layoutlmv3, led, lfm3, lfm3_vl,
#   lilt, longformer, megatron-bert, mimi, mimi_encoder, minicpm_ocr, minicpmv4_6,
#   minicpmv4_7, nystromformer, olmo_hybrid, pocket_tts_audio_tokenizer(_encoder),
#   qwen3_5, qwen3_5_moe, qwen3_5_moe_text, qwen3_5_text, qwen3_next, qwen4_exp_text,
#   reformer, rembert, roformer, sam3_lite_text, smolvlm_vision, splinter, squeezebert,
#   tapas, vilt, wavtokenizer_encoder, xlm;
# - data-dependent shapes (torch.nonzero, copies out of a tensor): jetmoe, lightglue,
#   switch_transformers, vits; grouped_mm experts without a batched_mm option:
#   glm4_moe_lite, mistral4, unlimited_ocr;
# - the oracle's meta copy fails where modelmath runs (not checkable by check_module):
#   sam, sam_hq, sam3_tracker ("Expected gradient function to be set"), sew-d (a CPU
#   constant meets a meta tensor);
# - the generic small config or inputs do not fit them, and the second sweep did not
#   make them fit: of the 128 whose real pass failed, 59 then read tensor values
#   (grid_thw vision towers, deformable-attention detectors, masks a Q-Former builds
#   itself) and 7 pass only with a build of their own not kept here (dots3_note_text,
#   hy_v4_vl, pe_audio_encoder, pp_doclayout_v3, pp_ocrv6_small_det, step3p7, and
#   pp_ocrv6_small_rec, 2-3 s); of the 100 that did not build or took inputs the sweep
#   does not make, 17 need packages not installed beside torch 2.13.0 (timm, natten,
#   detectron2, torchaudio), the others read tensor values, take integer inputs or a
#   session object, stay too big or slow, or were not reached in the time given (15);
# - and bit, efficientloftr, glm_ocr_text, levit, mobilevitv2,
#   sam2_hiera_det_model, sapiens2, siglip, swin2sr,
#   vision-text-dual-encoder, which passed in the sweep with their default widths only,
#   and glm5_next_text, hrm_text and textnet, which pass here too but take 1.3-1.9 s
#   each: left out for CI time.
