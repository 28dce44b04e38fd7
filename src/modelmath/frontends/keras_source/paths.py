"""Dotted names as scripts spell them → one canonical Keras path.

``tf.keras.layers.Dense``, ``tensorflow.keras.layers.Dense``, ``keras.layers.core.Dense``
and ``keras.layers.Dense`` are the same class; ``keras.models.Model`` is ``keras.Model``.

>>> canonical("tensorflow.keras.layers.experimental.preprocessing.Rescaling")
'keras.layers.Rescaling'
>>> canonical("tensorflow.keras.models.Sequential"), canonical("keras.layers.Input")
('keras.Sequential', 'keras.Input')
"""

from __future__ import annotations

_PREFIXES = (
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras.api", "keras"),
    ("keras._tf_keras.keras", "keras"),
)

_ALIASES = {
    "keras.models.Model": "keras.Model",
    "keras.models.Sequential": "keras.Sequential",
    "keras.engine.training.Model": "keras.Model",
    "keras.engine.sequential.Sequential": "keras.Sequential",
    "keras.engine.functional.Functional": "keras.Model",
    "keras.layers.Input": "keras.Input",
    "keras.layers.Layer": "keras.Layer",
    "keras.engine.base_layer.Layer": "keras.Layer",
    "keras.layers.InputLayer": "keras.layers.InputLayer",
    "keras.models.Functional": "keras.Model",
    "keras.Functional": "keras.Model",
    "keras.src.models.functional.Functional": "keras.Model",
}


def canonical(path: str) -> str:
    """The canonical spelling of a dotted name (unchanged when it is not Keras's)."""
    for old, new in _PREFIXES:
        if path == old or path.startswith(old + "."):
            path = new + path[len(old) :]
            break
    parts = path.split(".")
    # keras.layers.core.Dense, keras.layers.experimental.preprocessing.Rescaling → keras.layers.X
    if len(parts) > 3 and parts[:2] == ["keras", "layers"]:
        path = "keras.layers." + parts[-1]
    return _ALIASES.get(path, path)


def is_keras(path: str) -> bool:
    return path == "keras" or path.startswith("keras.")
