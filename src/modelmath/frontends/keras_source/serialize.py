"""Models read from a script → the config dict Keras's ``model.to_json()`` would write.

The layer order is Keras's: ``map_graph`` in ``keras/src/ops/function.py`` orders a
functional model's operations by depth from the outputs, ties broken by the order a
depth-first walk from the outputs first meets them. Node indices count only the calls
that belong to the model (a layer shared with another model keeps its own numbering).

>>> from modelmath.frontends.keras_source.values import LayerObj, Node, Tensor
>>> inp = LayerObj("InputLayer", "input_layer", {}, "", kind="input", batch_shape=(None, 4))
>>> x = Tensor(Node(inp, [], {})); inp.nodes.append(x.node)
>>> dense = LayerObj("Dense", "dense", {"units": 2}, "")
>>> y = Tensor(Node(dense, [x], {})); dense.nodes.append(y.node)
>>> m = LayerObj("Functional", "functional", {}, "", kind="functional", inputs=x, outputs=y)
>>> [entry["name"] for entry in model_config(m)["config"]["layers"]]
['input_layer', 'dense']
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .limits import ScriptError
from .shapes import shape_of
from .values import LayerObj, Node, Tensor, Unknown, tensors_in

Config = dict[str, Any]


def model_config(model: LayerObj) -> Config:
    """``{"class_name": ..., "config": {...}}`` for a functional, sequential or subclassed model."""
    if model.kind == "sequential":
        return {"class_name": "Sequential", "config": _sequential_body(model)}
    return {"class_name": "Functional", "config": _functional_body(model)}


def custom_layer_config(layer: LayerObj) -> Config:
    """The inner graph of a custom Layer whose call() was read, as a Functional config:
    its hidden inputs, the sublayers and operations its call() uses, and the weights it
    creates itself (those its call() never uses too: Keras counts them)."""
    body = _functional_body(layer)
    used = {entry["name"] for entry in body["layers"]}
    for weight in layer.own_weights:
        if weight.name not in used:
            entry = _entry(weight)
            entry["inbound_nodes"] = [{"args": [], "kwargs": {}}]
            body["layers"].append(entry)
    return {"class_name": "Functional", "config": body}


def _sequential_body(model: LayerObj) -> Config:
    layers: list[Config] = []
    for member in model.members:
        if member.kind == "input":
            layers.append(_entry(member))
        else:
            layers.append(_entry(member))
    return {"name": model.name, "trainable": model.trainable, "layers": layers}


def _functional_body(model: LayerObj) -> Config:
    inputs = list(tensors_in(model.inputs))
    outputs = list(tensors_in(model.outputs))
    network, operations = map_graph(inputs, outputs, model.name)
    reindex: dict[Node, int] = {}
    for op in operations:
        kept = 0
        for node in op.nodes:
            if node in network:
                reindex[node] = kept
                kept += 1
    if model.kind == "subclassed":
        operations = _subclassed_order(model, operations)
    layers = []
    for op in operations:
        entry = _entry(op)
        entry["inbound_nodes"] = [
            _node_config(node, reindex)
            for node in op.nodes
            if node in network and not node.is_input
        ]
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": [_history(t, reindex) for t in inputs],
        "output_layers": [_history(t, reindex) for t in outputs],
    }


def _subclassed_order(model: LayerObj, operations: list[LayerObj]) -> list[LayerObj]:
    """Keras lists a subclassed model's layers in the order ``__init__`` assigned them."""
    used = set(operations)
    tracked = [m for m in model.members if m in used]
    rest = [op for op in operations if op not in set(tracked)]
    return (
        [op for op in rest if op.kind == "input"]
        + tracked
        + [op for op in rest if op.kind != "input"]
    )


def _entry(layer: LayerObj) -> Config:
    if layer.is_model:
        body = model_config(layer)
        return {
            "module": "keras.src.models.functional",
            "class_name": body["class_name"],
            "config": body["config"],
            "name": layer.name,
        }
    config: Config = {k: _plain(v) for k, v in layer.config.items()}
    config["name"] = layer.name
    if layer.kind == "input":
        config["batch_shape"] = None if layer.batch_shape is None else list(layer.batch_shape)
    return {
        "module": layer.module,
        "class_name": layer.class_name,
        "config": config,
        "registered_name": None,
        "name": layer.name,
    }


def _history(t: Tensor, reindex: dict[Node, int]) -> list[Any]:
    return [t.node.layer.name, reindex.get(t.node, 0), t.index]


def _node_config(node: Node, reindex: dict[Node, int]) -> Config:
    def ser(value: Any) -> Any:
        if isinstance(value, Tensor):
            try:
                shape = shape_of(value)
            except Exception:  # analysis reports the error where it belongs
                shape = None
            return {
                "class_name": "__keras_tensor__",
                "config": {
                    "shape": None if shape is None else list(shape),
                    "dtype": value.dtype,
                    "keras_history": _history(value, reindex),
                },
            }
        if isinstance(value, slice):  # x[1:3]'s key, as Keras writes it
            config = {"start": value.start, "stop": value.stop, "step": value.step}
            return {"class_name": "__slice__", "config": config}
        if value is Ellipsis:
            return {"class_name": "__ellipsis__", "config": {}}
        if isinstance(value, (list, tuple)):
            return [ser(v) for v in value]
        if isinstance(value, dict):
            return {str(k): ser(v) for k, v in value.items()}
        return _plain(value)

    return {"args": ser(node.args), "kwargs": ser(node.kwargs)}


def _plain(value: Any) -> Any:
    """A JSON-like copy of a config value; objects the file cannot tell become strings."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, LayerObj):
        return {"class_name": value.class_name, "config": {"name": value.name, **value.config}}
    if isinstance(value, Unknown):
        return f"<{value.what}>"
    return repr(value)


def map_graph(
    inputs: list[Tensor], outputs: list[Tensor], model_name: str = ""
) -> tuple[set[Node], list[LayerObj]]:
    """The calls that belong to a functional model and its operations in Keras's order."""
    finished: set[Node] = set()
    in_progress: set[Node] = set()
    order: list[Node] = []  # post-order: from the inputs towards the outputs
    op_index: dict[LayerObj, int] = {}
    input_ids = {id(t) for t in inputs}
    for out in outputs:
        # An explicit stack replaces Keras's recursion, visiting in the same order.
        stack: list[tuple[Node, list[Tensor]]] = []
        if not _enter(out, finished, in_progress, op_index, input_ids, stack, model_name):
            continue
        while stack:
            node, todo = stack[-1]
            if todo:
                _enter(todo.pop(0), finished, in_progress, op_index, input_ids, stack, model_name)
                continue
            stack.pop()
            finished.add(node)
            in_progress.discard(node)
            order.append(node)

    in_graph = set(order)
    node_depth: dict[Node, int] = {}
    op_depth: dict[LayerObj, int] = {}
    for node in reversed(order):
        depth = node_depth.setdefault(node, 0)
        depth = max(depth, op_depth.get(node.layer, 0))
        op_depth[node.layer] = depth
        node_depth[node] = depth
        for parent in node.parent_nodes:
            if parent in in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    network = set(order)
    for t in inputs:
        op = t.node.layer
        if op not in op_depth and t.node.is_input:
            op_depth[op] = 0
            op_index[op] = -1
            network.add(t.node)
    by_depth: defaultdict[int, list[LayerObj]] = defaultdict(list)
    for op, depth in op_depth.items():
        by_depth[depth].append(op)
    operations: list[LayerObj] = []
    for depth in sorted(by_depth, reverse=True):
        operations.extend(sorted(by_depth[depth], key=lambda op: op_index[op]))
    names = [op.name for op in operations]
    for op in operations:
        if names.count(op.name) > 1:
            raise ScriptError(
                f'the name "{op.name}" is used {names.count(op.name)} times in model '
                f"'{model_name}'; Keras refuses this too",
                where=op.where,
                fix="Give each layer a different name",
            )
    return network, operations


def _enter(
    tensor: Tensor,
    finished: set[Node],
    in_progress: set[Node],
    op_index: dict[LayerObj, int],
    input_ids: set[int],
    stack: list[tuple[Node, list[Tensor]]],
    model_name: str,
) -> bool:
    node = tensor.node
    if node in finished:
        return False
    if not node.is_input and id(tensor) in input_ids:
        finished.add(node)
        return False
    if node in in_progress:
        raise ScriptError(
            f"tensor from layer '{node.layer.name}' is part of a cycle in model '{model_name}'",
            where=node.where,
        )
    op_index.setdefault(node.layer, len(op_index))
    in_progress.add(node)
    stack.append((node, [] if node.is_input else node.input_tensors))
    return True
