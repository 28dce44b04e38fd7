"""``--explain LAYER``: one layer's numbers, each with its formula, symbols, values, result.

Written to answer "where do 148 and 448 come from?" the way a teacher would: first in a
sentence, then the formula, what each symbol means, the values put in and the result.

>>> import modelmath
>>> s = modelmath.summary("examples/seed_config.json")   # doctest: +SKIP
>>> print(explain_layer(s, "conv2d"))                     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from modelmath.costs.data import LayerCosts
from modelmath.expr import Expr, Sym
from modelmath.model_summary import Row, RowStatus, Summary
from modelmath.renderers.printer import FormulaPrinter, format_number
from modelmath.renderers.table import keras_shape
from modelmath.renderers.working import shape_workings
from modelmath.rules.base import OutputShape

INDENT = "    "


def _symbol_lines(expr: Expr, printer: FormulaPrinter) -> list[str]:
    syms = expr.symbols()
    if not syms:
        return []
    # A name may stand for different values in different terms (a sum of matrix products
    # of several sizes): each is then listed, in the order the formula has them.
    values: dict[str, list[str]] = {s.name: [] for s in syms}
    for node in expr.walk():
        if isinstance(node, Sym):
            values[node.name].append(format_number(node.value))
    width = max(len(s.name) for s in syms)
    lines = [f"{INDENT}where"]
    for s in syms:
        seen = values[s.name]
        if len(set(seen)) == 1:
            lines.append(f"{INDENT}  {s.name:<{width}} = {seen[0]:>6}   {s.meaning}")
        else:
            lines.append(
                f"{INDENT}  {s.name:<{width}} = {', '.join(seen)}   {s.meaning} "
                "(each where it appears, in order)"
            )
    return lines


def formula_block(label: str, expr: Expr, printer: FormulaPrinter) -> list[str]:
    """``label = symbols = values = result``, then the symbols' meanings."""
    symbols = printer.symbols(expr)
    values = printer.values(expr)
    result = format_number(expr.value)
    steps = [symbols]
    if values != symbols:
        steps.append(values)
    if values != result:
        steps.append(result)
    lines = [f"{INDENT}{label} = " + " = ".join(steps)]
    lines += _symbol_lines(expr, printer)
    return lines


def _shape_section(row: Row, printer: FormulaPrinter) -> list[str]:
    return output_lines(row.outputs, printer, keras_shape, "None (any batch size)")


def output_lines(
    outputs: Sequence[OutputShape],
    printer: FormulaPrinter,
    shape: Callable[[tuple[int | None, ...]], str],
    unknown: str,
) -> list[str]:
    """Each output shape, the working of each computed size, and the sizes kept as they
    came (``unknown`` for a size no shape decides), with ``shape`` writing a shape as the
    framework does."""
    lines: list[str] = []
    for i, out in enumerate(outputs):
        head = "Output shape" if len(outputs) == 1 else f"Output {i} shape"
        lines.append(f"{head} {shape(out.values)}" + (f"  ({out.why})" if out.why else ""))
        workings = shape_workings(out, printer)
        for w in workings:
            lines.append(f"  {', '.join(w.axes)}:")
            lines += formula_block("O", w.expr, printer)
        kept = [
            f"{out.axes[j] if j < len(out.axes) else f'axis {j}'} "
            f"{unknown if d is None else kept_words(d)}"
            for j, d in enumerate(out.dims)
            if d is None or d.is_leaf
        ]
        if kept:
            lines.append("  other axes: " + "; ".join(kept))
    return lines


def kept_words(d: Expr) -> str:
    if isinstance(d, Sym):
        return f"{format_number(d.value)} ({d.meaning})"
    return format_number(d.value)


def _params_section(row: Row, printer: FormulaPrinter) -> list[str]:
    q = row.params
    if q is None:
        return []
    if not row.weights:
        return [f"Parameters: 0  ({q.why or 'no weights'})"]
    lines = [f"Parameters: {int(q.value):,}" + (f"  ({q.why})" if q.why else "")]
    for w in row.weights:
        shape = (
            keras_shape(tuple(int(d.value) for d in w.shape))
            if len(w.shape) != 1
            else (f"({format_number(w.shape[0].value)},)")
        )
        status = "trainable" if (w.trainable and row.is_trainable) else "non-trainable"
        lines.append(f"  {w.name} {shape}, {status}: {w.meaning}")
        lines += (
            formula_block("n", w.count, printer)
            if not w.count.is_leaf
            else [f"{INDENT}n = {format_number(w.count.value)}"]
        )
    if len(row.weights) > 1:
        parts = " + ".join(format_number(w.count.value) for w in row.weights)
        lines.append(f"  total: {parts} = {format_number(q.value)}")
    if row.trainable is not None and row.non_trainable is not None:
        lines.append(
            f"  trainable {format_number(row.trainable.value)}, "
            f"non-trainable {format_number(row.non_trainable.value)}"
            + ("" if row.non_trainable.value == 0 else f" ({row.non_trainable.why})")
        )
    return lines


def _sentence(row: Row) -> str:
    inputs = ", ".join(keras_shape(s) for s in row.input_shapes) or "its declared shape"
    outputs = ", ".join(keras_shape(o.values) for o in row.outputs) or "?"
    text = f"{row.name} is a {row.op} layer. It takes {inputs} and gives {outputs}"
    if row.params is not None:
        text += f", with {int(row.params.value):,} parameters"
        if row.params.why and row.weights:
            text += f": {row.params.why}"
    return text + "."


def explain_layer(summary: Summary, name: str, *, ascii_only: bool = False) -> str:
    """A paragraph explaining every number of layer ``name``."""
    row = summary.row(name)
    printer = FormulaPrinter(ascii_only=ascii_only)
    if row.status is RowStatus.NO_RULE:
        return (
            f"{row.name} is a {row.op} layer. modelmath has {row.no_formula}, so it "
            "shows only the shapes the file states and does not count its parameters."
            + (f" {row.hint}." if row.hint else "")
            + "\n"
        )
    if row.status is RowStatus.UNBUILT:
        return (
            f"{row.name} is a {row.op} layer of a Sequential model that has no input shape "
            "yet, so Keras has not built it: its shape is '?' and its parameters 0. "
            "Pass --input-shape (for example 28,28,1) to compute them.\n"
        )
    lines = [_sentence(row), ""]
    lines += _shape_section(row, printer)
    lines.append("")
    lines += _params_section(row, printer)
    if row.costs is not None:
        lines.append("")
        lines += _costs_section(row.costs, printer)
    return "\n".join(lines).rstrip() + "\n"


def _costs_section(c: LayerCosts, printer: FormulaPrinter) -> list[str]:
    """MACs, FLOPs, memory and receptive field, each with its formula and symbols."""
    from modelmath.renderers.cost_working import grouped_fields, iec_size

    lines: list[str] = []
    if c.macs is None or c.flops is None or c.elementwise is None:
        lines.append(f"MACs, FLOPs: not counted ({c.note or 'no cost formula'})")
    else:
        lines.append(f"MACs: {int(c.macs.value):,}  ({c.macs.why})")
        if not c.macs.expr.is_leaf:
            lines += formula_block("MACs", c.macs.expr, printer)
        lines.append(f"FLOPs: {int(c.flops.value):,}  (2 per MAC + element-wise operations)")
        lines += formula_block("FLOPs", c.flops.expr, printer)
        if c.elementwise.value:
            lines.append(f"  element-wise operations E: {c.elementwise.why}")
            if not c.elementwise.expr.is_leaf:
                lines += formula_block("E", c.elementwise.expr, printer)
    if c.activation_bytes is not None:
        size = iec_size(float(c.activation_bytes.value))
        lines.append(f"Activation memory: {size}  ({c.activation_bytes.why})")
        lines += formula_block("bytes", c.activation_bytes.expr, printer)
    if c.param_bytes.value:
        lines.append(
            f"Weight memory: {iec_size(float(c.param_bytes.value))}  ({c.param_bytes.why})"
        )
        lines += formula_block("bytes", c.param_bytes.expr, printer)
    if c.receptive_field:
        lines.append(
            "Receptive field (r), jump (j, the effective stride) and start (centre of the "
            "first output's field, in input pixels), per spatial axis:"
        )
        if any(f.merged for f in c.receptive_field):
            lines.append("  branches merge here: the largest of their fields is shown")
        for axes, f in grouped_fields(c.receptive_field):
            lines.append(f"  {', '.join(axes)}:")
            lines += formula_block("r_out", f.size, printer)
            lines += formula_block("j_out", f.jump, printer)
            lines += formula_block("start_out", f.start, printer)
    return lines
