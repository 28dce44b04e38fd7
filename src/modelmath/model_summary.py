"""The result of an analysis: frozen data, no display strings.

A :class:`Summary` holds one :class:`Row` per layer and :class:`Totals`; every number in
them is a :class:`~modelmath.expr.Quantity` or an :class:`~modelmath.rules.OutputShape`
whose value is evaluated from its formula. Printing is the renderers' job; the dunder
methods here only call them.

>>> import modelmath
>>> s = modelmath.summary("examples/seed_config.json")   # doctest: +SKIP
>>> s.rows[1].params.value                               # doctest: +SKIP
448
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from modelmath.expr import Quantity
from modelmath.fastinit import fast_frozen_init
from modelmath.graph import Shape, TensorRef
from modelmath.rules.base import OutputShape, Weight

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

    from modelmath.costs.data import CostTotals, LayerCosts


class RowStatus(Enum):
    """How a row's numbers were obtained."""

    COMPUTED = "computed"  # by a rule, with formulas
    NO_RULE = "no_rule"  # no formula for this op: numbers only where the file states them
    UNBUILT = "unbuilt"  # a Sequential without an input shape: Keras shows '?'


@fast_frozen_init
@dataclass(frozen=True)
class Row:
    """One layer of the model as the framework's own summary lists it."""

    name: str
    op: str
    outputs: tuple[OutputShape, ...]  # of the layer's last call; () when unknown
    params: Quantity | None  # None when no rule gives it
    trainable: Quantity | None
    non_trainable: Quantity | None
    weights: tuple[Weight, ...]
    connected_to: tuple[TensorRef, ...]
    status: RowStatus = RowStatus.COMPUTED
    is_trainable: bool = True  # the layer's own `trainable` flag
    calls: int = 1
    depth: int = 0  # 0 for the model's own layers, 1+ for an expanded nested model
    stated_outputs: tuple[Shape | None, ...] = ()  # shapes the file records, for NO_RULE rows
    input_shapes: tuple[Shape, ...] = ()  # of the last call, for explanations
    children: tuple[Row, ...] = ()  # a nested model's own layers (Keras's expand_nested)
    is_operation: bool = False  # an op such as `x + y` in functional code, not a Layer
    costs: LayerCosts | None = None  # MACs, FLOPs, bytes, receptive field: when asked for
    user_class: str = ""  # module of a class defined outside the framework (NO_RULE rows)
    hint: str = ""  # NO_RULE rows: what the user can pass instead (Lambda's output_shape)
    unknown_input_from: str = ""  # NO_RULE rows of a known type fed by an unknown shape

    @property
    def no_formula(self) -> str:
        """Why a NO_RULE row has no formula, in a few words.

        >>> Row("d", "Dense", (), None, None, None, (), (), user_class="__main__").no_formula
        "no formula for your own Dense class (from '__main__')"
        """
        if self.user_class:
            return f"no formula for your own {self.op} class (from '{self.user_class}')"
        if self.unknown_input_from:
            return f"input shape unknown (from {self.unknown_input_from})"
        return f"no formula for {self.op}"

    @property
    def output_values(self) -> tuple[Shape, ...]:
        """Output shapes as plain tuples (``None`` for unknown sizes)."""
        return tuple(o.values for o in self.outputs)


@fast_frozen_init
@dataclass(frozen=True)
class Totals:
    """Parameter counts of the whole model (shared weights once) and their size in bytes."""

    total: Quantity
    trainable: Quantity
    non_trainable: Quantity
    total_bytes: Quantity
    trainable_bytes: Quantity
    non_trainable_bytes: Quantity
    complete: bool = True  # False when some layer had no rule: its weights are missing


@fast_frozen_init
@dataclass(frozen=True, repr=False)
class Summary:
    """Explained summary of one model."""

    name: str
    kind: str  # "functional" or "sequential"
    framework: str
    rows: tuple[Row, ...]
    totals: Totals
    sequential_like: bool  # Keras drops the "Connected to" column for these
    built: bool = True
    source: str = ""
    notes: tuple[str, ...] = ()
    costs: CostTotals | None = None  # compute and memory totals: when asked for
    columns: tuple[str, ...] = ()  # the columns asked for; () is Keras's own table

    def row(self, name: str) -> Row:
        """The row of the layer called ``name``; a clear error when there is none."""
        for r in self.rows:
            if r.name == name:
                return r
        from modelmath.errors import UsageError

        names = ", ".join(r.name for r in self.rows[:12])
        more = ", …" if len(self.rows) > 12 else ""
        raise UsageError(
            f"model '{self.name}' has no layer named '{name}'",
            received=repr(name),
            fix=f"Use one of: {names}{more}",
        )

    def __repr__(self) -> str:
        total = f"{int(self.totals.total.value):,}"
        return (
            f"<Summary of {self.kind} model '{self.name}': {len(self.rows)} rows, {total} params>"
        )

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    @property
    def missing_rules(self) -> tuple[str, ...]:
        """Op types that had no formula, in order of first appearance."""
        seen: dict[str, None] = {}
        for r in self.rows:
            if r.status is RowStatus.NO_RULE and not r.unknown_input_from:
                seen.setdefault(r.op, None)
        return tuple(seen)

    # -- display protocols: they only call renderers --------------------------------
    def __str__(self) -> str:
        from modelmath.renderers.text import render_text

        return render_text(self)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from modelmath.renderers.text import rich_renderables

        yield from rich_renderables(self, width=options.max_width)

    def _repr_html_(self) -> str:
        from modelmath.renderers.html import notebook_html

        return notebook_html(self)

    def to_json(self) -> dict[str, Any]:
        from modelmath.renderers.json_data import summary_to_json

        return summary_to_json(self)

    def explain(self, name: str, *, ascii_only: bool = False) -> str:
        """Every number of layer ``name`` in a paragraph, each with its formula, what its
        symbols mean and the values put in (the CLI's ``--explain``).

        >>> import modelmath
        >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        ...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
        >>> print(modelmath.summary(cfg, input_shape=(4,)).explain("dense").splitlines()[0])
        ... # doctest: +NORMALIZE_WHITESPACE
        dense is a Dense layer. It takes (None, 4) and gives (None, 2), with 10 parameters:
        kernel 4 inputs × 2 units, + 2 biases.
        """
        from modelmath.renderers.explain import explain_layer

        return explain_layer(self, name, ascii_only=ascii_only)
