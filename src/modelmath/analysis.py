"""Graph → Summary: run each layer's rule in dependency order, then total the rows.

Cost is linear in the number of layer calls: every call is evaluated once, when the
last of its inputs becomes known (Kahn's algorithm).

>>> from modelmath.graph import Graph, Layer, Call, TensorRef
>>> g = Graph("m", (Layer("x", "InputLayer", input_shape=(None, 4)),
...                 Layer("d", "Dense", {"units": 2}, (Call((TensorRef("x", 0, 0),)),))),
...           inputs=(TensorRef("x", 0, 0),), outputs=(TensorRef("d", 0, 0),))
>>> analyze(g).totals.total.value
10
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from modelmath.errors import ConfigError, LayerError, ModelMathError
from modelmath.expr import Div, Expr, Num, Prod, Quantity, Sum, Sym, total
from modelmath.fastinit import fast_frozen_init
from modelmath.graph import Graph, Layer, Shape, TensorRef
from modelmath.model_summary import Row, RowStatus, Summary, Totals
from modelmath.rules import LayerCall, NoStaticFormula, OutputShape, RuleResult, Weight, find_rule
from modelmath.rules.base import fmt_shape
from modelmath.rules.shaping import passthrough

if TYPE_CHECKING:
    from modelmath.costs.data import CostOptions

NodeKey = tuple[str, int]  # (layer name, call index)


@fast_frozen_init
@dataclass(frozen=True)
class _LayerOutcome:
    """What analysis learned about one layer, before it becomes a Row."""

    weights: tuple[Weight, ...]
    params_why: str
    has_rule: bool
    children: tuple[Row, ...] = ()
    hint: str = ""  # for a layer without formula: what the user can do instead
    unknown_input_from: str = ""  # a layer with a rule whose input shape is unknown


def analyze(
    graph: Graph,
    *,
    input_shapes: Mapping[str, Shape] | None = None,
    costs: CostOptions | None = None,
) -> Summary:
    """Evaluate every layer of ``graph`` and return its Summary.

    ``input_shapes`` overrides the declared shape of named input layers (``--input-shape``).
    ``costs`` (a batch size and an optimizer) adds MACs, FLOPs, memory and receptive
    fields; without it none of that work is done.
    """
    return _Analysis(graph, dict(input_shapes or {}), costs).run()


class _Analysis:
    def __init__(
        self,
        graph: Graph,
        input_shapes: dict[str, Shape],
        costs: CostOptions | None = None,
        reasons: Mapping[str, str] | None = None,
    ) -> None:
        self.graph = graph
        # why a custom layer has no formula (the source reader's; a nested model's are
        # its parent's: the reader names layers model-wide)
        self.reasons = graph.reasons if reasons is None else reasons
        self.input_shapes = input_shapes
        self.cost_options = costs
        # Only filled when costs are asked for: each call's rule input and result, and a
        # nested model's own Summary.
        self.evaluated: dict[NodeKey, tuple[LayerCall, RuleResult]] = {}
        self.nested: dict[str, Summary] = {}
        self.outputs: dict[NodeKey, tuple[OutputShape, ...]] = {}
        self.outcomes: dict[str, _LayerOutcome] = {}
        self.inputs_seen: dict[NodeKey, tuple[Shape, ...]] = {}
        self.notes: list[str] = []  # what the summary must say of the model as a whole
        self._stated: dict[TensorRef, Shape] | None = None

    @property
    def stated(self) -> dict[TensorRef, Shape]:
        """The shapes the file states for each tensor: only layers without a formula need
        them, so they are read off the graph on first use."""
        if self._stated is None:
            self._stated = _stated_shapes(self.graph)
        return self._stated

    # -- evaluation -----------------------------------------------------------------
    def run(self) -> Summary:
        graph = self.graph
        if graph.built:
            for layer, call_index in _topological_calls(graph):
                try:
                    self._evaluate(layer, call_index)
                except ModelMathError as err:
                    where = graph.locations.get(layer.name)
                    raise (err.with_context(where) if where else err) from None
        all_rows = [self._row(layer) for layer in graph.layers]
        rows = tuple(r for r, layer in zip(all_rows, graph.layers) if layer.listed)
        totals = self._totals(graph, all_rows)
        summary = Summary(
            name=graph.name,
            kind=graph.kind,
            framework=graph.framework,
            rows=rows,
            totals=totals,
            sequential_like=_sequential_like(graph),
            built=graph.built,
            source=graph.source,
            notes=(*graph.notes, *dict.fromkeys(self.notes), *_notes(rows)),
        )
        if self.cost_options is not None and graph.built:
            from modelmath.costs.attach import attach_costs

            summary = attach_costs(self, summary, all_rows)
        return summary

    def _input_shapes(self, layer: Layer, call_index: int) -> tuple[Shape, ...] | None:
        """Shapes of the tensors a call consumes; None when one of them is unknown."""
        call = layer.calls[call_index]
        if len(call.inputs) == 1:  # the usual single input, already computed
            ref = call.inputs[0]
            produced = self.outputs.get((ref.layer, ref.call))
            if produced is not None and ref.tensor < len(produced):
                return (produced[ref.tensor].values,)
        shapes: list[Shape] = []
        for i, ref in enumerate(call.inputs):
            produced = self.outputs.get((ref.layer, ref.call))
            if produced is not None and ref.tensor < len(produced):
                shapes.append(produced[ref.tensor].values)
                continue
            stated = call.stated_shapes[i] if i < len(call.stated_shapes) else None
            if stated is None:
                return None
            shapes.append(stated)
        return tuple(shapes)

    def _unknown_input(self, layer: Layer, call_index: int) -> str:
        """The layer whose output, consumed by this call, has no known shape."""
        for ref in layer.calls[call_index].inputs:
            if (ref.layer, ref.call) not in self.outputs:
                return ref.layer
        return layer.calls[call_index].inputs[0].layer if layer.calls[call_index].inputs else ""

    def _evaluate(self, layer: Layer, call_index: int) -> None:
        key = (layer.name, call_index)
        if layer.op == "InputLayer" or not layer.calls:
            self.outputs[key] = (self._input_output(layer),)
            self.outcomes.setdefault(layer.name, _LayerOutcome((), "", True))
            return
        inputs = self._input_shapes(layer, call_index)
        if inputs is not None:
            self.inputs_seen[key] = inputs
        if layer.subgraph is not None:
            nested = self._nested(layer, inputs)
            if isinstance(nested, Layer):  # a layer inside it has no formula
                hint = (
                    f"Its layer '{nested.name}' ({nested.op}) has no known output shape, "
                    "so neither has the nested model"
                )
                self._no_rule(layer, call_index, has_rule=False, hint=hint)
                return
            result, children = nested
            if self.cost_options is not None and inputs is not None:
                ctx = LayerCall(layer.name, layer.op, layer.config, inputs, self.graph.framework)
                self.evaluated[key] = (ctx, result)
            first = self.outcomes.get(layer.name)
            if first is None:
                self.outcomes[layer.name] = _LayerOutcome(
                    result.weights, result.params_why, True, children
                )
            elif first.has_rule and not _same_weights(first.weights, result.weights):
                raise self._refit(layer, inputs, first.weights, result.weights)
        else:
            # A class of the user's own (a subclass named Dense, say) may create any
            # weights: the built-in rule of the same name would be a guess.
            rule = None if _user_class(layer, self.graph.framework) else find_rule(layer.op)
            if rule is None or inputs is None:
                # With a rule but an unknown input (after a layer without formula), the
                # numbers are unknown too: never 0 parameters for a Dense.
                after = "" if rule is None else self._unknown_input(layer, call_index)
                reason = self.reasons.get(layer.name, "") if rule is None else ""
                hint = f"Why: {reason}" if reason else ""
                self._no_rule(layer, call_index, has_rule=False, after=after, hint=hint)
                return
            call = layer.calls[call_index]
            ctx = LayerCall(
                layer.name,
                layer.op,
                layer.config,
                inputs,
                self.graph.framework,
                call_index,
                {
                    "roles": call.roles,
                    "options": dict(call.options) if call.options else {},
                    "operation": _is_operation(layer),  # x + y broadcasts as NumPy does
                },
            )
            try:
                result = rule(ctx)
            except NoStaticFormula as why:
                # A Lambda without output_shape: keep the file's shapes, as for no rule.
                hint = f"{why.message}. {why.fix}" if why.fix else why.message
                reason = self.reasons.get(layer.name, "")  # why the script reader could not
                if reason:
                    hint += f". Why: {reason}"
                self._no_rule(layer, call_index, has_rule=False, hint=hint)
                return
            except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as err:
                # A setting none of the rule's checks foresaw (a stride of 0 in a mutated
                # script): said as this layer's error, with its line, never a traceback.
                raise ctx.error(
                    f"could not be worked out from its settings ({type(err).__name__}: {err})",
                    fix="Check this layer's arguments: Keras refuses most such values when it "
                    "builds the layer. If Keras accepts them, this is a modelmath bug: please "
                    "report it",
                ) from None
            if self.cost_options is not None:
                self.evaluated[key] = (ctx, result)
        self.outputs[key] = result.outputs
        # Weights are created by the first call; later calls share them, so a later call
        # whose input needs other weights cannot run (Keras refuses it as it builds).
        first = self.outcomes.get(layer.name)
        if first is None:
            self.outcomes[layer.name] = _LayerOutcome(result.weights, result.params_why, True)
        elif first.has_rule and not _same_weights(first.weights, result.weights):
            raise self._refit(layer, inputs, first.weights, result.weights)

    def _input_output(self, layer: Layer) -> OutputShape:
        shape = self.input_shapes.get(layer.name, layer.input_shape)
        if shape is None:
            raise ConfigError(
                f"input layer '{layer.name}' has no shape",
                fix="Give the shape with --input-shape (for example 28,28,1)",
            )
        return OutputShape(passthrough(shape), why="declared input shape")

    def _nested(
        self, layer: Layer, inputs: tuple[Shape, ...] | None
    ) -> tuple[RuleResult, tuple[Row, ...]] | Layer:
        """A model used as a layer: analyse it on the shapes it is called with. When its
        outputs have no known shape, the first of its layers whose output has none."""
        sub = layer.subgraph
        assert sub is not None
        overrides: dict[str, Shape] = {}
        if inputs is not None:
            for ref, shape in zip(sub.inputs, inputs):
                overrides[ref.layer] = shape
        inner = _Analysis(sub, overrides, self.cost_options, sub.reasons or self.reasons)
        try:
            summary = inner.run()
        except LayerError as err:
            err.layer = f"{layer.name}/{err.layer}" if err.layer else layer.name
            raise
        if any((ref.layer, ref.call) not in inner.outputs for ref in sub.outputs):
            return next(
                (inside for inside in sub.layers if (inside.name, 0) not in inner.outputs),
                sub.layers[-1],
            )
        outputs = tuple(inner.outputs[(ref.layer, ref.call)][ref.tensor] for ref in sub.outputs)
        weights = _nested_weights(inner, sub)
        built = self._as_built(layer, sub, overrides, inner, weights)
        if built is not None:
            inner, summary, weights = built
        if self.cost_options is not None:
            self.nested[layer.name] = summary
        # Keras's expand_nested lists the inner model's layers, not its operations, and
        # opens no custom layer (kind "layer": a Layer subclass read from a script).
        children = (
            () if sub.kind == "layer" else tuple(r for r in summary.rows if not r.is_operation)
        )
        why = (
            f"all weights of the layers '{sub.name}' calls, and its own"
            if sub.kind == "layer"  # a custom Layer whose call() the script reader read
            else f"all weights of the nested model '{sub.name}'"
        )
        result = RuleResult(outputs, weights, why)
        return result, children

    def _refit(
        self,
        layer: Layer,
        inputs: tuple[Shape, ...] | None,
        made: tuple[Weight, ...],
        needed: tuple[Weight, ...],
    ) -> LayerError:
        """A later call of ``layer`` whose input needs other weights than its first call
        made: it cannot run (Keras refuses it as it builds the model)."""
        first = _shapes_words(self.inputs_seen.get((layer.name, 0)))
        return LayerError(
            f"{layer.op} is called again on {_shapes_words(inputs)}, but its weights were "
            f"made by its first call on {first}: {_misfit_words(made, needed)}. A layer used "
            "twice shares one set of weights",
            layer=layer.name,
            received=_shapes_words(inputs),
            fix="Give this call an input of the first call's size, or use a new layer for it",
        )

    def _as_built(
        self,
        layer: Layer,
        sub: Graph,
        overrides: dict[str, Shape],
        inner: _Analysis,
        weights: tuple[Weight, ...],
    ) -> tuple[_Analysis, Summary, tuple[Weight, ...]] | None:
        """A nested model called on other shapes than its own inputs declare keeps the
        weights it was built with (Keras builds them once, on those inputs): its analysis
        on its own inputs, with a note, when that gives other weights; else None. Shapes
        Keras's own check of a model's inputs refuses are refused here too."""
        if sub.kind not in ("functional", "sequential"):
            return None  # a layer of the user's: its later calls are checked as a layer's
        declared = {
            ref.layer: shape
            for ref in sub.inputs
            for shape in [_declared_shape(sub, ref.layer)]
            if shape is not None
        }
        if len(declared) != len(sub.inputs) or declared == overrides:
            return None  # built by this call, or called as declared: the same weights
        for name, shape in declared.items():
            given = overrides.get(name)
            if given is not None and not _keras_accepts(shape, given):
                raise LayerError(
                    f"the nested model '{sub.name}' is called on {fmt_shape(given)}, but was "
                    f"built for {fmt_shape(shape)}: Keras refuses these shapes",
                    layer=layer.name,
                    received=fmt_shape(given),
                    fix=f"Call it on inputs of shape {fmt_shape(shape)}, as its Input says",
                )
        own = _Analysis(sub, {}, self.cost_options, inner.reasons)
        try:
            own_summary = own.run()
        except ModelMathError:
            return None
        own_weights = _nested_weights(own, sub)
        if _same_weights(own_weights, weights):
            return None
        misfit = next(
            (
                inside.name
                for inside in sub.layers
                if inside.name in own.outcomes
                and inside.name in inner.outcomes
                and not _same_weights(
                    own.outcomes[inside.name].weights, inner.outcomes[inside.name].weights
                )
            ),
            "",
        )
        self.notes.append(
            f"{layer.name}: the nested model '{sub.name}' is called on "
            f"{_shapes_words(tuple(overrides.values()))}, but was built for "
            f"{_shapes_words(tuple(declared.values()))}: its parameters are those it was built "
            f"with, as Keras counts them, and running it on such data fails at '{misfit}', "
            "whose weights do not fit this input (Keras's summary does not check it)"
        )
        return own, own_summary, own_weights

    def _no_rule(
        self, layer: Layer, call_index: int, *, has_rule: bool, hint: str = "", after: str = ""
    ) -> None:
        """Keep what the file states for this call's outputs; never guess."""
        stated = [self.stated.get(TensorRef(layer.name, call_index, t)) for t in range(8)]
        while stated and stated[-1] is None:
            stated.pop()
        outs = tuple(
            OutputShape(passthrough(s), why="as the file states it (no formula)")
            for s in stated
            if s is not None
        )
        if len(outs) == len(stated) and outs:
            self.outputs[(layer.name, call_index)] = outs
        self.outcomes.setdefault(
            layer.name, _LayerOutcome((), "", has_rule, hint=hint, unknown_input_from=after)
        )

    # -- rows and totals ------------------------------------------------------------
    def _row(self, layer: Layer) -> Row:
        calls = layer.calls
        connected = (
            calls[0].inputs
            if len(calls) == 1 and type(calls[0].inputs) is tuple
            else tuple(ref for call in calls for ref in call.inputs)
        )
        if not self.graph.built:
            return Row(
                layer.name,
                layer.op,
                (),
                None,
                None,
                None,
                (),
                connected,
                status=RowStatus.UNBUILT,
                is_trainable=layer.trainable,
                is_operation=_is_operation(layer),
            )
        last = len(layer.calls) - 1 if layer.calls else 0
        outputs = self.outputs.get((layer.name, last), ())
        outcome = self.outcomes.get(layer.name)
        if outcome is None or not outcome.has_rule:
            stated = tuple(self.stated.get(TensorRef(layer.name, last, t)) for t in range(1))
            return Row(
                layer.name,
                layer.op,
                outputs,
                None,
                None,
                None,
                (),
                connected,
                status=RowStatus.NO_RULE,
                is_trainable=layer.trainable,
                is_operation=_is_operation(layer),
                calls=len(layer.calls),
                stated_outputs=stated,
                user_class=layer.module if _user_class(layer, self.graph.framework) else "",
                hint=outcome.hint if outcome is not None else "",
                unknown_input_from=outcome.unknown_input_from if outcome is not None else "",
            )
        trainable_flag = layer.trainable and self.graph.trainable
        weights = outcome.weights
        if not weights:  # activations, merges, poolings, …: nothing to split
            params = Quantity(Num(0), outcome.params_why)
            trainable = Quantity(params.expr, "trainable weights")
            non_trainable = _NO_FROZEN
        else:
            if trainable_flag:
                train = [w for w in weights if w.trainable]
                frozen = (
                    [w for w in weights if not w.trainable] if len(train) < len(weights) else []
                )
            else:
                train, frozen = [], list(weights)
            params = Quantity(_total_count(weights), outcome.params_why)
            # The common cases reuse the params formula instead of building a second one.
            trainable = (
                Quantity(params.expr, "trainable weights")
                if len(train) == len(weights)
                else Quantity(_total_count(train), "trainable weights")
            )
            non_trainable = (
                _NO_FROZEN
                if not frozen
                else Quantity(_total_count(frozen), _frozen_why(frozen, trainable_flag))
            )
        return Row(
            layer.name,
            layer.op,
            outputs,
            params,
            trainable,
            non_trainable,
            weights,
            connected,
            RowStatus.COMPUTED,
            layer.trainable,
            len(calls),
            0,
            (),
            self.inputs_seen.get((layer.name, last), ()),
            outcome.children,
            _is_operation(layer),
        )

    def _totals(self, graph: Graph, rows: list[Row]) -> Totals:
        complete = all(r.params is not None for r in rows) and graph.built
        # Totals name each row's count rather than repeat its formula: the row shows that.
        train = [
            Sym(r.name, r.trainable.value, f"trainable parameters of {r.name}")
            for r in rows
            if r.trainable is not None
        ]
        frozen = [
            Sym(r.name, r.non_trainable.value, f"non-trainable parameters of {r.name}")
            for r in rows
            if r.non_trainable is not None
        ]
        t_expr, f_expr = _nonzero_total(train), _nonzero_total(frozen)
        both = total(e for e in (t_expr, f_expr) if e.value != 0)
        trainable_flag = graph.trainable
        weights_t: list[tuple[Weight, Layer]] = []
        weights_f: list[tuple[Weight, Layer]] = []
        for layer in graph.layers:
            outcome = self.outcomes.get(layer.name)
            if outcome is None:
                continue
            for w in outcome.weights:
                if w.trainable and layer.trainable and trainable_flag:
                    weights_t.append((w, layer))
                else:
                    weights_f.append((w, layer))
        t_bytes, f_bytes = weight_bytes(weights_t), weight_bytes(weights_f)
        return Totals(
            total=Quantity(both, "trainable + non-trainable"),
            trainable=Quantity(t_expr, "sum of the layers' trainable weights"),
            non_trainable=Quantity(f_expr, "sum of the layers' non-trainable weights"),
            total_bytes=Quantity(
                total(e for e in (t_bytes.expr, f_bytes.expr) if e.value != 0),
                "trainable + non-trainable bytes",
            ),
            trainable_bytes=t_bytes,
            non_trainable_bytes=f_bytes,
            complete=complete,
        )


def infer_output_shapes(
    op: str,
    config: Mapping[str, Any],
    inputs: tuple[Shape, ...],
    *,
    name: str = "",
    operation: bool = False,
    options: Mapping[str, Any] | None = None,
) -> tuple[Shape, ...] | None:
    """Output shapes of one layer call, or ``None`` when modelmath has no rule for ``op``.

    For frontends that need shapes while they build the graph (``x.shape[-1]`` in a script).

    >>> infer_output_shapes("Dense", {"units": 8}, ((None, 4),))
    ((None, 8),)
    """
    rule = find_rule(op)
    if rule is None:
        return None
    extra: dict[str, Any] = {"operation": True} if operation else {}
    if options:  # the call's arguments that are not tensors (GetItem's key)
        extra["options"] = dict(options)
    result = rule(LayerCall(name or op.lower(), op, config, inputs, extra=extra))
    return tuple(o.values for o in result.outputs)


_NO_FROZEN = Quantity(Num(0), "no non-trainable weights")


def _user_class(layer: Layer, framework: str) -> bool:
    """True for a Keras layer whose class the user wrote (its config names another
    module than Keras's own); an empty module (older configs, the script reader) is Keras's."""
    return (
        framework == "keras"
        and bool(layer.module)
        and not layer.module.startswith(("keras", "tf_keras", "tensorflow"))
    )


def _is_operation(layer: Layer) -> bool:
    return layer.module.startswith(("keras.src.ops", "keras.ops"))


def _total_count(weights: Sequence[Weight]) -> Expr:
    """Σ of the weights' element counts (:func:`total` over their ``count``)."""
    if len(weights) == 1:
        return weights[0].count
    if not weights:
        return Num(0)
    return Sum(tuple([w.count for w in weights]))


def _nonzero_total(parts: Iterable[Expr]) -> Expr:
    """Sum of the parts that are not zero: a 200-layer model's total need not list 150 zeros."""
    return total(p for p in parts if p.value != 0)


def _frozen_why(frozen: list[Weight], trainable_flag: bool) -> str:
    if not frozen:
        return "no non-trainable weights"
    if not trainable_flag:
        return "trainable=False: every weight is frozen"
    return ", ".join(w.name for w in frozen) + " (not trained)"


_DTYPE_BITS = {
    "bool": 1,
    "bfloat16": 16,
    "float16": 16,
    "half": 16,
    "float32": 32,
    "float": 32,
    "float64": 64,
    "double": 64,
    "int8": 8,
    "uint8": 8,
    "int16": 16,
    "uint16": 16,
    "int32": 32,
    "uint32": 32,
    "int64": 64,
    "uint64": 64,
    "int": 64,
    "float8_e4m3fn": 8,
    "float8_e5m2": 8,
}


def dtype_bits(dtype: str) -> int:
    """Bits per element of ``dtype`` as Keras counts them (bool is 1 bit)."""
    if dtype in _DTYPE_BITS:
        return _DTYPE_BITS[dtype]
    digits = "".join(ch for ch in dtype if ch.isdigit())
    if digits:
        return int(digits)
    raise ConfigError(f"unknown dtype {dtype!r}", received=dtype)


def weight_bytes(weights: list[tuple[Weight, Layer]]) -> Quantity:
    """Σ over dtypes of (element count × bytes per element)."""
    by_dtype: dict[str, list[Expr]] = defaultdict(list)
    for w, layer in weights:
        by_dtype[w.dtype or layer.dtype.variable].append(w.count)
    terms: list[Expr] = []
    words: list[str] = []
    for dtype, counts in by_dtype.items():
        count = total(c for c in counts)
        count_sym = Sym(f"n_{dtype}", count.value, f"{dtype} parameters")
        bits = dtype_bits(dtype)
        size: Expr = (
            Sym(f"b_{dtype}", bits // 8, f"bytes per {dtype}")
            if bits % 8 == 0
            else Div(Num(bits), Num(8))
        )
        terms.append(Prod((count_sym, size)))
        words.append(f"{dtype}: {bits // 8 if bits % 8 == 0 else bits / 8:g} bytes each")
    return Quantity(total(terms), "; ".join(words) or "no weights")


def _declared_shape(graph: Graph, name: str) -> Shape | None:
    """The shape an input layer of ``graph`` declares (None when it declares none)."""
    for layer in graph.layers:
        if layer.name == name:
            return layer.input_shape
    return None


def _keras_accepts(declared: Shape, given: Shape) -> bool:
    """Keras's check of a model's input (its InputSpec with allow_last_axis_squeeze): a
    last axis of 1 is dropped from either shape, then the sizes both know are compared
    axis by axis, as far as the shorter goes, the batch axis left out."""
    spec = (None, *declared[1:]) if declared else declared
    shape = given
    if shape and shape[-1] == 1:
        shape = shape[:-1]
    if spec and spec[-1] == 1:
        spec = spec[:-1]
    return all(a is None or b is None or a == b for a, b in zip(spec, shape))


def _same_weights(a: tuple[Weight, ...], b: tuple[Weight, ...]) -> bool:
    """Two calls of one layer would make the same weights: names and sizes alike."""
    return len(a) == len(b) and all(
        x.name == y.name and [d.value for d in x.shape] == [d.value for d in y.shape]
        for x, y in zip(a, b)
    )


def _misfit_words(made: tuple[Weight, ...], needed: tuple[Weight, ...]) -> str:
    """``kernel (33, 8) there, (16, 8) here``: the weights a call would need otherwise."""
    if len(made) != len(needed):
        return f"{len(made)} weights there, {len(needed)} here"

    def sizes(w: Weight) -> str:
        return fmt_shape([int(d.value) for d in w.shape])  # a weight's sizes are ints

    return ", ".join(
        f"{a.name} {sizes(a)} there, {sizes(b)} here"
        for a, b in zip(made, needed)
        if sizes(a) != sizes(b) or a.name != b.name
    )


def _shapes_words(shapes: tuple[Shape, ...] | None) -> str:
    if not shapes:
        return "an input of unknown shape"
    return " and ".join(fmt_shape(s) for s in shapes)


def _nested_weights(inner: _Analysis, sub: Graph) -> tuple[Weight, ...]:
    """The weights of a nested model, frozen where the inner layer or model is frozen."""
    out: list[Weight] = []
    for layer in sub.layers:
        outcome = inner.outcomes.get(layer.name)
        if outcome is None:
            continue
        for w in outcome.weights:
            trainable = w.trainable and layer.trainable and sub.trainable
            dtype = w.dtype or layer.dtype.variable
            out.append(Weight(f"{layer.name}/{w.name}", w.shape, trainable, w.meaning, dtype))
    return tuple(out)


def _stated_shapes(graph: Graph) -> dict[TensorRef, Shape]:
    """Shapes the file records for each tensor, read off the calls that consume it."""
    stated: dict[TensorRef, Shape] = {}
    for layer in graph.layers:
        for call in layer.calls:
            for ref, shape in zip(call.inputs, call.stated_shapes):
                if shape is not None:
                    stated.setdefault(ref, shape)
    return stated


def _topological_calls(graph: Graph) -> list[tuple[Layer, int]]:
    """Every (layer, call) after the calls it consumes; an error for cycles or bad refs."""
    in_file_order = _file_order_if_topological(graph)
    if in_file_order is not None:
        return in_file_order
    by_name = {layer.name: layer for layer in graph.layers}
    waiting: dict[NodeKey, int] = {}
    consumers: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    ready: deque[NodeKey] = deque()
    for layer in graph.layers:
        keys = [(layer.name, i) for i in range(len(layer.calls))] or [(layer.name, 0)]
        for key in keys:
            deps = set()
            if layer.calls:
                for ref in layer.calls[key[1]].inputs:
                    if ref.layer not in by_name:
                        raise ConfigError(
                            f"layer '{layer.name}' is connected to '{ref.layer}', "
                            "which the model does not define",
                            received=str(ref),
                        )
                    deps.add((ref.layer, ref.call))
            deps.discard(key)
            waiting[key] = len(deps)
            for dep in deps:
                consumers[dep].append(key)
            if not deps:
                ready.append(key)
    order: list[tuple[Layer, int]] = []
    while ready:
        key = ready.popleft()
        order.append((by_name[key[0]], key[1]))
        for nxt in consumers.get(key, ()):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    if len(order) != len(waiting):
        stuck = sorted({k[0] for k, n in waiting.items() if n > 0})
        raise ConfigError(
            "the model's layers are connected in a cycle or to calls that do not exist",
            received=", ".join(stuck[:5]),
        )
    return order


def _file_order_if_topological(graph: Graph) -> list[tuple[Layer, int]] | None:
    """Keras writes layers in an order where every input is defined first; then no sort
    is needed (a shared layer whose later call uses later layers needs the full sort)."""
    seen: set[NodeKey] = set()
    order: list[tuple[Layer, int]] = []
    for layer in graph.layers:
        if not layer.calls:
            seen.add((layer.name, 0))
            order.append((layer, 0))
            continue
        for index, call in enumerate(layer.calls):
            for ref in call.inputs:
                if (ref.layer, ref.call) not in seen:
                    return None
            seen.add((layer.name, index))
            order.append((layer, index))
    return order


def _sequential_like(graph: Graph) -> bool:
    """Keras prints no "Connected to" column for a plain chain of single-input layers."""
    if graph.kind == "sequential":
        return True
    consumed: set[TensorRef] = set()
    roots = 0
    for layer in graph.layers:
        if len(layer.calls) > 1:
            return False
        if not layer.calls or layer.op == "InputLayer":
            roots += 1
            continue
        inputs = layer.calls[0].inputs
        if len(inputs) > 1:
            return False
        for ref in inputs:
            if ref in consumed:
                return False
            consumed.add(ref)
    return roots <= 1


def _notes(rows: tuple[Row, ...]) -> tuple[str, ...]:
    missing: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        if r.status is RowStatus.NO_RULE:
            missing.setdefault((r.no_formula, r.hint), []).append(r.name)
    return tuple(
        f"{why} ({', '.join(names)}): shapes as the file states them, "
        "parameters not counted in the totals" + (f". {hint}" if hint else "")
        for (why, hint), names in missing.items()
    )


__all__ = ["analyze", "dtype_bits", "infer_output_shapes", "weight_bytes"]
