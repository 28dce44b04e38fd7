"""Keras model configs (what ``model.to_json()``/``get_config()`` write) → Graph.

Reads both the Keras 3 format (inbound nodes as ``{"args": [...], "kwargs": {...}}`` with
``__keras_tensor__`` entries) and the Keras 2 format (``[[["name", 0, 0, {}]]]``), for
Functional and Sequential models, nested models included. Pure Python: no Keras needed.

>>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
...     {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [None, 4]}},
...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
>>> [layer.name for layer in graph_from_config(cfg).layers]
['x', 'dense']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from modelmath.errors import ConfigError
from modelmath.graph import Call, DType, Graph, Layer, Shape, TensorRef

MODEL_CLASSES = ("Functional", "Model", "Sequential")
_MAX_DEPTH = 64  # nested models deeper than this are surely malformed input


def graph_from_config(
    config: Mapping[str, Any], *, source: str = "", input_shape: Shape | None = None
) -> Graph:
    """The Graph of a Keras model config (the whole ``to_json()`` dict or its ``config``).

    ``input_shape`` (without the batch axis) completes a Sequential that has none.
    """
    if isinstance(config, Mapping) and not isinstance(config, dict):
        config = dict(config)  # the readers below check `dict`: much faster than Mapping
    if not isinstance(config, dict):
        raise ConfigError(
            "a Keras model config must be a JSON object",
            received=type(config).__name__,
            where=source or None,
        )
    class_name, body = _split(config)
    if class_name == "Sequential" or (class_name is None and "input_layers" not in body):
        return _sequential(body, source=source, input_shape=input_shape, depth=0)
    if class_name not in (None, *MODEL_CLASSES):
        raise ConfigError(
            "expected the config of a Keras Functional or Sequential model",
            received=f"class_name {class_name!r}",
            where=source or None,
            fix="Pass the file that model.to_json() writes, or a .keras archive",
        )
    return _functional(body, source=source, depth=0, input_shape=input_shape)


def _split(config: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """(class_name, inner config) of either a wrapped or a bare model config."""
    if "class_name" in config and isinstance(config.get("config"), dict):
        return str(config["class_name"]), config["config"]
    if "layers" in config:
        return None, config
    raise ConfigError(
        "this JSON is not a Keras model config: it has neither 'class_name'/'config' nor 'layers'",
        received="keys " + ", ".join(sorted(map(str, config))[:8]),
        fix="Pass the JSON that model.to_json() writes",
    )


# -- layers -------------------------------------------------------------------------
def _layer_entries(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    layers = body.get("layers")
    if not isinstance(layers, list):
        raise ConfigError("a model config needs a 'layers' list", received=type(layers).__name__)
    for i, entry in enumerate(layers):
        if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
            raise ConfigError(
                f"layer entry {i} must be an object with a 'class_name'", received=repr(entry)[:80]
            )
    return layers


def _name(entry: Mapping[str, Any]) -> str:
    cfg = entry.get("config")
    name = entry.get("name") or (cfg.get("name") if isinstance(cfg, dict) else None)
    if not isinstance(name, str) or not name:
        raise ConfigError(
            f"a {entry.get('class_name')} layer has no name", received=repr(entry)[:80]
        )
    return name


def _dtype(cfg: Mapping[str, Any]) -> DType:
    raw = cfg.get("dtype")
    name = raw
    if isinstance(raw, dict):  # {"class_name": "DTypePolicy", "config": {"name": ...}}
        inner = raw.get("config")
        name = inner.get("name") if isinstance(inner, dict) else None
    if not isinstance(name, str):
        return _DEFAULT_DTYPE
    dtype = _DTYPES.get(name)
    if dtype is None or type(name) is not str:
        if name.startswith("mixed_"):
            dtype = DType(variable="float32", compute=name.removeprefix("mixed_"))
        else:
            dtype = DType(variable=name, compute=name)
        if len(_DTYPES) < 256 and type(name) is str:
            _DTYPES[name] = dtype
    return dtype


# DType is frozen: every layer of one policy can share one (a model has one or two).
_DEFAULT_DTYPE = DType()
_DTYPES: dict[str, DType] = {}


def _batch_shape(cfg: Mapping[str, Any]) -> Shape | None:
    for key in ("batch_shape", "batch_input_shape"):
        raw = cfg.get(key)
        if raw is not None:
            return _shape(raw, key)
    raw = cfg.get("shape") or cfg.get("input_shape")
    if raw is not None:
        return (None, *_shape(raw, "shape"))
    return None


def _shape(raw: Any, what: str) -> Shape:
    if type(raw) is list:  # the usual [null, 224, 224, 3]: checked without a generator
        for d in raw:
            if d is not None and type(d) is not int:
                break
        else:
            return tuple(raw)
    if not isinstance(raw, (list, tuple)) or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in raw
    ):
        raise ConfigError(f"`{what}` must be a list of ints or nulls", received=repr(raw)[:80])
    return tuple(raw)


def _make_layer(
    entry: Mapping[str, Any], calls: tuple[Call, ...], depth: int, listed: bool = True
) -> Layer:
    class_name = str(entry["class_name"])
    cfg = entry.get("config")
    if not isinstance(cfg, dict):
        cfg = {}
    name = _name(entry)
    subgraph = None
    if class_name in MODEL_CLASSES and "layers" in cfg:
        if depth >= _MAX_DEPTH:
            raise ConfigError(f"models nested more than {_MAX_DEPTH} deep", received=name)
        if class_name == "Sequential":
            subgraph = _sequential(cfg, source="", input_shape=None, depth=depth + 1)
        else:
            subgraph = _functional(cfg, source="", depth=depth + 1, input_shape=None)
    return Layer(
        name,
        class_name,
        cfg,
        calls,
        bool(cfg.get("trainable", True)),
        _dtype(cfg),
        _batch_shape(cfg) if class_name == "InputLayer" else None,
        subgraph,
        listed,
        _class_module(entry),
    )


def _class_module(entry: Mapping[str, Any]) -> str:
    """The module a layer's class comes from. Keras 3 writes ``registered_name`` only for
    classes outside Keras, with ``module: null`` when the class was defined in a script."""
    module = entry.get("module")
    if isinstance(module, str):
        return module
    return "__main__" if entry.get("registered_name") else ""


# -- Functional ---------------------------------------------------------------------
def _functional(
    body: Mapping[str, Any], *, source: str, depth: int, input_shape: Shape | None
) -> Graph:
    entries = _layer_entries(body)
    layers = []
    for entry in entries:
        calls = tuple(_calls(entry))
        layer = _make_layer(entry, calls, depth)
        if layer.op == "InputLayer" and input_shape is not None:
            layer = _with_input_shape(layer, input_shape)
        layers.append(layer)
    inputs = _endpoints(body.get("input_layers"), "input_layers")
    outputs = _endpoints(body.get("output_layers"), "output_layers")
    names = {layer.name for layer in layers}
    for ref in (*inputs, *outputs):
        if ref.layer not in names:
            raise ConfigError(
                f"the model's inputs/outputs name layer '{ref.layer}', which it does not define",
                received=str(ref),
            )
    return Graph(
        name=str(body.get("name", "functional")),
        layers=tuple(layers),
        inputs=inputs,
        outputs=outputs,
        kind="functional",
        trainable=bool(body.get("trainable", True)),
        source=source,
    )


def _with_input_shape(layer: Layer, shape: Shape) -> Layer:
    from dataclasses import replace

    return replace(layer, input_shape=(None, *shape))


def _endpoints(raw: Any, what: str) -> tuple[TensorRef, ...]:
    """``["x", 0, 0]`` or ``[["x", 0, 0], ["y", 0, 0]]`` (Keras writes both)."""
    if raw is None:
        raise ConfigError(f"a functional model config needs '{what}'", received="nothing")
    if isinstance(raw, list) and len(raw) == 3 and isinstance(raw[0], str):
        raw = [raw]
    if isinstance(raw, dict):  # a dict of named inputs/outputs
        raw = list(raw.values())
    refs = []
    for item in _flatten_refs(raw):
        refs.append(_ref(item, what))
    return tuple(refs)


def _flatten_refs(raw: Any) -> Iterator[Any]:
    if isinstance(raw, list) and len(raw) == 3 and isinstance(raw[0], str):
        yield raw
    elif isinstance(raw, (list, tuple)):
        for item in raw:
            yield from _flatten_refs(item)
    elif isinstance(raw, dict):
        for item in raw.values():
            yield from _flatten_refs(item)
    else:
        yield raw


def _ref(item: Any, what: str) -> TensorRef:
    if (
        type(item) is list
        and len(item) == 3
        and type(item[0]) is str
        and type(item[1]) is int
        and type(item[2]) is int
        and item[1] >= 0
        and item[2] >= 0
    ):  # the usual ["conv1", 0, 0]
        return TensorRef(item[0], item[1], item[2])
    if (
        isinstance(item, (list, tuple))
        and len(item) >= 3
        and isinstance(item[0], str)
        and isinstance(item[1], int)
        and isinstance(item[2], int)
        and item[1] >= 0
        and item[2] >= 0
    ):
        return TensorRef(item[0], item[1], item[2])
    raise ConfigError(
        f"`{what}` entries must be [layer_name, node_index, tensor_index], the two indices "
        "counting from 0",
        received=repr(item)[:80],
    )


def _calls(entry: Mapping[str, Any]) -> Iterator[Call]:
    nodes = entry.get("inbound_nodes") or []
    if not isinstance(nodes, list):
        raise ConfigError(
            f"layer '{_name(entry)}': 'inbound_nodes' must be a list", received=type(nodes).__name__
        )
    for node in nodes:
        if isinstance(node, dict):  # Keras 3
            tensors: list[tuple[TensorRef, Shape | None]] = []
            _collect_tensors(node.get("args", []), tensors)
            roles = [""] * len(tensors)
            options = []
            kwargs = node.get("kwargs") or {}
            args = node.get("args")
            if (
                entry.get("class_name") == "GetItem"
                and isinstance(args, (list, tuple))
                and len(args) > 1
            ):
                options.append(("key", index_key(args[1])))  # x[key]: not in its config
            if kwargs and isinstance(kwargs, dict):
                for key in sorted(kwargs):
                    found: list[tuple[TensorRef, Shape | None]] = []
                    _collect_tensors(kwargs[key], found)
                    tensors.extend(found)
                    roles += [key] * len(found)
                    if not found:
                        options.append((key, kwargs[key]))
            yield Call(
                tuple([t for t, _ in tensors]),
                tuple([s for _, s in tensors]),
                tuple(roles),
                tuple(options),
            )
        elif isinstance(node, list):  # Keras 2: a list of [name, node, tensor, kwargs]
            refs = [_ref(item, f"inbound_nodes of '{_name(entry)}'") for item in node]
            yield Call(tuple(refs), tuple(None for _ in refs))
        else:
            raise ConfigError(
                f"layer '{_name(entry)}': unreadable inbound node", received=repr(node)[:80]
            )


def index_key(raw: Any) -> Any:
    """The index of ``x[key]`` as Keras writes it into GetItem's inbound node (slices as
    ``__slice__`` objects, ``...`` as ``__ellipsis__``), or as Python holds it (the script
    reader), for rules/operations.get_item: ("slice", start, stop, step), ints, None and
    "..."; anything else is kept as it is, for the rule to refuse by name."""
    if isinstance(raw, slice):
        return ("slice", raw.start, raw.stop, raw.step)
    if raw is Ellipsis:
        return "..."
    if isinstance(raw, (list, tuple)):  # a list in JSON, a tuple in a live model's config
        return tuple(index_key(item) for item in raw)
    if isinstance(raw, dict):
        kind, cfg = raw.get("class_name"), raw.get("config")
        if kind == "__ellipsis__":
            return "..."
        if kind == "__slice__" and isinstance(cfg, dict):
            return ("slice", cfg.get("start"), cfg.get("stop"), cfg.get("step"))
    return raw


def _collect_tensors(raw: Any, out: list[tuple[TensorRef, Shape | None]]) -> None:
    """Append every ``__keras_tensor__`` in an argument structure to ``out``, in Keras's
    flatten order."""
    if isinstance(raw, dict):
        if raw.get("class_name") == "__keras_tensor__":
            cfg = raw.get("config") or {}
            history = cfg.get("keras_history") if isinstance(cfg, dict) else None
            ref = _ref(history, "keras_history")
            shape = cfg.get("shape") if isinstance(cfg, dict) else None
            out.append((ref, _shape(shape, "shape") if shape is not None else None))
            return
        for key in sorted(raw):
            _collect_tensors(raw[key], out)
    elif isinstance(raw, (list, tuple)):
        for item in raw:
            _collect_tensors(item, out)


# -- Sequential ---------------------------------------------------------------------
def _sequential(
    body: Mapping[str, Any], *, source: str, input_shape: Shape | None, depth: int
) -> Graph:
    entries = _layer_entries(body)
    name = str(body.get("name", "sequential"))
    declared: Shape | None = None
    if input_shape is not None:
        declared = (None, *input_shape)
    first: Mapping[str, Any] | None = None
    rest = list(entries)
    if rest and rest[0]["class_name"] == "InputLayer":
        first = rest.pop(0)
    if declared is None and first is not None:
        cfg = first.get("config")
        declared = _batch_shape(cfg) if isinstance(cfg, dict) else None
    if declared is None:
        raw = body.get("build_input_shape")
        if raw is not None:
            declared = _shape(raw, "build_input_shape")
    if declared is None and rest:
        cfg = rest[0].get("config")
        if isinstance(cfg, dict):
            declared = _batch_shape(cfg)  # Keras 2: batch_input_shape on the first layer
    built = declared is not None or depth > 0

    input_name = _name(first) if first is not None else f"{name}_input"
    input_entry: Mapping[str, Any] = first or {
        "class_name": "InputLayer",
        "config": {"name": input_name},
    }
    layers = [_make_layer(input_entry, (), depth, listed=False)]
    layers[0] = _with_batch_shape(layers[0], declared)
    previous = TensorRef(input_name, 0, 0)
    for entry in rest:
        layer = _make_layer(entry, (Call((previous,)),), depth)
        layers.append(layer)
        previous = TensorRef(layer.name, 0, 0)
    return Graph(
        name=name,
        layers=tuple(layers),
        inputs=(TensorRef(input_name, 0, 0),),
        outputs=(previous,),
        kind="sequential",
        trainable=bool(body.get("trainable", True)),
        built=built,
        source=source,
    )


def _with_batch_shape(layer: Layer, shape: Shape | None) -> Layer:
    from dataclasses import replace

    return replace(layer, input_shape=shape)


def stated_layer_names(config: Mapping[str, Any]) -> Sequence[str]:
    """Names of the top-level layers of a config, for messages."""
    _, body = _split(config)
    return [_name(e) for e in _layer_entries(body)]
