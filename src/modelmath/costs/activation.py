"""How many element-wise operations an activation function counts per element.

One operation per element for every activation (a comparison, an exponential, a tanh are
each one), except the ones below; this is a convention, written in docs/conventions.md.

>>> activation_ops("relu"), activation_ops("linear"), activation_ops("softmax")
(1, 0, 3)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# exp, the sum's add and the division; the max subtracted for stability is not counted.
SOFTMAX_OPS = 3

_SPECIAL = {
    None: 0,
    "linear": 0,
    "softmax": SOFTMAX_OPS,
    "log_softmax": SOFTMAX_OPS + 1,
}


def activation_name(raw: Any) -> str | None:
    """The activation's name from a config entry: a string, or a serialized function."""
    if isinstance(raw, Mapping):
        inner = raw.get("config")
        if isinstance(inner, str):
            return inner
        if isinstance(inner, Mapping) and isinstance(inner.get("name"), str):
            return str(inner["name"])
        name = raw.get("class_name")
        return str(name) if isinstance(name, str) else None
    return raw if isinstance(raw, str) else None


def activation_ops(raw: Any) -> int:
    """Element-wise operations per element of the activation ``raw`` names."""
    name = activation_name(raw)
    return _SPECIAL.get(name, 1) if name is None or name in _SPECIAL else 1
