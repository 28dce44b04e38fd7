"""Shapes of symbolic tensors, computed only when the script reads one (``x.shape[-1]``).

The rule registry answers for single layers (:func:`modelmath.analysis.infer_output_shapes`);
a model used as a layer is evaluated on the shapes it is called with.
"""

from __future__ import annotations

from typing import Any

from modelmath.analysis import infer_output_shapes
from modelmath.errors import ModelMathError
from modelmath.frontends.keras_config import index_key
from modelmath.graph import Shape

from .values import LayerObj, Tensor, tensors_in

Overrides = dict[int, Shape]  # id(tensor) -> shape


def shape_of(tensor: Tensor, overrides: Overrides | None = None) -> Shape | None:
    """The shape of ``tensor``, or None when a layer on its way has no rule.

    Iterative (an explicit stack) so that a 500-layer chain needs no deep recursion.
    """
    memo: dict[int, Shape | None] = {}
    stack: list[Tensor] = [tensor]
    expanded: set[int] = set()  # tensors whose inputs were pushed: seen again = a cycle
    while stack:
        t = stack[-1]
        if id(t) in memo:
            stack.pop()
            continue
        known = _known(t, overrides)
        if known is not _PENDING:
            memo[id(t)] = known  # type: ignore[assignment]
            stack.pop()
            continue
        pending = [p for p in t.node.input_tensors if id(p) not in memo]
        if pending:
            if id(t) in expanded:
                return None  # a cycle; map_graph reports it where it belongs
            expanded.add(id(t))
            stack.extend(pending)
            continue
        stack.pop()
        memo[id(t)] = _compute(t, [memo[id(p)] for p in t.node.input_tensors])
        if overrides is None:
            t.shape_cache = memo[id(t)]
    return memo[id(tensor)]


class _Pending:
    pass


_PENDING = _Pending()


def _known(t: Tensor, overrides: Overrides | None) -> Shape | _Pending | None:
    if overrides is not None and id(t) in overrides:
        return overrides[id(t)]
    if overrides is None and t.shape_cache is not None:
        return t.shape_cache
    if t.node.layer.kind == "input":
        return t.node.layer.batch_shape
    return _PENDING


def _compute(t: Tensor, inputs: list[Shape | None]) -> Shape | None:
    if any(s is None for s in inputs):
        return None
    shapes = tuple(s for s in inputs if s is not None)
    layer = t.node.layer
    if layer.module == "__main__" and not layer.traced:
        return None  # a class defined in the script whose call() could not be read
    try:
        outs = (
            model_output_shapes(layer, shapes)
            if layer.is_model or layer.traced
            else infer_output_shapes(
                layer.class_name,
                layer.config,
                shapes,
                name=layer.name,
                operation=layer.kind == "op",
                options=_call_options(t),
            )
        )
    except ModelMathError as err:
        raise err.with_context(t.node.where or layer.where) from None
    if outs is None or t.index >= len(outs):
        return None
    return outs[t.index]


def _call_options(t: Tensor) -> dict[str, Any] | None:
    """What the rule of ``t``'s call reads besides its config: GetItem's key (``x[key]``),
    which Keras keeps in the call, not the config."""
    node = t.node
    if node.layer.class_name == "GetItem" and len(node.args) > 1:
        return {"key": index_key(node.args[1])}
    return None


def model_output_shapes(model: LayerObj, inputs: tuple[Shape, ...]) -> tuple[Shape, ...] | None:
    """Output shapes of a model called on inputs of the given shapes."""
    inner_inputs = list(tensors_in(model.inputs))
    if len(inner_inputs) != len(inputs):
        return None
    overrides = {id(t): s for t, s in zip(inner_inputs, inputs)}
    out: list[Shape] = []
    for t in tensors_in(model.outputs):
        s = shape_of(t, overrides)
        if s is None:
            return None
        out.append(s)
    return tuple(out)
