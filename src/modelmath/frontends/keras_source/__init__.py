"""Keras scripts read as text → Graphs. Nothing in the script is executed or imported.

    >>> src = '''
    ... from tensorflow.keras import layers, Model
    ... inp = layers.Input(shape=(150, 150, 3))
    ... x = layers.Conv2D(16, 3, activation="relu")(inp)
    ... model = Model(inp, x)
    ... model.summary()
    ... '''
    >>> [graph] = graphs_from_source(src, "seed.py")
    >>> [layer.name for layer in graph.layers], graph.locations["conv2d"]
    (['input_layer', 'conv2d'], 'seed.py:4:5')

The script is parsed with :mod:`ast` and walked by :class:`.interpreter.Interpreter`,
which models the Keras API (:mod:`.keras_api`) on symbolic tensors and writes each model as
the config Keras's ``to_json()`` would (:mod:`.serialize`); the shared Keras config frontend
turns that into a Graph, so scripts, saved models and live models share all the analysis.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import replace
from typing import Any

from modelmath.errors import ModelMathError, UsageError
from modelmath.frontends.keras_config import graph_from_config
from modelmath.graph import Graph, Shape

from .keras_api import KerasWorld
from .limits import MAX_NESTING, Budget, ScriptError
from .serialize import custom_layer_config, map_graph, model_config
from .values import LayerObj, tensors_in

__all__ = ["ScriptError", "graphs_from_source"]


def graphs_from_source(
    text: str, filename: str, *, input_shape: Shape | None = None, model_name: str | None = None
) -> list[Graph]:
    """The models the script builds, in the order their ``summary()`` is called.

    Without a ``summary()`` call: every model not used inside another one.
    ``model_name`` picks one model by variable name or model name instead.
    ``input_shape`` (without the batch axis) completes an input the script does not state.
    """
    tree = parse(text, filename)
    world = KerasWorld(filename, input_shape=input_shape)
    from .interpreter import Interpreter

    interp = Interpreter(filename, world, Budget())
    try:
        interp.run(tree)
    except RecursionError:
        raise ScriptError(
            "the script nests calls or expressions too deeply to be read",
            where=interp.last_where,
        ) from None
    except ModelMathError:
        raise
    except Exception as err:  # a bug of the reader must not become a user's traceback
        raise ScriptError(
            f"modelmath could not read this statement ({type(err).__name__}: {err})",
            where=interp.last_where,
            fix="Please report it with the script; a .keras file or model.to_json() "
            "output can be read meanwhile",
        ) from err
    variables = {k: v for k, v in interp.module.vars.items() if _model_of(v) is not None}
    chosen: list[tuple[LayerObj, str]]
    if model_name is not None:
        chosen = [(_pick(world, variables, model_name, filename), filename)]
    elif world.summaries:
        chosen = [(s.model, s.where) for s in world.summaries]
    else:
        nested = {id(m) for model in world.models for m in _members(model)}
        chosen = [(m, m.where) for m in world.models if id(m) not in nested]
        if not chosen:
            raise ScriptError(
                "the script builds no Keras model",
                where=filename,
                fix="modelmath reads models built with keras.Model, keras.Sequential or a "
                "keras.Model subclass",
            )
    return [to_graph(model, world, where, input_shape) for model, where in chosen]


def parse(text: str, filename: str) -> ast.Module:
    """The syntax tree, with syntax errors reported as Python reports them."""
    try:
        with warnings.catch_warnings():
            # Python's warnings about the script's code (`1(x)`, "perhaps you missed a
            # comma?"; an invalid escape) are not modelmath's to print.
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(text, filename)
            compile(tree, filename, "exec", dont_inherit=True)  # return outside def…: not run
    except SyntaxError as err:
        line = (err.text or "").rstrip("\n")
        raise ScriptError(
            f"SyntaxError: {err.msg}",
            received=line.strip() or None,
            where=f"{filename}:{err.lineno or 0}:{err.offset or 0}",
        ) from None
    except (RecursionError, MemoryError):
        raise ScriptError(
            f"the script nests expressions too deeply to be read (limit {MAX_NESTING})",
            where=filename,
        ) from None
    except ValueError as err:  # source with NUL bytes
        raise ScriptError(f"the script cannot be parsed: {err}", where=filename) from None
    depth = _depth(tree)
    if depth > MAX_NESTING:
        raise ScriptError(
            f"the script nests statements and expressions {depth} deep; the limit is {MAX_NESTING}",
            where=filename,
            fix="Model scripts are never this deep; is this file generated?",
        )
    return tree


def _depth(tree: ast.AST) -> int:
    """Maximum nesting depth of the tree, without recursion."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _model_of(value: Any) -> LayerObj | None:
    from .values import Instance

    if isinstance(value, Instance):
        value = value.layer
    if isinstance(value, LayerObj) and value.is_model:
        return value
    return None


def _members(model: LayerObj) -> list[LayerObj]:
    """Layers directly inside ``model`` (to tell which models are nested in others)."""
    if model.kind == "sequential":
        return list(model.members)
    if model.inputs is None or model.outputs is None:
        return list(model.members)
    try:
        _, ops = map_graph(list(tensors_in(model.inputs)), list(tensors_in(model.outputs)))
    except ModelMathError:
        return []
    return ops + list(model.members)


def _pick(world: KerasWorld, variables: dict[str, Any], name: str, filename: str) -> LayerObj:
    found = _model_of(variables.get(name))
    if found is None:
        found = next((m for m in world.models if m.name == name), None)
    if found is None:
        names = sorted({*variables, *(m.name for m in world.models)})
        raise UsageError(
            f"the script builds no model named {name!r}",
            received=", ".join(names) if names else "no models",
            where=filename,
            fix="Pass --model with one of the variable or model names listed",
        )
    return found


def to_graph(model: LayerObj, world: KerasWorld, where: str, input_shape: Shape | None) -> Graph:
    """The Graph of ``model`` as it is now (Keras's summary shows the model at that call)."""
    if model.inputs is None and model.kind == "subclassed":
        if input_shape is not None:
            world.build(model, (None, *input_shape), where, by_script=False)
        else:
            raise ScriptError(
                f"model '{model.name}' is never built or called in the script, so its "
                "shapes are unknown",
                where=where,
                fix="Pass --input-shape with the input shape without the batch axis "
                "(for example --input-shape 28,28,1), or call model.build(...) in the script",
            )
    if model.inputs is None and model.data_built is not None and input_shape is None:
        raise ScriptError(
            f"model '{model.name}' gets its input shape from {model.data_built.what} "
            f"({model.data_built.where}), which is only known when the script runs",
            where=where,
            fix="Pass --input-shape with the shape of one sample (for example 28,28,1)",
        )
    config = model_config(model)
    complete = input_shape if model.kind == "sequential" and model.inputs is None else None
    try:
        graph = graph_from_config(config, source=world.filename, input_shape=complete)
    except ModelMathError as err:
        raise err.with_context(model.where) from None
    graph = _with_custom_layers(graph, model, 0)
    locations: dict[str, str] = {}
    reasons: dict[str, str] = {}
    _collect_locations(model, locations, reasons, 0)
    if model.kind == "subclassed":
        # Keras lists only the layers a subclassed model tracks: no inputs, no operations.
        hidden = {layer.name for layer in graph.layers if layer.op == "InputLayer"}
        hidden |= {layer.name for layer in graph.layers if layer.module.startswith("keras.src.ops")}
        graph = replace(
            graph,
            layers=tuple(replace(layer, listed=layer.name not in hidden) for layer in graph.layers),
        )
    notes = graph.notes
    if model.built_without_call:
        notes = (
            *notes,
            f"Keras 3 builds none of this model's layers on model.build(...) "
            f"({model.built_without_call}): its class has no build() of its own, so Keras "
            "runs no call(), and its own summary shows every layer unbuilt, with 0 "
            "parameters. These are the numbers once the model is called, as "
            "model(keras.Input(shape=...)) builds it",
        )
    return replace(
        graph, locations=locations, reasons=reasons, notes=notes, source=world.filename
    )


def _inner_layers(obj: LayerObj) -> list[LayerObj]:
    """The layers of a model, or those a custom layer's call() uses and its own weights."""
    if obj.is_model:
        return _members(obj)
    _, ops = map_graph(list(tensors_in(obj.inputs)), list(tensors_in(obj.outputs)))
    return ops + list(obj.own_weights)


def _with_custom_layers(graph: Graph, owner: LayerObj, depth: int) -> Graph:
    """Each custom Layer whose call() was read gets its inner graph as a ``subgraph``:
    analysis computes it on the shapes it is called with and counts the weights of the
    sublayers it uses and its own, as Keras's count_params() does. Keras's summary lists
    none of them (expand_nested only opens models): analysis gives kind "layer" no children."""
    if depth > MAX_NESTING:
        return graph
    by_name = {obj.name: obj for obj in _inner_layers(owner)}
    layers = []
    changed = False
    for layer in graph.layers:
        obj = by_name.get(layer.name)
        if obj is not None and obj.traced and layer.subgraph is None:
            sub = graph_from_config(custom_layer_config(obj), source=graph.source)
            sub = _with_custom_layers(sub, obj, depth + 1)
            layer = replace(layer, subgraph=replace(sub, kind="layer"))
            changed = True
        elif obj is not None and obj.is_model and layer.subgraph is not None:
            layer = replace(layer, subgraph=_with_custom_layers(layer.subgraph, obj, depth + 1))
            changed = True
        layers.append(layer)
    return replace(graph, layers=tuple(layers)) if changed else graph


def _collect_locations(
    model: LayerObj, out: dict[str, str], reasons: dict[str, str], depth: int
) -> None:
    """Where each layer of ``model`` (nested models' too) is made, and why each custom
    layer whose call() could not be read has no formula."""
    if depth > 32:
        return
    for layer in _members(model):
        out.setdefault(layer.name, layer.where)
        if layer.opaque:
            reasons.setdefault(layer.name, layer.opaque)
        if layer.is_model:
            _collect_locations(layer, out, reasons, depth + 1)
