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
from modelmath.renderers import cost_working
from modelmath.renderers.cost_working import HEADERS as COLUMN_HEADERS
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
    # Columns after the layer's name ("shape", "params", "macs", "flops", "memory", "rf");
    # None: the summary's own choice, and Keras's table when it has none.
    columns: tuple[str, ...] | None = None


def chosen_columns(summary: Summary, options: TableOptions) -> tuple[str, ...]:
    """The columns asked for; () means Keras's own (Output Shape, Param #)."""
    columns = options.columns if options.columns is not None else summary.columns
    return () if tuple(columns) == ("shape", "params") else tuple(columns)


# Relative widths of the columns of a table with chosen columns.
_WEIGHTS = {"name": 1.0, "shape": 1.0, "params": 0.8, "macs": 0.9, "flops": 0.9,
            "memory": 0.9, "rf": 1.0, "connected": 1.0, "trainable": 0.4}  # fmt: skip


def default_width(summary: Summary, options: TableOptions) -> int:
    """Keras's rule: its default line length, capped at the terminal width − 4."""
    table = _layout(summary, options)
    if options.width:
        return options.width
    return max(40, min(table[0], options.terminal_width - 4))


def _layout(summary: Summary, options: TableOptions) -> tuple[int, tuple[float, ...]]:
    positions: tuple[float, ...]
    columns = chosen_columns(summary, options)
    if columns:
        keys = ["name", *columns]
        keys += [] if summary.sequential_like else ["connected"]
        keys += ["trainable"] if options.show_trainable else []
        weights = [_WEIGHTS[k] for k in keys]
        unit = 40 if options.explain else 28
        length = int(sum(weights) * unit)
        acc, marks = 0.0, []
        for w in weights:
            acc += w
            marks.append(acc / sum(weights))
        return length, tuple(marks)
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
    return "(" + ", ".join(map(str, shape)) + ")"


# Cell contents are plain (text, style) segments: cheap to build, turned into rich Text
# only when rich prints them (colour on a terminal), joined as strings otherwise.
Segments = tuple[tuple[str, "str | None"], ...]


def _plain(text: str, style: str | None = None) -> Segments:
    return ((text, style),)


def _shape_text(row: Row, plain: bool = False) -> Segments:
    if row.status is RowStatus.UNBUILT:
        return _plain("?")
    outputs: list[OutputShape] = list(row.outputs)
    if not outputs:
        stated = [s for s in row.stated_outputs if s is not None]
        return _plain(", ".join(keras_shape(s) for s in stated) or "?")
    if plain:  # no colours: one string, built directly
        shapes = [keras_shape(o.values) for o in outputs]
        return _plain(shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]")
    parts = [_styled_shape(o.values) for o in outputs]
    if len(parts) == 1:
        return parts[0]
    segments: list[tuple[str, str | None]] = [("[", None)]
    for i, part in enumerate(parts):
        if i:
            segments.append((", ", None))
        segments += part
    segments.append(("]", None))
    return tuple(segments)


def _styled_shape(shape: tuple[int | None, ...]) -> Segments:
    segments: list[tuple[str, str | None]] = [("(", None)]
    for i, d in enumerate(shape):
        if i:
            segments.append((", ", None))
        segments.append((str(d), NONE if d is None else NUMBER))
    segments.append((")", None))
    return tuple(segments)


def _params_text(row: Row) -> Segments:
    if row.status is RowStatus.UNBUILT:
        return (("0", NUMBER), (" (unbuilt)", None))
    if row.params is None:
        return _plain("?")
    return _plain(f"{int(row.params.value):,}", NUMBER)


def _connections(row: Row, plain: bool = False) -> Segments:
    if not row.connected_to:
        return _plain("-")
    if plain:
        return _plain(", ".join(map(str, row.connected_to)))
    segments: list[tuple[str, str | None]] = []
    for i, ref in enumerate(row.connected_to):
        segments += [
            (", " if i else "", None),
            (ref.layer + "[", None),
            (str(ref.call), NUMBER),
            ("][", None),
            (str(ref.tensor), NUMBER),
            ("]", None),
        ]
    return tuple(segments)


Cell = list[tuple[Segments, "str | None"]]  # paragraphs, each with its own justification


def _with_working(main: Segments, lines: list[str]) -> Cell:
    return [(main, None), *((_plain(line, WORKING), "left") for line in lines)]


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


def table_spec(summary: Summary, options: TableOptions, plain: bool = False) -> TableSpec:
    """Columns as Keras sets them (same widths, same justification) and every cell."""
    line_length = default_width(summary, options)
    positions = _layout(summary, options)[1]
    columns = chosen_columns(summary, options) or ("shape", "params")
    headers = ["Layer (type)", *(COLUMN_HEADERS[c] for c in columns)]
    justify = ["left", *("left" if c in ("shape", "rf") else "right" for c in columns)]
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
        name: Segments = ((prefix + row.name + " (", None), (row.op, SYMBOL), (")", None))
        cells: list[Cell] = [[(name, None)]]
        for column in columns:
            cells.append(_column_cell(row, column, options.explain, printer, plain))
        if not summary.sequential_like:
            cells.append([(_connections(row, plain) if level == 0 else _plain("-"), None)])
        if options.show_trainable:
            cells.append([(_trainable_mark(row), None)])
        rows.append(tuple(cells))
    overflow = "fold" if options.explain else "ellipsis"
    return TableSpec(
        tuple(headers), tuple(justify), tuple(widths), line_length, tuple(rows), overflow
    )


def _column_cell(
    row: Row, column: str, explain: bool, printer: FormulaPrinter, plain: bool
) -> Cell:
    """One cell of ``column``: its number, and the working under it when explaining
    (only then is the working printed: Keras's plain table has no use for it)."""
    if column == "shape":
        main = _shape_text(row, plain)
        lines = shape_cell_lines(row, printer) if explain else []
    elif column == "params":
        main = _params_text(row)
        lines = params_cell_lines(row, printer) if explain else []
    else:
        main = _plain(cost_working.cell(row, column), None if column == "rf" else NUMBER)
        lines = cost_working.cell_lines(row, column, printer) if explain else []
    return _with_working(main, lines) if explain else [(main, None)]


def _rich_cell(cell: Cell) -> RenderableType:
    texts = []
    for segments, how in cell:
        text = Text.assemble(*((t, style or "") for t, style in segments))
        if how is not None:
            text.justify = how  # type: ignore[assignment]
        texts.append(text)
    return texts[0] if len(texts) == 1 and cell[0][1] is None else Group(*texts)


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
    from modelmath.renderers.fixed_table import header_block, render_rows

    spec = table_spec(summary, options, plain=True)
    header, inner = header_block(
        spec.headers, spec.justify, spec.widths, spec.line_length, spec.overflow
    )
    rows = [
        [
            [
                (segs[0][0] if len(segs) == 1 else "".join([t for t, _ in segs]), how)
                for segs, how in cell
            ]
            for cell in cells
        ]
        for cells in spec.rows
    ]
    return render_rows(header, inner, spec.justify, rows, fold=spec.overflow == "fold")


def _trainable_mark(row: Row) -> Segments:
    if not row.weights:
        return _plain("-", "bold")
    if row.is_trainable:
        return _plain("Y", "bold color(34)")
    return _plain("N", "bold color(9)")


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
    if summary.costs is not None:
        for text in cost_working.totals_lines(summary.costs, printer, options.explain):
            line = Text(" ")
            line.append(text, style=WORKING if text.startswith("  ") else None)
            yield line
        if not iec:
            yield Text(f" Note: {cost_working.UNITS_NOTE}")


def title(summary: Summary) -> Text:
    return Text(f'Model: "{summary.name}"', style="bold")
