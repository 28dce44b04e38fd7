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

MAX_SOURCE_BYTES = 1024 * 1024  # a model script is a few KB; refuse what cannot be one


def load_graphs(
    obj: Any, *, input_shape: Shape | None = None, model_name: str | None = None
) -> list[Graph]:
    """Every model ``obj`` holds: a Python script may build several, in order.

    ``model_name`` picks one by variable or model name (scripts only).
    """
    if isinstance(obj, (str, os.PathLike)) and os.fspath(obj).endswith(".py"):
        path = os.fspath(obj)
        from modelmath.frontends import files

        files.sniff(path)
        size = os.path.getsize(path)
        if size > MAX_SOURCE_BYTES:
            raise InputFileError(
                f"the script is larger than the {MAX_SOURCE_BYTES // 1024} KiB limit",
                received=f"{size:,} bytes",
                where=path,
            )
        with open(path, "rb") as f:
            return load_source(f.read(), path, input_shape=input_shape, model_name=model_name)
    return [load_graph(obj, input_shape=input_shape)]


def load_source(
    data: bytes | str,
    filename: str,
    *,
    input_shape: Shape | None = None,
    model_name: str | None = None,
) -> list[Graph]:
    """The models a Keras script builds, read as text: nothing in it is executed."""
    from modelmath.frontends.keras_source import graphs_from_source

    if isinstance(data, bytes):
        if len(data) > MAX_SOURCE_BYTES:
            raise InputFileError(
                f"the script is larger than the {MAX_SOURCE_BYTES // 1024} KiB limit",
                received=f"{len(data):,} bytes",
                where=filename,
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputFileError(
                "expected UTF-8 Python source",
                received=f"byte at offset {err.start}",
                where=filename,
            ) from None
    return graphs_from_source(data, filename, input_shape=input_shape, model_name=model_name)


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
        "expected a PyTorch module (torch.nn.Module), a Keras model, a model config dict, "
        "or the path of a .keras, .json or Keras .py file",
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
