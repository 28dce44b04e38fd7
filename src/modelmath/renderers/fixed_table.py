"""Plain (uncoloured) tables laid out directly as strings, the way rich lays them out.

rich is the reference layout (Keras prints its summary through it), but its general
machinery costs ~0.3 ms per row; a 800-layer model would spend most of its time there.
This module asks rich only for the header block (which also fixes the column widths),
then fills the rows itself with rich's word-wrapping rules. The golden tests compare the
result with Keras's own output character for character.

>>> lines = wrap("kernel 3×3 × 3 in-channels", 12)
>>> lines
['kernel 3×3 × ', '3 ', 'in-channels']
>>> [justify(line, 12, "left") for line in lines]  # the space past the width goes
['kernel 3×3 ×', '3           ', 'in-channels ']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len, chop_cells, set_cell_size

_WORD = re.compile(r"\s*\S+\s*")
# Characters of formulas and working that take one terminal cell (checked with rich at
# import): text made only of these and printable ASCII needs no per-character measuring.
_NARROW_CHARS = "".join(c for c in "²·×ΠΣαβγεσᵀ—…⁰₁₂→−√≈≤≥⌈⌉⌊⌋" if cell_len(c) == 1)
_NARROW = re.compile(f"[ -~{_NARROW_CHARS}]*")


def _narrow(text: str) -> bool:
    """True when every character of ``text`` is one cell wide (so cells == len)."""
    return text.isascii() or _NARROW.fullmatch(text) is not None


def wrap(text: str, width: int, fold: bool = True) -> list[str]:
    """Split ``text`` into lines of at most ``width`` cells as rich's ``Text.wrap`` does
    (greedy by words; a word longer than a line is folded, or with ``fold=False`` left
    whole for :func:`justify` to cut with an ellipsis), before justification."""
    if width <= 0 or (len(text) <= width and _narrow(text)):
        return [text]  # the usual case: it fits (one cell per character)
    if _narrow(text):
        narrow = _wrap_narrow(text, width, fold)
        if narrow is not None:
            return narrow
    breaks: list[int] = []
    offset = 0
    measure = len if _narrow(text) else cell_len
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        word_length = measure(word.rstrip())
        if width - offset >= word_length:
            offset += measure(word)
        elif word_length > width and not fold:
            if start:
                breaks.append(start)
            offset = measure(word)
        elif word_length > width:
            pieces = chop_cells(word, width)
            for i, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if i == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = measure(word)
    bounds = [0, *breaks, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)] or [""]


def _wrap_narrow(text: str, width: int, fold: bool) -> list[str] | None:
    """:func:`wrap` of text whose characters are one cell each: the same greedy rule with
    lengths for widths. The words tile the text (each match starts where the last ended),
    so their starts are running sums. None when a word must be folded: that is
    :func:`wrap`'s own path."""
    breaks: list[int] = []
    offset = 0
    start = 0
    for word in _WORD.findall(text):
        length = len(word)
        word_length = len(word.rstrip())
        if width - offset >= word_length:
            offset += length
        elif word_length > width:
            if fold:
                return None
            if start:
                breaks.append(start)
            offset = length
        elif offset and start:
            breaks.append(start)
            offset = length
        start += length
    bounds = [0, *breaks, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)] or [""]


def _truncate(line: str, width: int) -> str:
    """rich's ellipsis overflow: cut to ``width`` − 1 cells and add "…"."""
    if cell_len(line) <= width:
        return line
    return set_cell_size(line, width - 1) + "…"


def justify(line: str, width: int, how: str) -> str:
    """Pad one wrapped line to ``width`` cells (rich's ``Lines.justify``), cutting what
    does not fit with an ellipsis."""
    if len(line.rstrip()) <= width and _narrow(line):  # fast path: fits, one cell each
        if how == "left":
            return line[:width].ljust(width)
        line = line.rstrip()
        if how == "right":
            return line.rjust(width)
        left = (width - len(line)) // 2
        return " " * left + line + " " * (width - len(line) - left)
    if how == "left":
        excess = cell_len(line) - width
        if excess > 0:  # trailing spaces beyond the width go first (rich's rstrip_end)
            stripped = line.rstrip()
            line = line[: max(len(stripped), len(line) - excess)]
        line = _truncate(line, width)
        return line + " " * (width - cell_len(line))
    line = _truncate(line.rstrip(), width)
    length = cell_len(line)
    if how == "center":
        left = (width - length) // 2
        return " " * left + line + " " * (width - length - left)
    return " " * (width - length) + line


class Piece(NamedTuple):
    """One paragraph of a cell, with its own justification (None: the column's)."""

    text: str
    justify: str | None = None


# A cell paragraph as render_rows takes it: a Piece or a plain (text, justify) tuple.
PieceLike = tuple[str, "str | None"]


def cell_lines(
    pieces: Sequence[PieceLike], width: int, column_justify: str, fold: bool = False
) -> list[str]:
    """The lines of one cell's content area (``width`` excludes the one-space padding)."""
    if len(pieces) == 1:  # fast path: one short ASCII paragraph, the usual cell
        line = _one_line(pieces[0], width, column_justify)
        if line is not None:
            return [line]
    out: list[str] = []
    for text, own in pieces:
        how = own or column_justify
        for paragraph in text.split("\n"):
            out += [justify(line, width, how) for line in wrap(paragraph, width, fold)]
    return out or [" " * width]


def _one_line(piece: PieceLike, width: int, column_justify: str) -> str | None:
    """A short single-line paragraph justified left or right, or None for the general path."""
    text, own = piece
    if len(text) <= width and "\n" not in text and (text.isascii() or _narrow(text)):
        how = own or column_justify
        if how == "left":
            return text.ljust(width)
        if how == "right":
            return text.rstrip().rjust(width)
    return None


@lru_cache(maxsize=64)
def header_block(
    headers: tuple[str, ...],
    justifies: tuple[str, ...],
    widths: tuple[int, ...],
    length: int,
    overflow: str = "ellipsis",
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """rich's header lines for these columns, and the inner width rich gives each column."""
    import io

    from rich.console import Console
    from rich.table import Column, Table

    columns = [
        Column(h, justify=j, width=w, overflow=overflow)  # type: ignore[arg-type]
        for h, j, w in zip(headers, justifies, widths)
    ]
    table = Table(*columns, width=length, show_lines=True)
    buffer = io.StringIO()
    console = Console(file=buffer, width=10_000, color_system=None, highlight=False)
    console.print(table)
    lines = buffer.getvalue().splitlines()
    top = lines[0]
    inner = tuple(len(part) for part in top[1:-1].split("┳"))
    return tuple(lines[:-1]), inner


def render_rows(
    header: Sequence[str],
    inner_widths: Sequence[int],
    justifies: Sequence[str],
    rows: Sequence[Sequence[Sequence[PieceLike]]],
    fold: bool = False,
) -> list[str]:
    """The whole table: rich's header, then rows separated by lines, then the bottom."""
    out = list(header)
    rule = "├" + "┼".join("─" * w for w in inner_widths) + "┤"
    # Cells repeat within a table (a model's repeated blocks): each distinct cell of a
    # column is laid out once per call. Nothing is kept between calls.
    laid_out: dict[tuple[tuple[PieceLike, ...], int, str], list[str]] = {}
    columns = list(zip(inner_widths, justifies))
    last = len(rows) - 1
    for index, row in enumerate(rows):
        cells = []
        height = 1
        for pieces, (width, how) in zip(row, columns):
            if len(pieces) == 1:  # the usual cell: one short line, nothing to look up
                line = _one_line(pieces[0], width - 2, how)
                if line is not None:
                    cells.append([line])
                    continue
            key = (tuple(pieces), width, how)
            lines = laid_out.get(key)
            if lines is None:
                lines = laid_out[key] = cell_lines(pieces, width - 2, how, fold)
            cells.append(lines)
            if len(lines) > height:
                height = len(lines)
        if height == 1:  # fast path: a one-line row
            out.append("│ " + " │ ".join([c[0] for c in cells]) + " │")
        else:  # shorter cells are filled with blank lines (new lists: cells are shared)
            filled = [
                c if len(c) == height else [*c, *[" " * (width - 2)] * (height - len(c))]
                for c, (width, _) in zip(cells, columns)
            ]
            out += ["│ " + " │ ".join(parts) + " │" for parts in zip(*filled)]
        if index < last:
            out.append(rule)
    out.append("└" + "┴".join("─" * w for w in inner_widths) + "┘")
    return out
