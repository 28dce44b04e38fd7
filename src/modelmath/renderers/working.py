"""The working shown under each number: short lines built from a row's formulas.

These are shared by the terminal table, the ``--explain`` paragraph and (later) the
Markdown and HTML reports, so every format shows the same working.

>>> from modelmath.expr import Sym, Num, FloorDiv
>>> W, K, S = Sym("W", 150, "input width"), Sym("K", 3, "kernel"), Sym("S", 1, "stride")
>>> value_line(FloorDiv(W - K, S) + 1, FormulaPrinter())
'148 = ⌊(150 − 3)/1⌋ + 1'
"""

from __future__ import annotations

from dataclasses import dataclass

from modelmath.expr import Expr, Quantity
from modelmath.model_summary import Row, RowStatus
from modelmath.renderers.printer import FormulaPrinter, format_number
from modelmath.rules.base import OutputShape

# A formula longer than this is summarized in table cells (a nested model's parameters
# are a sum over hundreds of weights); --explain still prints it whole.
MAX_CELL_FORMULA = 160


@dataclass(frozen=True)
class DimWorking:
    """How one or more output axes of the same formula got their size."""

    axes: tuple[str, ...]
    expr: Expr


def value_line(expr: Expr, printer: FormulaPrinter, limit: int | None = None) -> str:
    """``148 = ⌊(150 − 3)/1⌋ + 1``; just the number when the formula is a bare value."""
    result = format_number(expr.value)
    if expr.is_leaf:
        return result
    text = printer.values(expr)
    if limit is not None and len(text) > limit:
        text = f"sum of {len(expr.children)} terms"
    return f"{result} = {text}"


def shape_workings(shape: OutputShape, printer: FormulaPrinter) -> list[DimWorking]:
    """The output axes whose size is computed (not copied), grouped by identical working.

    Height and width of a square convolution share one line: ``height, width: 148 = …``.
    """
    groups: list[DimWorking] = []
    by_text: dict[str, int] = {}
    for i, dim in enumerate(shape.dims):
        if dim is None or dim.is_leaf:
            continue
        axis = shape.axes[i] if i < len(shape.axes) else f"axis {i}"
        key = printer.values(dim)
        if key in by_text:
            g = groups[by_text[key]]
            groups[by_text[key]] = DimWorking((*g.axes, axis), g.expr)
        else:
            by_text[key] = len(groups)
            groups.append(DimWorking((axis,), dim))
    return groups


def shape_cell_lines(row: Row, printer: FormulaPrinter) -> list[str]:
    """Working lines under the output shape of ``row``."""
    if row.status is RowStatus.NO_RULE:
        return [row.no_formula]
    lines: list[str] = []
    for out in row.outputs:
        for w in shape_workings(out, printer):
            # The number and its working first: the axis names wrap more gracefully.
            lines.append(f"{value_line(w.expr, printer, MAX_CELL_FORMULA)} ({', '.join(w.axes)})")
        if lines and out.why:
            lines.append(out.why)
    return lines


def params_cell_lines(row: Row, printer: FormulaPrinter) -> list[str]:
    """Working lines under the parameter count of ``row``."""
    if row.status is RowStatus.NO_RULE:
        why = "unknown input" if row.unknown_input_from else "no formula"
        return [f"{why}: not counted"]
    q = row.params
    if q is None or q.value == 0:
        return []
    lines = [
        f"= {printer.values(q.expr)}"
        if len(printer.values(q.expr)) <= MAX_CELL_FORMULA
        else f"= sum of {len(row.weights)} weights"
    ]
    if q.why:
        lines.append(q.why)
    if row.non_trainable is not None and row.non_trainable.value:
        lines.append(f"non-trainable: {format_number(row.non_trainable.value)}")
    return lines


def total_line(q: Quantity, printer: FormulaPrinter) -> str:
    return value_line(q.expr, printer, MAX_CELL_FORMULA)
