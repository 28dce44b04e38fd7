"""A module's settings as plain data, the config its rule reads.

``torch.nn`` layers list their settings in ``__constants__``; a few keep others as plain
attributes (MultiheadAttention's sizes) or only show them by whether a parameter exists
(``bias``). Values become ints, floats, strings, bools, ``None`` and tuples of them, so a
rule never sees a torch object.

>>> import torch
>>> cfg = module_config(torch.nn.Conv2d(3, 8, 3, padding=1, bias=False))
>>> cfg["kernel_size"], cfg["padding"], cfg["bias"]
((3, 3), (1, 1), False)
"""

from __future__ import annotations

from typing import Any

import torch

# Settings a class keeps outside ``__constants__``.
_EXTRA: dict[str, tuple[str, ...]] = {
    "MultiheadAttention": (
        "embed_dim",
        "kdim",
        "vdim",
        "num_heads",
        "head_dim",
        "add_zero_attn",
        "_qkv_same_embed_dim",
    ),
    "RNN": ("nonlinearity",),
    "RNNCell": ("nonlinearity",),
    "Upsample": ("size", "scale_factor", "mode", "align_corners"),
    "UpsamplingNearest2d": ("size", "scale_factor", "mode"),
    "UpsamplingBilinear2d": ("size", "scale_factor", "mode", "align_corners"),
    "Softmax": ("dim",),
    "LogSoftmax": ("dim",),
    "Softmin": ("dim",),
    "GLU": ("dim",),
    "PReLU": ("num_parameters",),
    "ChannelShuffle": ("groups",),
    "MaxUnpool1d": ("kernel_size", "stride", "padding"),
    "MaxUnpool2d": ("kernel_size", "stride", "padding"),
    "MaxUnpool3d": ("kernel_size", "stride", "padding"),
}


def plain(value: Any) -> Any:
    """``value`` as plain Python data (torch.Size and lists become tuples)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list, torch.Size)):
        return tuple(plain(v) for v in value)
    if isinstance(value, torch.dtype):
        return str(value).removeprefix("torch.")
    return repr(value)


def module_config(module: torch.nn.Module) -> dict[str, Any]:
    """The settings of ``module`` by their torch names."""
    cls = type(module)
    names = [*getattr(cls, "__constants__", ()), *_EXTRA.get(cls.__name__, ())]
    config: dict[str, Any] = {}
    for name in names:
        if hasattr(module, name):
            config[name] = plain(getattr(module, name))
    params = module._parameters
    for flag, param in (("bias", "bias"), ("bias", "in_proj_bias"), ("add_bias_kv", "bias_k")):
        if param in params or hasattr(module, param):
            config[flag] = getattr(module, param, None) is not None
    if cls.__name__ == "MultiheadAttention":
        config["bias"] = module.in_proj_bias is not None
    if "elementwise_affine" in config or "affine" in config:
        config["has_weight"] = params.get("weight") is not None
    return config
