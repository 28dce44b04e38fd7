"""The framework-neutral model graph that frontends build and analysis reads.

A :class:`Graph` is a list of :class:`Layer` in the framework's own order. A layer may be
called several times (shared layers); each :class:`Call` names the tensors it consumes as
:class:`TensorRef` ``(layer, call, tensor)`` triples, the way Keras's ``keras_history``
does. A nested model is a layer whose ``subgraph`` is set.

>>> g = Graph(name="m", layers=(Layer(name="in", op="InputLayer", input_shape=(None, 3)),),
...           inputs=(TensorRef("in", 0, 0),), outputs=(TensorRef("in", 0, 0),))
>>> g.layer("in").op
'InputLayer'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from modelmath.fastinit import fast_frozen_init

Shape = tuple[int | None, ...]


@fast_frozen_init
@dataclass(frozen=True)
class TensorRef:
    """Output ``tensor`` of call number ``call`` of layer ``layer``."""

    layer: str
    call: int
    tensor: int

    def __str__(self) -> str:
        return f"{self.layer}[{self.call}][{self.tensor}]"


@fast_frozen_init
@dataclass(frozen=True)
class Call:
    """One application of a layer to input tensors.

    ``stated_shapes`` are the input shapes the file itself records (Keras writes them
    into each inbound node); analysis never uses them for a layer it has a rule for,
    only to show what the file states for a layer it cannot compute.
    """

    inputs: tuple[TensorRef, ...]
    stated_shapes: tuple[Shape | None, ...] = ()
    # The argument each input was passed as ("" when positional: Keras's "args"), and the
    # call's keyword arguments that are not tensors (return_attention_scores=True, …):
    # rules of layers whose outputs depend on them read both through LayerCall.extra.
    roles: tuple[str, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()


@fast_frozen_init
@dataclass(frozen=True)
class DType:
    """Variable and compute dtypes of a layer (Keras dtype policies split the two)."""

    variable: str = "float32"
    compute: str = "float32"


@fast_frozen_init
@dataclass(frozen=True)
class Layer:
    """One layer: its type, its normalized config and how it is called."""

    name: str
    op: str
    config: Mapping[str, Any] = field(default_factory=dict)
    calls: tuple[Call, ...] = ()
    trainable: bool = True
    dtype: DType = DType()
    input_shape: Shape | None = None  # for input layers: the declared batch shape
    subgraph: Graph | None = None  # for a model used as a layer
    listed: bool = True  # False for rows the framework hides (Sequential's InputLayer)
    module: str = ""  # where the framework defines the class (for messages)


@fast_frozen_init
@dataclass(frozen=True)
class Graph:
    """A model: layers in the framework's order, its inputs and outputs."""

    name: str
    layers: tuple[Layer, ...]
    inputs: tuple[TensorRef, ...]
    outputs: tuple[TensorRef, ...]
    kind: str = "functional"  # or "sequential"
    trainable: bool = True
    framework: str = "keras"
    built: bool = True  # False for a Sequential that was never given an input shape
    source: str = ""  # where the graph came from, for messages
    # Where each layer is defined, e.g. "seed.py:9:4", for errors (the source frontend).
    locations: Mapping[str, str] = field(default_factory=dict)
    # Why a layer of the user's own class has no formula, as the source frontend found
    # (its call() read a value only known when the script runs, say): told in its note.
    reasons: Mapping[str, str] = field(default_factory=dict)
    # What the summary says of the whole model besides its rows (the source frontend's).
    notes: tuple[str, ...] = ()

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)
