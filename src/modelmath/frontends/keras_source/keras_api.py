"""What each Keras name does when a script calls it, modelled without Keras.

Layers are bound to their constructor signatures (generated from Keras, see
``signatures.py``), named as Keras names them, and called on symbolic tensors to record
the graph. Models are Functional (``Model(inputs, outputs)``), Sequential (rebuilt on
every ``add`` once it knows its input, as Keras does) or subclassed in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from modelmath.graph import Shape

from .limits import ScriptError
from .naming import BUILD_NAMES, Namer, snake_case
from .paths import canonical
from .serialize import map_graph
from .shapes import shape_of
from .signatures import LAYERS, OTHERS, REQUIRED, Signature
from .values import (
    MISSING,
    WEIGHT_OP,
    Function,
    Instance,
    LayerObj,
    Node,
    Tensor,
    Unknown,
    first_unknown,
    tensors_in,
)

# Config entries that do not change a shape or a parameter count: a value the file
# cannot tell (a custom activation, a regularizer object) is kept as a note, not an error.
_SOFT_SUFFIXES = ("activation", "_initializer", "_regularizer", "_constraint")
_SOFT_KEYS = {
    "rate", "seed", "dropout", "recurrent_dropout", "momentum", "epsilon", "stddev",
    "alpha", "negative_slope", "l1", "l2", "scale", "offset", "function", "noise_shape",
    "threshold", "max_value", "beta_initializer", "gamma_initializer", "mask",
    "factor", "fill_mode", "interpolation", "value_range", "lora_rank", "lora_alpha",
}  # fmt: skip


# What Keras 3 takes beside a layer's own parameters: Layer.__init__'s keywords, and the
# few a layer's __init__ pops from **kwargs itself (read off Keras 3.15's sources). Any
# other keyword is refused there: "Unrecognized keyword arguments passed to Dense".
LAYER_KWARGS = frozenset(
    {"name", "dtype", "trainable", "autocast", "activity_regularizer", "input_shape", "input_dim"}
)
_POPPED_KWARGS: dict[str, frozenset[str]] = {
    "LeakyReLU": frozenset({"alpha"}),
    "LayerNormalization": frozenset({"rms_scaling"}),
    "LSTM": frozenset({"implementation"}),
    "LSTMCell": frozenset({"implementation"}),
    "GRU": frozenset({"implementation"}),
    "GRUCell": frozenset({"implementation"}),
    "Embedding": frozenset({"input_length"}),
    "TextVectorization": frozenset({"vocabulary_size"}),
    "StringLookup": frozenset({"vocabulary_size"}),
    "IntegerLookup": frozenset({"vocabulary_size"}),
}
# Taken out of a layer's config: Layer.__init__'s keywords, and Embedding's Keras 2
# input_length, which Keras 3 pops and drops.
_BASE_KWARGS = LAYER_KWARGS | {"input_length"}
# Keras 2's keywords a layer no longer takes, and what Keras 3 takes instead.
_KERAS2_KWARGS = {
    "batch_input_shape": "start the model with keras.Input(batch_shape=...)",
    "batch_size": "give the batch size to keras.Input(shape=..., batch_size=...)",
    "input_length": "give the sequence length in keras.Input(shape=(length,))",
    "weights": "set the weights after building the model (layer.set_weights)",
}

# Merge helpers in keras.layers: layers.concatenate([a, b], axis=1) → Concatenate(axis=1)([a, b]).
_MERGE_FUNCTIONS = {
    "add": "Add", "subtract": "Subtract", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "dot": "Dot",
}  # fmt: skip

# Python operators on Keras tensors become keras.ops operations (rows of the summary).
OPERATORS = {
    "Add": "Add", "Sub": "Subtract", "Mult": "Multiply", "Div": "TrueDivide",
    "MatMult": "Matmul", "Pow": "Power", "FloorDiv": "FloorDivide", "Mod": "Mod",
}  # fmt: skip

# keras.ops functions: name → the operation class Keras records for it.
_OPS = {
    "add": "Add", "subtract": "Subtract", "multiply": "Multiply", "divide": "Divide",
    "true_divide": "TrueDivide", "power": "Power", "floor_divide": "FloorDivide",
    "mod": "Mod", "maximum": "Maximum", "minimum": "Minimum", "matmul": "Matmul",
    "concatenate": "Concatenate", "relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh",
    "softmax": "Softmax", "log_softmax": "LogSoftmax", "exp": "Exp", "log": "Log",
    "sqrt": "Sqrt", "square": "Square", "abs": "Absolute", "absolute": "Absolute",
    "negative": "Negative", "gelu": "Gelu", "silu": "Silu", "softplus": "Softplus",
    "elu": "Elu", "erf": "Erf", "rsqrt": "Rsqrt", "leaky_relu": "LeakyRelu", "cast": "Cast",
    "mean": "Mean", "sum": "Sum", "max": "Max", "min": "Min", "prod": "Prod",
    "expand_dims": "ExpandDims", "squeeze": "Squeeze", "transpose": "Transpose",
    "reshape": "Reshape",
}  # fmt: skip
# Those taking two operands; the others take one (concatenate: a list of tensors).
_BINARY_OPS = {
    "add", "subtract", "multiply", "divide", "true_divide", "power", "floor_divide", "mod",
    "maximum", "minimum", "matmul",
}  # fmt: skip
# Their settings after the operands, in Keras 3's order, with its defaults: the config
# Keras records for the operation (ops.concatenate joins on axis 0 unless told).
_OP_SETTINGS: dict[str, tuple[tuple[str, Any], ...]] = {
    "concatenate": (("axis", 0),),
    "mean": (("axis", None), ("keepdims", False)),
    "sum": (("axis", None), ("keepdims", False)),
    "max": (("axis", None), ("keepdims", False), ("initial", None)),
    "min": (("axis", None), ("keepdims", False), ("initial", None)),
    "prod": (("axis", None), ("keepdims", False), ("dtype", None)),
    "expand_dims": (("axis", REQUIRED),),
    "squeeze": (("axis", None),),
    "transpose": (("axes", None),),
    "reshape": (("newshape", REQUIRED),),
    "softmax": (("axis", -1),),
    "log_softmax": (("axis", -1),),
    "gelu": (("approximate", True),),
    "elu": (("alpha", 1.0),),
    "leaky_relu": (("negative_slope", 0.2),),
    "cast": (("dtype", REQUIRED),),
}


# keras.ops functions that keep their input's shape (read inside a custom layer's call()).
_ELEMENTWISE_OPS = {
    "relu", "relu6", "gelu", "silu", "swish", "elu", "selu", "sigmoid", "tanh", "softmax",
    "log_softmax", "softplus", "leaky_relu", "exp", "log", "sqrt", "square", "abs",
    "negative", "rsqrt", "erf", "hard_sigmoid", "hard_swish", "mish",
}  # fmt: skip


@dataclass
class Snapshot:
    """A model as it was when the script called its ``summary()``."""

    model: LayerObj
    where: str


@dataclass
class KerasWorld:
    """Everything Keras-side the script has done so far."""

    filename: str
    input_shape: Shape | None = None  # --input-shape: completes an input the file lacks
    namer: Namer = field(default_factory=Namer)
    models: list[LayerObj] = field(default_factory=list)
    summaries: list[Snapshot] = field(default_factory=list)
    # Traces a subclassed model's call(): set by the interpreter.
    trace_call: Callable[[Instance, list[Any], dict[str, Any], str], Any] | None = None
    # Reads a custom Layer's build() and call() on its first call: set by the interpreter.
    trace_layer: Callable[[LayerObj, list[Any], dict[str, Any], str], None] | None = None
    # > 0 while a custom Layer's call() is read: Keras runs it on backend tensors, so
    # operations there (x + y) are not Keras operations and use up no names.
    quiet: int = 0
    quiet_count: int = 0

    # -- layers -----------------------------------------------------------------------
    def construct(self, public: str, args: list[Any], kwargs: dict[str, Any], where: str) -> Any:
        """``keras.layers.<public>(*args, **kwargs)``."""
        class_name, params, var_kw = LAYERS[public]
        if class_name == "InputLayer":
            return self.input_layer(args, kwargs, where)
        bound = bind(public, (class_name, params, var_kw), args, kwargs, where)
        own = {p[0] for p in params}  # Embedding's input_dim is its own, not Layer's
        popped = _POPPED_KWARGS.get(class_name, frozenset())
        for key in kwargs:
            if key not in own and key not in LAYER_KWARGS and key not in popped:
                raise _unexpected_keyword(public, class_name, key, own, where)
        extra = {k: bound.pop(k) for k in list(bound) if k in _BASE_KWARGS and k not in own}
        if "name" in own:  # a few layers list name/dtype in their own signature
            extra["name"] = bound.pop("name", None)
        for key, value in bound.items():
            _check_known(class_name, key, value, where)
        config: dict[str, Any] = {}
        name = extra.get("name")
        if name is not None and not isinstance(name, str):
            raise ScriptError(
                f"{class_name} name must be a string written in the file",
                received=repr(name),
                where=where,
            )
        config["name"] = name or self.namer.auto(class_name)
        config["trainable"] = bool(extra.get("trainable", True))
        dtype = extra.get("dtype")
        config["dtype"] = dtype if isinstance(dtype, str) else "float32"
        config.update(bound)
        if config.get("data_format", "x") is None:
            config["data_format"] = "channels_last"  # keras.config.image_data_format()
        layer = LayerObj(class_name, config["name"], config, where)
        shape = _input_shape_arg(extra, where)
        if shape is not None:
            layer.batch_shape = shape
        return layer

    def input_layer(self, args: list[Any], kwargs: dict[str, Any], where: str) -> LayerObj:
        """``keras.layers.InputLayer(shape=...)``: a layer object (for a Sequential list)."""
        kwargs = dict(kwargs)
        if "input_shape" in kwargs and "shape" not in kwargs:
            kwargs["shape"] = kwargs.pop("input_shape")
        tensor = self.make_input(args, kwargs, where, public="InputLayer")
        assert isinstance(tensor, Tensor)
        return tensor.node.layer

    def make_input(
        self, args: list[Any], kwargs: dict[str, Any], where: str, public: str = "Input"
    ) -> Tensor:
        """``keras.Input(shape=..., batch_size=..., name=..., dtype=...)``."""
        sig = OTHERS["Input"] if public == "Input" else LAYERS["InputLayer"]
        bound = bind(public, sig, args, kwargs, where)
        shape = bound.get("shape")
        batch_shape = bound.get("batch_shape")
        unknown = first_unknown(shape) or first_unknown(batch_shape)
        if unknown is not None or (shape is None and batch_shape is None):
            if self.input_shape is None:
                what = (
                    f"the input shape comes from {unknown.what} ({unknown.where}), which is "
                    "only known when the script runs"
                    if unknown is not None
                    else "the input has no shape"
                )
                raise ScriptError(
                    f"{public}: {what}",
                    where=where,
                    fix="Pass --input-shape with the shape without the batch axis "
                    "(for example --input-shape 28,28,1), or write the shape in the script",
                )
            batch: Shape = (None, *self.input_shape)
        elif batch_shape is not None:
            batch = _shape_value(batch_shape, "batch_shape", where)
        else:
            dims = _shape_value(shape, "shape", where)
            size = bound.get("batch_size")
            batch = (size if isinstance(size, int) else None, *dims)
        name = bound.get("name")
        dtype = bound.get("dtype")
        layer = LayerObj(
            "InputLayer",
            name if isinstance(name, str) else self.namer.unique("input_layer"),
            {"dtype": dtype if isinstance(dtype, str) else "float32", "sparse": False},
            where,
            kind="input",
            batch_shape=batch,
        )
        node = Node(layer, [], {}, where=where)
        layer.nodes.append(node)
        tensor = Tensor(node, 0, dtype=str(layer.config["dtype"]), shape_cache=batch)
        node.outputs.append(tensor)
        return tensor

    def call_layer(
        self, layer: LayerObj, args: list[Any], kwargs: dict[str, Any], where: str
    ) -> Any:
        """``layer(x)``: record a call of ``layer`` and return its output tensor(s)."""
        if layer.kind == "input":
            raise ScriptError(f"an InputLayer ('{layer.name}') cannot be called", where=where)
        if layer.is_model and not any(True for _ in tensors_in((args, kwargs))):
            return self.run_on_data(layer, args, where)
        # The call sees the lists as they are now; the script may append to them later.
        args, kwargs = _snapshot(args), _snapshot(kwargs)
        for value in (*args, *kwargs.values()):
            unknown = first_unknown(value)
            if unknown is not None and value is not kwargs.get("training"):
                raise ScriptError(
                    f"layer '{layer.name}' is called on {unknown.what} ({unknown.where}), "
                    "which is only known when the script runs",
                    where=where,
                    fix="Call layers on keras.Input(...) tensors; give the shape with "
                    "--input-shape if the script reads it from data",
                )
        if not any(True for _ in tensors_in((args, kwargs))):
            raise ScriptError(
                f"layer '{layer.name}' is called on data, not on a Keras tensor",
                received=", ".join(type(a).__name__ for a in args) or "no arguments",
                where=where,
                fix="modelmath reads models built from keras.Input(...) or with an input shape",
            )
        if layer.kind == "sequential":
            return self._call_sequential(layer, args, kwargs, where)
        if layer.kind == "subclassed":
            return self._call_subclassed(layer, args, kwargs, where)
        if layer.is_custom_layer or _readable_lambda(layer):
            if layer.outputs is None and not layer.opaque:
                assert self.trace_layer is not None
                self.trace_layer(layer, args, kwargs, where)
            if layer.traced:
                node = Node(layer, list(args), dict(kwargs), where=where)
                layer.nodes.append(node)
                count = len(list(tensors_in(layer.outputs)))
                node.outputs = [Tensor(node, i) for i in range(count)]
                return _restructure(layer.outputs, iter(node.outputs))
        if not layer.built_names:
            layer.built_names = True
            for prefix in BUILD_NAMES.get(layer.class_name, ()):
                self.namer.unique(prefix)
        node = Node(layer, list(args), dict(kwargs), where=where)
        layer.nodes.append(node)
        count = self._output_count(layer, kwargs)
        node.outputs = [Tensor(node, i) for i in range(count)]
        if layer.kind == "functional":
            return _restructure(layer.outputs, iter(node.outputs))
        if count == 1:
            return node.outputs[0]
        if layer.class_name in ("MultiHeadAttention", "GroupQueryAttention"):
            return tuple(node.outputs)
        return list(node.outputs)

    def run_on_data(self, model: LayerObj, args: list[Any], where: str) -> Unknown:
        """``model(x)``, ``model.fit(x, y)``, …: Keras builds an unbuilt model from the data.

        The data is unknown here, so the model stays unbuilt unless ``--input-shape`` says
        its shape; summarizing it without one is an error that names the data.
        """
        data = first_unknown(args[:1]) or Unknown("data", where)
        if model.inputs is None and model.kind != "functional":
            if self.input_shape is not None:
                self.build(model, (None, *self.input_shape), where, by_script=False)
            elif model.data_built is None:
                model.data_built = data
        return Unknown(f"{model.name}(...) on {data.what}", where)

    def _output_count(self, layer: LayerObj, kwargs: dict[str, Any]) -> int:
        if layer.is_model:
            return len(list(tensors_in(layer.outputs)))
        cfg = layer.config
        if cfg.get("return_state"):
            return 1 + _state_count(layer.class_name, cfg)
        if layer.class_name == "Bidirectional":
            inner = cfg.get("layer")
            if isinstance(inner, LayerObj) and inner.config.get("return_state"):
                return 1 + 2 * _state_count(inner.class_name, inner.config)
        if kwargs.get("return_attention_scores"):
            return 2
        return 1

    # -- models -----------------------------------------------------------------------
    def functional(self, args: list[Any], kwargs: dict[str, Any], where: str) -> LayerObj:
        """``keras.Model(inputs, outputs, name=...)``."""
        bound = bind("Model", OTHERS["Model"], args, kwargs, where)
        inputs, outputs = bound["inputs"], bound["outputs"]
        for what, value in (("inputs", inputs), ("outputs", outputs)):
            unknown = first_unknown(value)
            if unknown is not None:
                raise ScriptError(
                    f"Model {what} come from {unknown.what} ({unknown.where}), which is "
                    "only known when the script runs",
                    where=where,
                )
            if not list(tensors_in(value)):
                raise ScriptError(
                    f"Model {what} must be Keras tensors", received=repr(value)[:80], where=where
                )
        name = bound.get("name")
        model = LayerObj(
            "Functional",
            name if isinstance(name, str) else self.namer.unique("functional"),
            {"trainable": bool(bound.get("trainable", True))},
            where,
            kind="functional",
            module="keras.src.models.functional",
            inputs=inputs,
            outputs=outputs,
        )
        _check_connected(model, where)
        self.models.append(model)
        return model

    def sequential(self, args: list[Any], kwargs: dict[str, Any], where: str) -> LayerObj:
        """``keras.Sequential([layers...], name=...)``."""
        bound = bind("Sequential", OTHERS["Sequential"], args, kwargs, where)
        name = bound.get("name")
        model = LayerObj(
            "Sequential",
            name if isinstance(name, str) else self.namer.auto("Sequential"),
            {"trainable": bool(bound.get("trainable", True))},
            where,
            kind="sequential",
            module="keras.src.models.sequential",
        )
        self.models.append(model)
        members = bound.get("layers")
        if members is not None:
            if not isinstance(members, (list, tuple)):
                raise ScriptError(
                    "Sequential takes a list of layers", received=repr(members)[:80], where=where
                )
            for member in members:
                self.seq_add(model, member, where, rebuild=False)
            if model.members:
                self.seq_maybe_rebuild(model)
        return model

    def seq_add(self, model: LayerObj, layer: Any, where: str, rebuild: bool = True) -> None:
        """``model.add(layer)``: Keras rebuilds the model each time once it knows its input."""
        if isinstance(layer, Instance) and layer.layer is not None:
            layer = layer.layer  # a Layer or Model subclassed in the script
        first = not model.members and isinstance(layer, LayerObj)
        if first and layer.batch_shape is not None and layer.kind != "input":
            self.seq_add(model, self._hidden_input(layer.batch_shape, where), where, False)
        if isinstance(layer, Tensor) and layer.node.layer.kind == "input":
            layer = layer.node.layer
        if not isinstance(layer, LayerObj):
            raise ScriptError(
                f"only Keras layers can be added to Sequential model '{model.name}'",
                received=repr(layer)[:80],
                where=where,
            )
        if any(m.name == layer.name for m in model.members):
            raise ScriptError(
                f"Sequential model '{model.name}' already has a layer named '{layer.name}'",
                where=where,
                fix="Give each layer a different name",
            )
        if layer.kind == "input" and model.members and model.members[0].kind == "input":
            raise ScriptError(f"Sequential model '{model.name}' already has an input", where=where)
        model.members.append(layer)
        if rebuild:
            self.seq_maybe_rebuild(model)
        else:
            model.inputs = model.outputs = None

    def _hidden_input(self, batch_shape: Shape, where: str) -> LayerObj:
        tensor = self.make_input([], {"batch_shape": batch_shape}, where)
        return tensor.node.layer

    def seq_maybe_rebuild(self, model: LayerObj) -> None:
        model.inputs = model.outputs = None
        first = model.members[0]
        if first.kind == "input" and len(model.members) > 1:
            self.seq_build(model, first.batch_shape, first.where)
        elif first.is_model and first.inputs is not None and len(model.members) > 1:
            # Keras: a first layer with an `input_shape` property (a built model)
            shapes = [shape_of(t) for t in tensors_in(first.inputs)]
            if len(shapes) == 1 and shapes[0] is not None:
                self.seq_build(model, shapes[0], first.where)

    def seq_build(self, model: LayerObj, batch_shape: Shape | None, where: str) -> None:
        """Keras's ``Sequential.build``: an InputLayer if there is none, then a chain of calls."""
        if not model.members:
            raise ScriptError(f"Sequential model '{model.name}' has no layers", where=where)
        if model.members[0].kind != "input":
            model.members.insert(0, self._hidden_input(batch_shape or (None,), where))
            if batch_shape is None:
                model.members[0].batch_shape = None
        x: Any = model.members[0].nodes[0].outputs[0]
        inputs = x
        for layer in model.members[1:]:
            x = self.call_layer(layer, [x], {}, layer.where)
        model.inputs, model.outputs = inputs, x
        self.namer.unique("functional")  # Keras wraps the chain in a Functional model

    def _call_sequential(
        self, model: LayerObj, args: list[Any], kwargs: dict[str, Any], where: str
    ) -> Any:
        if model.inputs is None:
            tensors = list(tensors_in(args[:1]))
            shape = shape_of(tensors[0]) if len(tensors) == 1 else None
            self.seq_build(model, shape, where)
        node = Node(model, list(args), dict(kwargs), where=where)
        model.nodes.append(node)
        node.outputs = [Tensor(node, 0)]
        return node.outputs[0]

    def _call_subclassed(
        self, model: LayerObj, args: list[Any], kwargs: dict[str, Any], where: str
    ) -> Any:
        if model.inputs is None:
            self.trace(model, [shape_of(t) for t in tensors_in(args)], args, kwargs, where)
        model.built_without_call = ""  # called on tensors: Keras builds its layers
        node = Node(model, list(args), dict(kwargs), where=where)
        model.nodes.append(node)
        node.outputs = [Tensor(node, i) for i in range(len(list(tensors_in(model.outputs))))]
        return _restructure(model.outputs, iter(node.outputs))

    def trace(
        self,
        model: LayerObj,
        shapes: list[Shape | None],
        args: list[Any] | None,
        kwargs: dict[str, Any],
        where: str,
    ) -> None:
        """Run a subclassed model's ``call`` on fresh inputs of the given shapes."""
        assert self.trace_call is not None and isinstance(model.instance, Instance)
        fresh = iter([self._hidden_tensor(model, i, s, where) for i, s in enumerate(shapes)])
        inner_args = [fresh.__next__()] if args is None else [_restructure(a, fresh) for a in args]
        inputs = list(tensors_in(inner_args))
        model.inputs = inputs if len(inputs) > 1 else inputs[0]
        self.quiet += 1  # Keras runs call() on backend tensors: its `x + y` use no names
        try:
            outputs = self.trace_call(model.instance, inner_args, dict(kwargs), where)
        finally:
            self.quiet -= 1
        if not list(tensors_in(outputs)):
            raise ScriptError(
                f"call() of model '{model.name}' returns no Keras tensor",
                received=repr(outputs)[:80],
                where=where,
            )
        model.outputs = outputs

    def _hidden_tensor(self, model: LayerObj, i: int, shape: Shape | None, where: str) -> Tensor:
        # Keras builds a subclassed model without InputLayers; this one is never listed
        # and uses no name counter.
        layer = LayerObj(
            "InputLayer", f"{model.name}__input_{i}", {"dtype": "float32"}, where,
            kind="input", batch_shape=shape,
        )  # fmt: skip
        node = Node(layer, [], {}, where=where)
        layer.nodes.append(node)
        tensor = Tensor(node, 0, shape_cache=shape)
        node.outputs.append(tensor)
        return tensor

    def build(self, model: LayerObj, shape: Any, where: str, *, by_script: bool = True) -> None:
        """``model.build(input_shape)`` (``by_script``: called so by the script, not built
        from --input-shape for a model fit on data the file lacks)."""
        unknown = first_unknown(shape)
        if unknown is not None:
            if self.input_shape is None:
                raise ScriptError(
                    f"model '{model.name}' is built with a shape from {unknown.what} "
                    f"({unknown.where}), which is only known when the script runs",
                    where=where,
                    fix="Pass --input-shape with the shape without the batch axis, "
                    "or write the shape in the script",
                )
            shape = (None, *self.input_shape)
        batch = _shape_value(shape, "input_shape", where)
        if model.kind == "sequential":
            if model.inputs is None:
                self.seq_build(model, batch, where)
        elif model.kind == "subclassed" and model.inputs is None:
            self.trace(model, [batch], None, {}, where)
            own_build = model.instance is not None and isinstance(
                model.instance.cls.lookup("build"), Function
            )
            if by_script and not own_build:
                model.built_without_call = where

    # -- operations ---------------------------------------------------------------------
    def operation(
        self, class_name: str, args: list[Any], where: str, config: dict[str, Any] | None = None
    ) -> Any:
        """``x + y`` or ``keras.ops.concatenate([a, b])`` on Keras tensors: an operation row
        (``config``: its settings, as Keras records them)."""
        if self.quiet:
            self.quiet_count += 1
            name = f"{snake_case(class_name)}:{self.quiet_count}"  # never a Keras name
        else:
            name = self.namer.auto(class_name)
        op = LayerObj(
            class_name, name, dict(config or {}), where, kind="op", module="keras.src.ops.numpy",
        )  # fmt: skip
        return self.call_layer(op, args, {}, where)

    def keras_function(self, path: str, args: list[Any], kwargs: dict[str, Any], where: str) -> Any:
        """A call of a dotted Keras name; MISSING when the name is not modelled."""
        path = canonical(path)
        parts = path.split(".")
        last = parts[-1]
        if path == "keras.Input":
            return self.make_input(args, kwargs, where)
        if path == "keras.Model":
            return self.functional(args, kwargs, where)
        if path == "keras.Sequential":
            return self.sequential(args, kwargs, where)
        if parts[:2] == ["keras", "layers"] and len(parts) == 3:
            if last in LAYERS:
                return self.construct(last, args, kwargs, where)
            if last in _MERGE_FUNCTIONS:
                if not args:
                    raise ScriptError(f"layers.{last} needs a list of tensors", where=where)
                layer = self.construct(_MERGE_FUNCTIONS[last], [], kwargs, where)
                return self.call_layer(layer, [args[0]], {}, where)
        if path == "keras.ops.arange" and self.quiet:
            return self.arange(args, kwargs, where)
        if path in _SIZED and self.quiet:
            return self.sized(path, args, kwargs, where)
        elementwise = parts[:2] == ["keras", "activations"] or (
            parts[:2] == ["keras", "ops"] and last in _ELEMENTWISE_OPS
        )
        one_tensor = len(args) == 1 and isinstance(args[0], Tensor)
        if self.quiet and elementwise and len(parts) == 3 and one_tensor:
            return self.operation("Activation", list(args), where)  # same shape out
        if path in ("keras.backend.int_shape", "keras.ops.shape"):
            if len(args) != 1 or not isinstance(args[0], Tensor):
                raise ScriptError(f"{last}() takes one Keras tensor", where=where)
            return self.tensor_shape(args[0], where)
        if path in ("keras.backend.image_data_format", "keras.config.image_data_format"):
            return "channels_last"
        if path in ("keras.backend.floatx", "keras.config.floatx"):
            return "float32"
        if path in ("keras.backend.clear_session", "keras.utils.clear_session"):
            self.namer.clear()
            return None
        if parts[:2] == ["keras", "ops"] and last in _OPS and list(tensors_in(args)):
            config = _op_settings(last, args, kwargs, where)
            operands = list(args[: 2 if last in _BINARY_OPS else 1])
            if last == "concatenate" and operands and isinstance(operands[0], (list, tuple)):
                operands = [list(operands[0])]
            return self.operation(_OPS[last], operands, where, config)
        return MISSING

    def arange(self, args: list[Any], kwargs: dict[str, Any], where: str) -> Any:
        """``keras.ops.arange(start, stop, step)`` inside a custom layer's call(): a
        constant tensor of known length (Keras computes it on backend tensors there)."""
        bound = bind("arange", _ARANGE, args, kwargs, where)
        start, stop, step = bound["start"], bound["stop"], bound["step"]
        if stop is None:
            start, stop = 0, start
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop, step)):
            return Unknown("keras.ops.arange(...) of sizes not written in the file", where)
        if step == 0:
            raise ScriptError("keras.ops.arange: step must not be 0", where=where)
        length = max(0, -((start - stop) // step))
        dtype = bound["dtype"] if isinstance(bound["dtype"], str) else "int32"
        return self.constant((length,), dtype, "arange", where)

    def sized(self, path: str, args: list[Any], kwargs: dict[str, Any], where: str) -> Any:
        """``keras.random.normal(shape, ...)``, ``keras.ops.zeros(shape)`` and their kin
        inside a custom layer's call(): a tensor of the shape given, a size of None (read
        off an input's batch) standing for any size, as Keras builds it there."""
        signature, default_dtype = _SIZED[path]
        bound = bind(signature[0], signature, args, kwargs, where)
        raw = bound["shape"]
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = (raw,)
        if not isinstance(raw, (list, tuple)) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0) for d in raw
        ):
            return Unknown(f"{path.removeprefix('keras.')}(...) of a shape not in the file", where)
        dtype = bound["dtype"] if isinstance(bound["dtype"], str) else default_dtype
        return self.constant(tuple(raw), dtype, signature[0], where)

    def constant(self, shape: Shape, dtype: str, what: str, where: str) -> Tensor:
        """A tensor of known shape that no layer computes (never listed, no name used)."""
        self.quiet_count += 1
        layer = LayerObj(
            "InputLayer", f"{what}:{self.quiet_count}", {"dtype": dtype}, where,
            kind="input", batch_shape=shape,
        )  # fmt: skip
        node = Node(layer, [], {}, where=where)
        layer.nodes.append(node)
        tensor = Tensor(node, 0, dtype=dtype, shape_cache=shape)
        node.outputs.append(tensor)
        return tensor

    def add_weight(
        self, layer: LayerObj, args: list[Any], kwargs: dict[str, Any], where: str
    ) -> Any:
        """``self.add_weight(shape=..., ...)`` of a custom layer: a weight it owns, usable as
        a tensor in its call(). A shape the file does not tell makes the layer opaque."""
        bound = bind("add_weight", _ADD_WEIGHT, args, kwargs, where)
        raw = bound["shape"]
        if raw is None:
            raw = ()
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = (raw,)
        if not isinstance(raw, (list, tuple)) or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in raw
        ):
            what = first_unknown(raw)
            layer.opaque = (
                f"the shape of a weight it creates with add_weight() is not known from the file "
                f"({what.what if what else repr(raw)[:40]})"
            )
            return Unknown(f"{layer.name}.add_weight(...)", where)
        shape: Shape = tuple(raw)
        name = bound["name"] if isinstance(bound["name"], str) else "variable"
        taken = {w.config["weight_name"] for w in layer.own_weights}
        unique, n = name, 0
        while unique in taken:
            n += 1
            unique = f"{name}_{n}"
        dtype = bound["dtype"] if isinstance(bound["dtype"], str) else None
        config: dict[str, Any] = {
            "shape": list(shape),
            "weight_name": unique,
            "trainable": bound["trainable"] is not False,
        }
        if dtype is not None:
            config["dtype"] = dtype
        self.quiet_count += 1
        weight = LayerObj(WEIGHT_OP, f"{unique}:{self.quiet_count}", config, where, module="")
        layer.own_weights.append(weight)
        node = Node(weight, [], {}, where=where)
        weight.nodes.append(node)
        tensor = Tensor(node, 0, dtype=dtype or "float32", shape_cache=shape)
        node.outputs.append(tensor)
        return tensor

    def tensor_shape(self, tensor: Tensor, where: str) -> tuple[int | None, ...]:
        """``x.shape``: computed from the layers' rules; an error when one has none."""
        shape = shape_of(tensor)
        if shape is None:
            layer = tensor.node.layer
            raise ScriptError(
                f"the script reads the shape of the output of '{layer.name}' "
                f"({layer.class_name}), which modelmath cannot compute yet "
                f"(no formula for {layer.class_name})",
                where=where,
                fix="Write the size in the script instead of reading x.shape",
            )
        return shape

    def record_summary(self, model: LayerObj, where: str) -> None:
        self.summaries.append(Snapshot(model, where))


# Keras 3's signatures of the two functions a custom layer's code calls most.
_ARANGE: Signature = (
    "arange", (("start", "p", 0), ("stop", "p", None), ("step", "p", 1), ("dtype", "p", None)),
    False,
)  # fmt: skip
# Keras 3's functions that make a tensor of a given shape: their signatures and dtypes.
_SEEDED = (("dtype", "p", None), ("seed", "p", None))
_SIZED: dict[str, tuple[Signature, str]] = {
    "keras.random.normal": (
        ("normal", (("shape", "p", None), ("mean", "p", 0.0), ("stddev", "p", 1.0), *_SEEDED),
         False), "float32",
    ),
    "keras.random.truncated_normal": (
        ("truncated_normal",
         (("shape", "p", None), ("mean", "p", 0.0), ("stddev", "p", 1.0), *_SEEDED), False),
        "float32",
    ),
    "keras.random.uniform": (
        ("uniform", (("shape", "p", None), ("minval", "p", 0.0), ("maxval", "p", 1.0), *_SEEDED),
         False), "float32",
    ),
    "keras.random.randint": (
        ("randint", (("shape", "p", None), ("minval", "p", None), ("maxval", "p", None),
                     ("dtype", "p", "int32"), ("seed", "p", None)), False), "int32",
    ),
    "keras.ops.zeros": (("zeros", (("shape", "p", None), ("dtype", "p", None)), False), "float32"),
    "keras.ops.ones": (("ones", (("shape", "p", None), ("dtype", "p", None)), False), "float32"),
}  # fmt: skip
_ADD_WEIGHT: Signature = (
    "add_weight",
    (("shape", "p", None), ("initializer", "p", None), ("dtype", "p", None),
     ("trainable", "p", True), ("autocast", "p", True), ("regularizer", "p", None),
     ("constraint", "p", None), ("aggregation", "p", "none"),
     ("overwrite_with_gradient", "p", False), ("name", "p", None)),
    True,
)  # fmt: skip


# -- helpers ----------------------------------------------------------------------------
def _op_settings(
    name: str, args: Sequence[Any], kwargs: dict[str, Any], where: str
) -> dict[str, Any]:
    """keras.ops.<name>'s settings (the arguments after its operands), bound by Keras 3's
    signature: the config Keras records for the operation."""
    operands = ("x1", "x2") if name in _BINARY_OPS else ("xs",) if name == "concatenate" else ("x",)
    params = [(k, "p", REQUIRED) for k in operands]
    params += [(key, "p", default) for key, default in _OP_SETTINGS.get(name, ())]
    bound = bind(f"keras.ops.{name}", (name, tuple(params), False), list(args), kwargs, where)
    config = {k: v for k, v in bound.items() if k not in operands}
    for key, value in config.items():
        _check_known(f"keras.ops.{name}", key, value, where)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()}


def _readable_lambda(layer: LayerObj) -> bool:
    """A Lambda whose function is the script's own and that has no output_shape: its
    function is read on the input's shape as a custom layer's call() is, as Keras runs it
    on symbolic tensors to learn the shape."""
    config = layer.config
    return (
        layer.is_lambda
        and config.get("output_shape") is None
        and isinstance(config.get("function"), Function)
    )


def bind(
    public: str, sig: Signature, args: list[Any], kwargs: dict[str, Any], where: str
) -> dict[str, Any]:
    """Arguments by parameter name with the defaults filled in, as Python binds them."""
    _, params, var_kw = sig
    out: dict[str, Any] = {}
    positional = [p for p in params if p[1] == "p"]
    star = next((p for p in params if p[1] == "*"), None)
    if len(args) > len(positional) and star is None:
        raise ScriptError(
            f"{public}() takes {len(positional)} positional arguments",
            received=f"{len(args)}",
            where=where,
        )
    for (pname, _, _), value in zip(positional, args):
        out[pname] = value
    if star is not None:
        out[star[0]] = list(args[len(positional) :])
    names = {p[0] for p in params}
    for key, value in kwargs.items():
        if key in out:
            raise ScriptError(f"{public}() got multiple values for argument '{key}'", where=where)
        if key not in names and not var_kw:
            raise ScriptError(f"{public}() got an unexpected keyword argument '{key}'", where=where)
        out[key] = value
    for pname, kind, default in params:
        if pname in out or kind == "*":
            continue
        if default is REQUIRED:
            raise ScriptError(
                f"{public}() is missing its required argument '{pname}'",
                where=where,
                fix=f"Write {pname}=... in the call",
            )
        out[pname] = default
    return out


def _check_known(class_name: str, key: str, value: Any, where: str) -> None:
    unknown = first_unknown(value)
    if unknown is None or key in _SOFT_KEYS or key.endswith(_SOFT_SUFFIXES):
        return
    raise ScriptError(
        f"{class_name} argument `{key}` comes from {unknown.what} ({unknown.where}), which is "
        "only known when the script runs",
        where=where,
        fix=f"Write the value of `{key}` in the script",
    )


def _unexpected_keyword(
    public: str, class_name: str, key: str, own: set[str], where: str
) -> ScriptError:
    """A keyword Keras 3 refuses in a layer's constructor, with the likely fix: the name
    meant (a typo), or what Keras 3 takes instead of a Keras 2 keyword."""
    import difflib

    fix = _KERAS2_KWARGS.get(key)
    if fix is not None:
        fix = f"`{key}` is a Keras 2 argument: {fix}"
    else:
        close = difflib.get_close_matches(key, sorted(own | LAYER_KWARGS), n=1)
        fix = f"Check the spelling: {public} takes `{close[0]}`" if close else f"Remove `{key}`"
    return ScriptError(
        f"{public}() got an unexpected keyword argument `{key}`: Keras refuses it "
        f"(Unrecognized keyword arguments passed to {class_name})",
        where=where,
        fix=fix,
    )


def _input_shape_arg(extra: dict[str, Any], where: str) -> Shape | None:
    """``input_shape=`` / ``input_dim=`` given to a first layer (Keras 3 refuses Keras 2's
    ``batch_input_shape=`` before: see construct)."""
    if extra.get("input_shape") is not None:
        return (None, *_shape_value(extra["input_shape"], "input_shape", where))
    if extra.get("input_dim") is not None:
        return (None, *_shape_value((extra["input_dim"],), "input_dim", where))
    return None


def _shape_value(raw: Any, what: str, where: str) -> Shape:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = (raw,)
    if isinstance(raw, (list, tuple)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0) for d in raw
    ):
        return tuple(raw)
    unknown = first_unknown(raw)
    raise ScriptError(
        f"`{what}` must be a tuple of sizes written in the file",
        received=unknown.what if unknown else repr(raw)[:80],
        where=where,
        fix="Pass --input-shape, or write the shape in the script",
    )


def _state_count(class_name: str, cfg: dict[str, Any]) -> int:
    return 2 if class_name in ("LSTM", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D") else 1


def _restructure(template: Any, flat: Any) -> Any:
    """A structure like ``template`` with its tensors replaced, in order, from ``flat``."""
    if isinstance(template, Tensor):
        return next(flat)
    if isinstance(template, list):
        return [_restructure(t, flat) for t in template]
    if isinstance(template, tuple):
        return tuple(_restructure(t, flat) for t in template)
    if isinstance(template, dict):
        return {k: _restructure(template[k], flat) for k in template}
    return template


def _snapshot(value: Any) -> Any:
    """A copy of the containers in ``value`` (the tensors and objects inside are shared)."""
    if isinstance(value, list):
        return [_snapshot(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_snapshot(v) for v in value)
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return value


def _check_connected(model: LayerObj, where: str) -> None:
    """Keras's "Graph disconnected" check: every input the outputs need is a model input."""
    inputs = list(tensors_in(model.inputs))
    network, _ = map_graph(inputs, list(tensors_in(model.outputs)), model.name)
    known = {id(t.node) for t in inputs}
    for node in network:
        if node.is_input and id(node) not in known:
            raise ScriptError(
                f"model '{model.name}' needs input '{node.layer.name}', which is not among "
                "its inputs (Keras: graph disconnected)",
                where=where,
                fix=f"Add {node.layer.name} to the model's inputs",
            )
