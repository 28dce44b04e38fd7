"""A live Keras 3 model → Graph, through the same config that ``model.to_json()`` writes.

Keras is imported only here, and only when the object given is a Keras model; weights
are never read.
"""

from __future__ import annotations

from typing import Any

from modelmath.errors import ConfigError
from modelmath.frontends.keras_config import graph_from_config
from modelmath.graph import Graph, Shape


def is_keras_model(obj: Any) -> bool:
    """True for Keras 3 models, without importing Keras."""
    return any(
        c.__module__.startswith(("keras.", "keras")) and c.__name__ in ("Model", "Layer")
        for c in type(obj).__mro__
    )


def graph_from_model(model: Any, *, input_shape: Shape | None = None) -> Graph:
    """The Graph of a live Keras model (Functional or Sequential)."""
    import keras  # the user passed a Keras object, so Keras is installed

    try:
        config = keras.saving.serialize_keras_object(model)
    except NotImplementedError:
        raise ConfigError(
            f"the subclassed model {type(model).__name__} has no get_config()",
            fix="Build it as a Functional or Sequential model, or give its layers a config",
        ) from None
    if not isinstance(config.get("config"), dict) or "layers" not in config["config"]:
        raise ConfigError(
            f"{type(model).__name__} is a subclassed model whose config lists no layers",
            received=config.get("class_name"),
            fix="modelmath reads Functional and Sequential models",
        )
    return graph_from_config(config, source=f"model '{model.name}'", input_shape=input_shape)
