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

import re
from typing import Any

import torch

from modelmath.frontends.torch_module.symbolic import SymParameter, SymTensor

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


_SCALARS = {bool, int, float, str}
_DEFAULT_REPR: Any = object.__repr__


def plain(value: Any) -> Any:
    """``value`` as plain Python data (torch.Size and lists become tuples)."""
    kind = type(value)
    if value is None or kind in _SCALARS:
        return value
    if kind is tuple and all(type(v) in _SCALARS for v in value):
        return value
    if kind is SymTensor or kind is SymParameter:  # its repr, without a type test on it
        return repr(value)  # the meta tensor's it stands for, as the meta tracer writes it
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list, torch.Size)):
        return tuple(plain(v) for v in value)
    if isinstance(value, torch.dtype):
        return str(value).removeprefix("torch.")
    if isinstance(value, torch.device) and value.type == "meta":
        # the symbolic tracer's tensors report meta under an index of their own (see
        # symbolic._META): a traced pass's tensors are on meta, whichever tracer ran
        return "device(type='meta')"
    if getattr(type(value), "__repr__", None) is _DEFAULT_REPR:  # its address: new each run
        return f"<{type(value).__qualname__} object>"
    text = repr(value)
    if " object at 0x" in text:  # a default repr inside its own (a cache's layers)
        text = _ADDRESS.sub(" object", text)
    return text


_ADDRESS = re.compile(r" object at 0x[0-9a-fA-F]+")


_MISSING = object()
_MODULE_GETATTR = torch.nn.Module.__getattr__
_FLAGS = (("bias", "bias"), ("bias", "in_proj_bias"), ("add_bias_kv", "bias_k"))

# class → each setting it lists, and whether it is read through getattr: a name the
# class defines (a property, a default) or any name of a class with its own __getattr__
# is read as Python reads it; any other from the instance's stores, without the
# exception Module.__getattr__ raises for a missing name (most of the cost). Known per
# class: classes are not changed between summaries.
_PLANS: dict[type, tuple[tuple[tuple[str, bool], ...], tuple[bool, ...]]] = {}


def _through_class(cls: type, name: str) -> bool:
    return hasattr(cls, name) or getattr(cls, "__getattr__", None) is not _MODULE_GETATTR


def _plan(cls: type) -> tuple[tuple[tuple[str, bool], ...], tuple[bool, ...]]:
    found = _PLANS.get(cls)
    if found is None:
        names = (*getattr(cls, "__constants__", ()), *_EXTRA.get(cls.__name__, ()))
        found = (
            tuple((n, _through_class(cls, n)) for n in names),
            tuple(_through_class(cls, param) for _, param in _FLAGS),
        )
        if len(_PLANS) < 1024:
            _PLANS[cls] = found
    return found


def _setting(module: torch.nn.Module, name: str, through_class: bool) -> Any:
    """``getattr(module, name)``, or _MISSING where ``hasattr`` would be False."""
    if through_class:
        return getattr(module, name, _MISSING)
    state = module.__dict__
    found = state.get(name, _MISSING)
    if found is not _MISSING:
        return found
    for store in ("_parameters", "_buffers", "_modules"):
        found = state[store].get(name, _MISSING)
        if found is not _MISSING:
            return found
    return _MISSING


def module_config(module: torch.nn.Module) -> dict[str, Any]:
    """The settings of ``module`` by their torch names."""
    cls = type(module)
    names, flags_through = _plan(cls)
    config: dict[str, Any] = {}
    get = module.__dict__.get
    for name, through in names:
        # _setting and plain, their usual cases inline: this runs for every layer alike
        value = _MISSING if through else get(name, _MISSING)
        if value is _MISSING:
            value = _setting(module, name, through)
            if value is _MISSING:
                continue
        config[name] = value if value is None or type(value) in _SCALARS else plain(value)
    params = module._parameters
    for (flag, param), through in zip(_FLAGS, flags_through):
        value = params[param] if param in params else _setting(module, param, through)
        if param in params or value is not _MISSING:
            config[flag] = value is not None
    if cls.__name__ == "MultiheadAttention":
        config["bias"] = module.in_proj_bias is not None
    if "elementwise_affine" in config or "affine" in config:
        config["has_weight"] = params.get("weight") is not None
    return config
