"""GitHub-flavoured Markdown for forum posts and READMEs: the table with the working in
each cell (``<br>`` line breaks render inside GitHub tables), then the totals.

>>> import modelmath
>>> print(render_markdown([modelmath.summary("examples/seed_config.json")]))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from modelmath.model_summary import Row, RowStatus, Summary
from modelmath.renderers import cost_working
from modelmath.renderers.printer import FormulaPrinter, format_number
from modelmath.renderers.table import keras_shape, readable_size
from modelmath.renderers.working import params_cell_lines, shape_cell_lines, total_line

if TYPE_CHECKING:
    from modelmath.module_summary import ModuleSummary


def _cell(text: str) -> str:
    """Escape what would break a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else text


def _columns(summary: Summary) -> tuple[str, ...]:
    return summary.columns or ("shape", "params")


def _shape_cell(row: Row, printer: FormulaPrinter) -> str:
    if row.status is RowStatus.UNBUILT:
        return "?"
    shapes = ", ".join(keras_shape(o.values) for o in row.outputs) or "?"
    shape_lines = [_code(shapes)] + [
        _code(line) if "=" in line else f"*{line}*" for line in shape_cell_lines(row, printer)
    ]
    return "<br>".join(_cell(x) for x in shape_lines)


def _params_cell(row: Row, printer: FormulaPrinter) -> str:
    if row.status is RowStatus.UNBUILT:
        return "0 (unbuilt)"
    count = "?" if row.params is None else f"{int(row.params.value):,}"
    param_lines = [f"**{count}**"] + [
        _code(line) if line.startswith("=") else f"*{line}*"
        for line in params_cell_lines(row, printer)
    ]
    return "<br>".join(_cell(x) for x in param_lines)


def _cost_cell(row: Row, column: str, printer: FormulaPrinter) -> str:
    lines = [f"**{cost_working.cell(row, column)}**"] + [
        _code(line) if "=" in line else f"*{line}*"
        for line in cost_working.cell_lines(row, column, printer)
    ]
    return "<br>".join(_cell(x) for x in lines)


def _row(row: Row, summary: Summary, printer: FormulaPrinter) -> str:
    cells = [_cell(f"{row.name} ({row.op})")]
    for column in _columns(summary):
        if column == "shape":
            cells.append(_shape_cell(row, printer))
        elif column == "params":
            cells.append(_params_cell(row, printer))
        else:
            cells.append(_cost_cell(row, column, printer))
    if not summary.sequential_like:
        cells.append(_cell(", ".join(str(r) for r in row.connected_to) or "-"))
    return "| " + " | ".join(cells) + " |"


def summary_markdown(summary: Summary) -> str:
    printer = FormulaPrinter()
    columns = _columns(summary)
    head = ["Layer (type)", *(cost_working.HEADERS[c] for c in columns)]
    align = [":---", *(":---" if c in ("shape", "rf") else "---:" for c in columns)]
    if not summary.sequential_like:
        head.append("Connected to")
        align.append(":---")
    lines = [
        f'### Model: "{summary.name}"',
        "",
        "| " + " | ".join(head) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += [_row(r, summary, printer) for r in summary.rows]
    t = summary.totals
    lines.append("")
    for label, count, size in (
        ("Total params", t.total, t.total_bytes),
        ("Trainable params", t.trainable, t.trainable_bytes),
        ("Non-trainable params", t.non_trainable, t.non_trainable_bytes),
    ):
        line = f"- **{label}:** {int(count.value):,} ({readable_size(float(size.value), True)})"
        if not count.is_trivial:
            line += f" — `{total_line(count, printer)}`"
        lines.append(line)
    if summary.costs is not None:
        for text in cost_working.totals_lines(summary.costs, printer, explain=True):
            item = text.strip()
            lines.append(f"  - `{item}`" if text.startswith("  ") else f"- **{item}**")
    for note in summary.notes:
        lines.append(f"- *Note:* {note}")
    return "\n".join(lines) + "\n"


def module_summary_markdown(summary: ModuleSummary) -> str:
    """A PyTorch summary: the module tree as a table (indented by depth, rows below
    ``depth`` folded into their parent), each number with its working under it."""
    from modelmath.renderers.module_table import (
        HEADERS,
        cell_workings,
        count_text,
        row_cells,
        row_label,
        visible_rows,
    )

    printer = FormulaPrinter()
    columns = tuple(c for c in summary.columns if c in HEADERS)
    head = ["Layer (type: name)", *(HEADERS[c] for c in columns)]
    align = [":---", *(":---" if c in ("input", "output") else "---:" for c in columns)]
    lines = [
        f'### Model: "{summary.name}" (PyTorch, traced on the meta device)',
        "",
        "| " + " | ".join(head) + " |",
        "| " + " | ".join(align) + " |",
    ]
    for row, folded in visible_rows(summary):
        texts = row_cells(row, folded, columns)
        workings = cell_workings(row, folded)
        indent = "&emsp;" * max(row.depth - 1, 0) + ("└ " if row.depth else "")
        label = indent + _cell(row_label(row))
        if row.note:
            label += "<br>*" + _cell(row.note) + "*"
        cells = [label]
        for column, text in zip(columns, texts):
            shown = _code(text) if column in ("input", "output") else f"**{text}**"
            parts = [_cell(shown)]
            for w in workings.get(column, []):
                value = format_number(w.expr.value)
                work = _code(f"{value} = {printer.values(w.expr)}")
                parts.append(_cell(f"{w.label}: {work}"))
                if w.why:
                    parts.append(_cell(f"*{w.why}*"))
            cells.append("<br>".join(parts))
        lines.append("| " + " | ".join(cells) + " |")
    t = summary.totals
    lines.append("")
    for label, q, unit in (
        ("Total params", t.params, ""),
        ("Trainable params", t.trainable, ""),
        ("Non-trainable params", t.non_trainable, ""),
        ("Buffers", t.buffers, " elements (running statistics, masks; not parameters)"),
        ("Total MACs", t.macs, " (multiply-accumulates; FLOPs ≈ 2 × MACs)"),
    ):
        line = f"- **{label}:** {count_text(q)}{unit}"
        if not q.expr.is_leaf:
            line += f" — `{_short(printer.values(q.expr))}`"
        lines.append(line)
    size = t.param_bytes
    line = f"- **Parameter size:** {readable_size(float(size.value), True)}"
    if not size.expr.is_leaf:
        line += f" — `{printer.symbols(size.expr)} = {_short(printer.values(size.expr))}`"
    lines.append(line + (f" ({size.why})" if size.why else ""))
    for note in summary.notes:
        lines.append(f"- *Note:* {_cell(note)}")
    lines.append(
        "- *Traced from shapes alone: no weights or activations were allocated. Shared and "
        "tied parameters are counted once, where the model defines them.*"
    )
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_markdown(summaries: Sequence[Summary | ModuleSummary]) -> str:
    """Markdown for one or more models, with the conventions in a closing line."""
    from modelmath.module_summary import ModuleSummary

    body = "\n".join(
        module_summary_markdown(s) if isinstance(s, ModuleSummary) else summary_markdown(s)
        for s in summaries
    )
    if summaries and all(isinstance(s, ModuleSummary) for s in summaries):
        return body + (
            "\n*Working: the formula with the values put in. Shapes are PyTorch's (NCHW), "
            "batch as given. Sizes in IEC units (MiB = 2^20 bytes). MACs = "
            "multiply-accumulates; FLOPs ≈ 2·MACs. Made with modelmath.*\n"
        )
    return body + (
        "\n*Working: the formula with the values put in. Batch size None in shapes. "
        "Sizes in IEC units (MiB = 2^20 bytes). MACs = multiply-accumulates; FLOPs = "
        "2·MACs + element-wise operations. Made with modelmath.*\n"
    )
