"""The values a script computes when read symbolically.

Plain Python data (ints, strings, tuples, lists, dicts) is kept as real Python objects.
Everything Keras is modelled here: :class:`Tensor` (a Keras tensor: which call of which
layer made it), :class:`LayerObj` (a layer, an operation or a model, with its calls), and
:class:`Unknown` — a value the file cannot tell (data loaded at run time, an unknown
library), which is fine until a number depends on it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from modelmath.graph import Shape


@dataclass(frozen=True)
class Unknown:
    """A value only known when the script runs: ``what`` it is and ``where`` it comes from."""

    what: str
    where: str

    def __repr__(self) -> str:
        return f"<unknown {self.what}>"


@dataclass(eq=False)
class Node:
    """One call of a layer: the arguments as written (tensors inside) and the outputs."""

    layer: LayerObj
    args: list[Any]
    kwargs: dict[str, Any]
    outputs: list[Tensor] = field(default_factory=list)
    where: str = ""

    @property
    def index(self) -> int:
        return self.layer.nodes.index(self)

    @property
    def is_input(self) -> bool:
        return self.layer.kind == "input"

    @property
    def input_tensors(self) -> list[Tensor]:
        return list(tensors_in((self.args, self.kwargs)))

    @property
    def parent_nodes(self) -> list[Node]:
        return [t.node for t in self.input_tensors]


@dataclass(eq=False)
class Tensor:
    """A symbolic Keras tensor: output ``index`` of ``node``."""

    node: Node
    index: int = 0
    dtype: str = "float32"
    shape_cache: Shape | None = None

    def __repr__(self) -> str:
        return f"<KerasTensor from {self.node.layer.name}>"


@dataclass(eq=False)
class LayerObj:
    """A Keras layer, operation or model as the script creates it.

    ``kind`` is ``layer``, ``op`` (``x + y``), ``input``, or a model kind:
    ``functional``, ``sequential``, ``subclassed``.
    """

    class_name: str
    name: str
    config: dict[str, Any]
    where: str
    kind: str = "layer"
    module: str = "keras.layers"
    nodes: list[Node] = field(default_factory=list)
    batch_shape: Shape | None = None  # input layers
    # Models: inputs/outputs are nested structures of Tensors.
    inputs: Any = None
    outputs: Any = None
    members: list[LayerObj] = field(default_factory=list)  # Sequential/subclassed layers
    built_names: bool = False  # inner names of BUILD_NAMES already used up
    instance: Any = None  # the user object of a subclassed model or layer
    data_built: Unknown | None = None  # fit()/predict()/model(x) on data the file lacks
    # A Layer subclassed in the file: the weights its build()/__init__ create with
    # add_weight (pseudo-layers of class WEIGHT_OP), and why its call() cannot be read
    # when it cannot (then it stays a "no formula" row).
    own_weights: list[LayerObj] = field(default_factory=list)
    opaque: str = ""
    # A subclassed model built by model.build(shape) alone, its class having no build()
    # of its own: where. Keras 3 then runs no call(), and its summary shows every layer
    # unbuilt; a later call on tensors builds them (and clears this).
    built_without_call: str = ""

    @property
    def is_custom_layer(self) -> bool:
        """A keras.layers.Layer subclassed in the script."""
        return self.kind == "layer" and self.instance is not None

    @property
    def is_lambda(self) -> bool:
        """A keras.layers.Lambda (not a class of the script's own of that name)."""
        return self.kind == "layer" and self.class_name == "Lambda" and self.instance is None

    @property
    def traced(self) -> bool:
        """A custom layer whose call() was read, or a Lambda whose function was: its inner
        graph is inputs → outputs."""
        return (
            (self.is_custom_layer or self.is_lambda)
            and self.outputs is not None
            and not self.opaque
        )

    @property
    def is_model(self) -> bool:
        return self.kind in ("functional", "sequential", "subclassed")

    @property
    def trainable(self) -> bool:
        return bool(self.config.get("trainable", True))

    def __repr__(self) -> str:
        return f"<{self.class_name} name={self.name}>"


# The op of a weight a custom layer creates with add_weight (never a Keras class name).
WEIGHT_OP = "modelmath.Weight"


@dataclass(eq=False)
class Namespace:
    """A module or attribute path, e.g. ``keras.layers`` or ``numpy`` (never imported)."""

    path: str

    def __repr__(self) -> str:
        return f"<module {self.path}>"


@dataclass(eq=False)
class Builtin:
    """A function the interpreter implements itself (``range``, ``keras.Input``, …)."""

    name: str
    fn: Callable[..., Any]
    bound: Any = None  # the object of a method

    def __repr__(self) -> str:
        return f"<built-in {self.name}>"


@dataclass(eq=False)
class Function:
    """A function or lambda defined in the script, with the scope it closes over."""

    name: str
    node: ast.FunctionDef | ast.Lambda
    defaults: list[Any]
    kw_defaults: list[Any]
    closure: Any  # the Scope it was defined in
    where: str
    owner: Any = None  # the UserClass of a method

    def __repr__(self) -> str:
        return f"<function {self.name}>"


@dataclass(eq=False)
class BoundMethod:
    function: Function
    instance: Any


@dataclass(eq=False)
class UserClass:
    """A class defined in the script; ``keras_base`` is the Keras class it extends, if any."""

    name: str
    bases: list[Any]
    attrs: dict[str, Any]
    where: str

    def lookup(self, name: str) -> Any:
        if name in self.attrs:
            return self.attrs[name]
        for base in self.bases:
            if isinstance(base, UserClass):
                found = base.lookup(name)
                if found is not _MISSING:
                    return found
        return _MISSING

    @property
    def keras_base(self) -> str | None:
        for base in self.bases:
            if isinstance(base, Namespace):
                return base.path
            if isinstance(base, UserClass) and base.keras_base:
                return base.keras_base
        return None


@dataclass(eq=False)
class Instance:
    """An object of a class defined in the script."""

    cls: UserClass
    attrs: dict[str, Any] = field(default_factory=dict)
    layer: LayerObj | None = None  # set for Keras models/layers subclassed in the file

    def __repr__(self) -> str:
        return f"<{self.cls.name} object>"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()
MISSING: Any = _MISSING


def tensors_in(value: Any) -> Iterator[Tensor]:
    """Every Tensor in a nested structure of lists, tuples and dicts, in Keras's order."""
    if isinstance(value, Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from tensors_in(item)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from tensors_in(value[key])


def first_unknown(value: Any, depth: int = 0) -> Unknown | None:
    """The first Unknown inside a (nested) value, if any."""
    if isinstance(value, Unknown):
        return value
    if depth > 20:
        return None
    if isinstance(value, (list, tuple)):
        for item in value:
            found = first_unknown(item, depth + 1)
            if found:
                return found
    elif isinstance(value, dict):
        for item in value.values():
            found = first_unknown(item, depth + 1)
            if found:
                return found
    return None


@dataclass(eq=False)
class SuperProxy:
    """``super()`` inside a method of ``owner`` called on ``instance``."""

    instance: Instance
    owner: UserClass
