"""The text of the cost columns and totals, shared by the table, Markdown, HTML and
``--explain``: each number, and the lines of working under it.

>>> iec_size(1536)
'1.50 KiB'
"""

from __future__ import annotations

from modelmath.costs.data import AxisField, CostTotals, LayerCosts
from modelmath.expr import Expr, Quantity
from modelmath.model_summary import Row
from modelmath.renderers.printer import FormulaPrinter, format_number
from modelmath.renderers.working import MAX_CELL_FORMULA, value_line

HEADERS = {
    "shape": "Output Shape",
    "params": "Param #",
    "macs": "MACs",
    "flops": "FLOPs",
    "memory": "Activations",
    "rf": "Receptive field",
}

UNITS_NOTE = (
    "Cost sizes are in IEC units (1 KiB = 1024 bytes, 1 MiB = 2**20 bytes); Keras's own "
    "table writes MB for the same 2**20 bytes."
)
CONVENTION_NOTE = (
    "MACs = multiply-accumulates of matrix products and convolutions; FLOPs = 2·MACs + the "
    "element-wise operations each layer counts (docs/conventions.md)."
)


def iec_size(size: float) -> str:
    """Bytes in IEC units: ``1.50 KiB``, ``36.22 MiB``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(size) < 1024 or unit == "TiB":
            return f"{size:.2f} {unit}" if unit != "B" else f"{format_number(size)} B"
        size /= 1024
    raise AssertionError("unreachable")


def count(q: Quantity | None) -> str:
    return "?" if q is None else f"{int(q.value):,}"


def formula(expr: Expr, printer: FormulaPrinter, unit: str = "") -> str:
    """``= 1·148·148·3·3·3·16`` (a long sum is summarized, as for parameters)."""
    text = printer.values(expr)
    if len(text) > MAX_CELL_FORMULA:
        text = f"sum of {len(expr.children)} terms"
    return f"= {text}{unit}"


def _working(q: Quantity, printer: FormulaPrinter) -> list[str]:
    lines = [] if q.expr.is_leaf else [formula(q.expr, printer)]
    return lines + ([q.why] if q.why and q.value else [])


def cell(row: Row, column: str) -> str:
    """The number shown in a cost column."""
    c = row.costs
    if c is None:
        return "?"
    if column == "macs":
        return count(c.macs)
    if column == "flops":
        return count(c.flops)
    if column == "memory":
        return "?" if c.activation_bytes is None else iec_size(float(c.activation_bytes.value))
    if column == "rf":
        return field_text(c.receptive_field)
    raise ValueError(column)


def cell_lines(row: Row, column: str, printer: FormulaPrinter) -> list[str]:
    """The working under a cost column's number."""
    c = row.costs
    if c is None:
        return []
    if column in ("macs", "flops") and c.macs is None:
        return [c.note or "no cost formula"]
    if column == "macs" and c.macs is not None:
        return _working(c.macs, printer)
    if column == "flops" and c.flops is not None and c.elementwise is not None:
        lines = _working(c.flops, printer)
        if c.elementwise.value:
            lines.append(f"E: {c.elementwise.why}")
        return lines
    if column == "memory":
        return memory_lines(c, printer)
    if column == "rf":
        return field_lines(c.receptive_field, printer)
    return []


def memory_lines(c: LayerCosts, printer: FormulaPrinter) -> list[str]:
    lines = []
    if c.activation_bytes is not None:
        lines.append(formula(c.activation_bytes.expr, printer, " B"))
        lines.append(c.activation_bytes.why)
    if c.param_bytes.value:
        lines.append(f"weights: {iec_size(float(c.param_bytes.value))}")
    return lines


def grouped_fields(fields: tuple[AxisField, ...]) -> list[tuple[list[str], AxisField]]:
    """Axes with the same numbers share a line: ``height, width: r = …``."""
    groups: list[tuple[list[str], AxisField]] = []
    for f in fields:
        key = (f.size.value, f.jump.value, f.start.value)
        for axes, g in groups:
            if (g.size.value, g.jump.value, g.start.value) == key:
                axes.append(f.axis)
                break
        else:
            groups.append(([f.axis], f))
    return groups


def field_text(fields: tuple[AxisField, ...]) -> str:
    """``7×7, jump 2×2``; ``-`` where the layer has no spatial field."""
    if not fields:
        return "-"
    sizes = "×".join(format_number(f.size.value) for f in fields)
    jumps = "×".join(format_number(f.jump.value) for f in fields)
    text = f"{sizes}, jump {jumps}"
    if any(f.merged for f in fields):
        text += " (largest of the merged branches)"
    return text


def field_lines(fields: tuple[AxisField, ...], printer: FormulaPrinter) -> list[str]:
    lines = []
    for axes, f in grouped_fields(fields):
        where = ", ".join(axes)
        lines.append(f"{where}: r = {value_line(f.size, printer)}")
        lines.append(f"j = {value_line(f.jump, printer)}")
        lines.append(f"start = {value_line(f.start, printer)}")
    if any(f.merged for f in fields):
        lines.append("branches merge here: the largest field is shown")
    return lines


def totals_lines(t: CostTotals, printer: FormulaPrinter, explain: bool) -> list[str]:
    """Lines under the parameter totals: compute, then the training memory estimate."""
    batch = t.options.batch
    lines = [f"Total MACs: {count(t.macs)} (batch {batch})"]
    if explain and not t.macs.expr.is_leaf:
        lines.append(f"  {value_line(t.macs.expr, printer, MAX_CELL_FORMULA)}")
    lines.append(f"Total FLOPs: {count(t.flops)} (2·MACs + element-wise operations)")
    if explain and not t.flops.expr.is_leaf:
        lines.append(f"  {value_line(t.flops.expr, printer, MAX_CELL_FORMULA)}")
    lines.append(
        f"Training memory estimate ({t.options.optimizer}, batch {batch}): "
        f"{iec_size(float(t.training_bytes.value))} = P + G + S + A"
    )
    for label, q in (
        ("P parameters", t.param_bytes),
        ("G gradients", t.gradient_bytes),
        (f"S {t.options.optimizer} state", t.optimizer_bytes),
        ("A activations", t.activation_bytes),
    ):
        line = f"  {label}: {iec_size(float(q.value))}"
        if explain:
            line += f" {formula(q.expr, printer, ' B')}; {q.why}"
        lines.append(line)
    if not t.complete:
        lines.append(f"  incomplete: no cost formula for {', '.join(t.missing)}")
    return lines
