"""The summary table, as Keras 3 prints it, optionally with the working under each number.

With ``explain=False`` the output is Keras's own ``model.summary()`` text: same title,
columns, widths, rows and totals (Keras writes "MB" for 2**20 bytes; so does this mode).
With ``explain=True`` each cell carries its working below the number, and sizes are in
IEC units (MiB).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Column, Table
from rich.text import Text

from modelmath.errors import UsageError
from modelmath.model_summary import Row, RowStatus, Summary
from modelmath.renderers.printer import FormulaPrinter
from modelmath.renderers.working import params_cell_lines, shape_cell_lines, total_line
from modelmath.rules.base import OutputShape

KERAS_SEQUENTIAL = (88, (0.45, 0.80, 1.0))
KERAS_FUNCTIONAL = (108, (0.3, 0.56, 0.74, 1.0))
EXPLAINED_SEQUENTIAL = (120, (0.30, 0.68, 1.0))
EXPLAINED_FUNCTIONAL = (140, (0.22, 0.52, 0.78, 1.0))

NUMBER = "color(34)"
NONE = "color(45)"
SYMBOL = "color(33)"
WORKING = "dim"


@dataclass(frozen=True)
class TableOptions:
    explain: bool = True
    width: int | None = None  # total line length; None: the default, capped by the terminal
    terminal_width: int = 200
    ascii_only: bool = False
    expand_nested: bool = False  # list a nested model's layers under its row
    show_trainable: bool = False  # a "Trainable" column: Y, N, or - for no weights
    layer_range: tuple[str, str] | None = None  # first and last row, by name or regex


def default_width(summary: Summary, options: TableOptions) -> int:
    """Keras's rule: its default line length, capped at the terminal width − 4."""
    table = _layout(summary, options)
    if options.width:
        return options.width
    return max(40, min(table[0], options.terminal_width - 4))


def _layout(summary: Summary, options: TableOptions) -> tuple[int, tuple[float, ...]]:
    positions: tuple[float, ...]
    if options.explain:
        length, positions = (
            EXPLAINED_SEQUENTIAL if summary.sequential_like else EXPLAINED_FUNCTIONAL
        )
    else:
        length, positions = KERAS_SEQUENTIAL if summary.sequential_like else KERAS_FUNCTIONAL
    if options.show_trainable:  # Keras widens the table and squeezes the other columns
        length += 12
        positions = (*(p * 0.9 for p in positions), 1.0)
    return length, positions


def select_rows(rows: tuple[Row, ...], layer_range: tuple[str, str] | None) -> tuple[Row, ...]:
    """Rows from the first matching ``layer_range[0]`` to the last matching
    ``layer_range[1]`` (``re.match`` on names, both inclusive), as Keras selects them."""
    if layer_range is None:
        return rows
    start = [i for i, r in enumerate(rows) if re.match(layer_range[0], r.name)]
    end = [i for i, r in enumerate(rows) if re.match(layer_range[1], r.name)]
    if not start or not end:
        raise UsageError(
            "layer_range names no layer of the model",
            received=repr(layer_range),
            fix="Give the names (or regexes) of the first and last layers to show",
        )
    if min(start) > max(end):
        return rows[min(end) : max(start) + 1]
    return rows[min(start) : max(end) + 1]


def _flatten_rows(rows: tuple[Row, ...], expand: bool, level: int = 0) -> list[tuple[Row, int]]:
    out: list[tuple[Row, int]] = []
    for row in rows:
        out.append((row, level))
        if expand and row.children:
            out += _flatten_rows(row.children, expand, level + 1)
    return out


def keras_shape(shape: tuple[int | None, ...]) -> str:
    """A shape as Keras's summary writes it: ``(None, 148, 148, 16)``, ``(None)`` for rank 1."""
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _shape_text(row: Row) -> Text:
    if row.status is RowStatus.UNBUILT:
        return Text("?")
    outputs: list[OutputShape] = list(row.outputs)
    if not outputs:
        stated = [s for s in row.stated_outputs if s is not None]
        if not stated:
            return Text("?")
        return Text(", ".join(keras_shape(s) for s in stated))
    parts = [_styled_shape(o.values) for o in outputs]
    if len(parts) == 1:
        return parts[0]
    return Text.assemble("[", Text(", ").join(parts), "]")


def _styled_shape(shape: tuple[int | None, ...]) -> Text:
    text = Text("(")
    for i, d in enumerate(shape):
        if i:
            text.append(", ")
        text.append(str(d), style=NONE if d is None else NUMBER)
    text.append(")")
    return text


def _params_text(row: Row) -> Text:
    if row.status is RowStatus.UNBUILT:
        return Text.assemble(("0", NUMBER), " (unbuilt)")
    if row.params is None:
        return Text("?")
    return Text(f"{int(row.params.value):,}", style=NUMBER)


def _connections(row: Row) -> Text:
    if not row.connected_to:
        return Text("-")
    text = Text()
    for i, ref in enumerate(row.connected_to):
        if i:
            text.append(", ")
        text.append(ref.layer)
        text.append("[")
        text.append(str(ref.call), style=NUMBER)
        text.append("][")
        text.append(str(ref.tensor), style=NUMBER)
        text.append("]")
    return text


Cell = list[tuple[Text, "str | None"]]  # paragraphs, each with its own justification


def _with_working(main: Text, lines: list[str]) -> Cell:
    return [(main, None), *((Text(line, style=WORKING), "left") for line in lines)]


@dataclass(frozen=True)
class TableSpec:
    """What both table printers need: columns, widths, and the cells of every row."""

    headers: tuple[str, ...]
    justify: tuple[str, ...]
    widths: tuple[int, ...]
    line_length: int
    rows: tuple[tuple[Cell, ...], ...]
    # Keras's columns cut a too-long word with "…"; the working is folded instead.
    overflow: str = "ellipsis"


def table_spec(summary: Summary, options: TableOptions) -> TableSpec:
    """Columns as Keras sets them (same widths, same justification) and every cell."""
    line_length = default_width(summary, options)
    positions = _layout(summary, options)[1]
    headers = ["Layer (type)", "Output Shape", "Param #"]
    justify = ["left", "left", "right"]
    if not summary.sequential_like:
        headers.append("Connected to")
        justify.append("left")
    if options.show_trainable:
        headers.append("Trainable")
        justify.append("center")
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        widths.append(width)
        current += width
    printer = FormulaPrinter(ascii_only=options.ascii_only)
    rows = []
    for row, level in _flatten_rows(
        select_rows(summary.rows, options.layer_range), options.expand_nested
    ):
        prefix = "   " * level + "└ " if level else ""
        name = Text(prefix + row.name + " (")
        name.append(row.op, style=SYMBOL)
        name.append(")")
        if options.explain:
            shape = _with_working(_shape_text(row), shape_cell_lines(row, printer))
            params = _with_working(_params_text(row), params_cell_lines(row, printer))
        else:
            shape, params = [(_shape_text(row), None)], [(_params_text(row), None)]
        cells: list[Cell] = [[(name, None)], shape, params]
        if not summary.sequential_like:
            cells.append([(_connections(row) if level == 0 else Text("-"), None)])
        if options.show_trainable:
            cells.append([(_trainable_mark(row), None)])
        rows.append(tuple(cells))
    overflow = "fold" if options.explain else "ellipsis"
    return TableSpec(
        tuple(headers), tuple(justify), tuple(widths), line_length, tuple(rows), overflow
    )


def _rich_cell(cell: Cell) -> RenderableType:
    if len(cell) == 1 and cell[0][1] is None:
        return cell[0][0]
    parts = []
    for text, how in cell:
        if how is not None:
            text = text.copy()
            text.justify = how  # type: ignore[assignment]
        parts.append(text)
    return Group(*parts)


def build_table(summary: Summary, options: TableOptions) -> Table:
    """The rich Table of ``summary``, with Keras's columns and widths."""
    spec = table_spec(summary, options)
    columns = [
        Column(h, justify=j, width=w, overflow=spec.overflow)  # type: ignore[arg-type]
        for h, j, w in zip(spec.headers, spec.justify, spec.widths)
    ]
    table = Table(*columns, width=spec.line_length, show_lines=True)
    for cells in spec.rows:
        table.add_row(*(_rich_cell(c) for c in cells))
    return table


def plain_table_lines(summary: Summary, options: TableOptions) -> list[str]:
    """The same table as :func:`build_table`, as plain lines, laid out directly (fast)."""
    from modelmath.renderers.fixed_table import Piece, header_block, render_rows

    spec = table_spec(summary, options)
    header, inner = header_block(
        spec.headers, spec.justify, spec.widths, spec.line_length, spec.overflow
    )
    rows = [
        [[Piece(text.plain, how) for text, how in cell] for cell in cells] for cells in spec.rows
    ]
    return render_rows(header, inner, spec.justify, rows, fold=spec.overflow == "fold")


def _trainable_mark(row: Row) -> Text:
    if not row.weights:
        return Text("-", style="bold")
    if row.is_trainable:
        return Text("Y", style="bold color(34)")
    return Text("N", style="bold color(9)")


def readable_size(size: float, iec: bool) -> str:
    """Bytes as Keras writes them ("36.22 MB", base 1024) or in IEC units ("36.22 MiB")."""
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] if iec else ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def totals_lines(summary: Summary, options: TableOptions) -> Iterator[Text]:
    t = summary.totals
    printer = FormulaPrinter(ascii_only=options.ascii_only)
    iec = options.explain
    for label, count, size in (
        ("Total params: ", t.total, t.total_bytes),
        ("Trainable params: ", t.trainable, t.trainable_bytes),
        ("Non-trainable params: ", t.non_trainable, t.non_trainable_bytes),
    ):
        line = Text(" ")
        line.append(label, style="bold")
        line.append(f"{int(count.value):,}", style=NUMBER)
        line.append(f" ({readable_size(float(size.value), iec)})")
        yield line
        if options.explain and not count.is_trivial:
            yield Text(f"   {total_line(count, printer)}", style=WORKING)


def title(summary: Summary) -> Text:
    return Text(f'Model: "{summary.name}"', style="bold")
