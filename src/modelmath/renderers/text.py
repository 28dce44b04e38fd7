"""Plain-text and rich-terminal rendering of a whole Summary.

>>> import modelmath
>>> s = modelmath.summary("examples/seed_config.json")          # doctest: +SKIP
>>> print(render_text(s, TableOptions(explain=False, width=88)))  # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console, RenderableType
from rich.text import Text

from modelmath.gcpause import paused_gc
from modelmath.model_summary import Summary
from modelmath.renderers.cost_working import CONVENTION_NOTE
from modelmath.renderers.table import (
    TableOptions,
    build_table,
    plain_table_lines,
    title,
    totals_lines,
)

CONVENTIONS = (
    "Working under each number: the formula with the values put in. "
    "None in a shape means any size (the batch){costs}. Sizes in IEC units (1 MiB = 2**20 bytes); "
    "Keras's own table writes MB for the same 2**20 bytes."
)


def conventions(summary: Summary) -> str:
    """The conventions line; costs are for the batch the user chose."""
    batch = summary.costs.options.batch if summary.costs is not None else None
    return CONVENTIONS.format(costs=f"; costs are for a batch of {batch}" if batch else "")


def rich_renderables(
    summary: Summary, options: TableOptions | None = None, width: int | None = None
) -> Iterator[RenderableType]:
    """What a rich Console prints for ``summary``: title, table, totals, notes."""
    options = options or TableOptions(terminal_width=width or 200)
    yield title(summary)
    yield build_table(summary, options)
    yield from _footer(summary, options)


def _footer(summary: Summary, options: TableOptions) -> Iterator[Text]:
    """Totals, notes and conventions: the lines under the table."""
    yield from totals_lines(summary, options)
    if summary.notes or (options.explain and not summary.totals.complete):
        yield Text("")
    for note in summary.notes:
        yield Text(f" Note: {note}")
    if options.explain:
        yield Text(f" {conventions(summary)}", style="dim")
        if summary.costs is not None:
            yield Text(f" {CONVENTION_NOTE}", style="dim")


@paused_gc
def render_text(
    summary: Summary, options: TableOptions | None = None, *, color: bool = False
) -> str:
    """The summary as a string (no colour unless asked), the way Keras captures its own."""
    options = options or TableOptions()
    if not color:  # the common case (files, pipes, tests): lay the table out directly
        lines = [title(summary).plain, *plain_table_lines(summary, options)]
        lines += [item.plain for item in _footer(summary, options)]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=10_000,
        highlight=False,
        force_terminal=color,
        color_system="standard" if color else None,
        soft_wrap=False,
        legacy_windows=False,
    )
    for item in rich_renderables(summary, options):
        console.print(item)
    return buffer.getvalue()
