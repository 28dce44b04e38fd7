"""Frontends turn what the user has into a :class:`~modelmath.graph.Graph`.

The list is explicit: each input kind names the module that reads it, and a framework is
imported only by its own frontend, only when the input is that framework's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from modelmath.errors import InputFileError, ModelMathError, UsageError
from modelmath.graph import Graph, Shape


def load_graph(obj: Any, *, input_shape: Shape | None = None) -> Graph:
    """A Graph from a path (.keras, .json), a config dict, or a live Keras model."""
    from modelmath.frontends import keras_config, keras_model

    if isinstance(obj, (str, os.PathLike)):
        return _load_path(os.fspath(obj), input_shape)
    if isinstance(obj, Mapping):
        return keras_config.graph_from_config(obj, input_shape=input_shape)
    if keras_model.is_keras_model(obj):
        return keras_model.graph_from_model(obj, input_shape=input_shape)
    raise UsageError(
        "expected a Keras model, a model config dict, or the path of a .keras or .json file",
        received=type(obj).__name__,
    )


def _load_path(path: str, input_shape: Shape | None) -> Graph:
    from modelmath.frontends import files, keras_config

    head = files.sniff(path)
    if head.startswith(files.ZIP_MAGIC):
        config = files.read_keras_archive_config(path)
        where = f"{path}:config.json"
    elif head.startswith(files.HDF5_MAGIC):
        raise InputFileError(
            "this is a legacy HDF5 (.h5) model; modelmath reads Keras 3 .keras files and "
            "config JSON",
            received=path,
            fix="Load it in Keras and save it with model.save('model.keras'), "
            "or write model.to_json() to a file",
        )
    elif head.lstrip()[:1] in (b"{", b"["):
        config = files.read_json_file(path)
        where = path
    elif path.endswith((".keras", ".json")) or not head.strip():
        raise InputFileError(
            "expected a .keras archive or a JSON model config",
            received=f"a file starting with {head!r}" if head else "an empty file",
            where=path,
        )
    else:
        raise InputFileError(
            "this file is not a model modelmath can read",
            received=f"a file starting with {head!r}",
            where=path,
            fix="Pass a .keras file or the JSON that model.to_json() writes",
        )
    try:
        return keras_config.graph_from_config(config, source=where, input_shape=input_shape)
    except ModelMathError as err:
        raise err.with_context(where) from None
