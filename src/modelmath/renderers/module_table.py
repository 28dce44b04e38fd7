"""Text and JSON for a :class:`ModuleSummary`: torchinfo's layout, with the working.

Rows are indented by depth (``├─`` as torchinfo draws them); a row at the ``depth``
limit shows the parameters and MACs of everything below it. With ``explain`` each
number that has a formula is followed by a line of working: the formula with its
values put in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from modelmath.expr import Expr, Quantity
from modelmath.gcpause import paused_gc
from modelmath.module_summary import ModuleRow, ModuleStatus, ModuleSummary, TensorRow
from modelmath.renderers.printer import FormulaPrinter, format_number
from modelmath.renderers.working import MAX_CELL_FORMULA, shape_workings

_HEADERS = {
    "input": "Input Shape",
    "output": "Output Shape",
    "params": "Param #",
    "trainable": "Trainable",
    "macs": "MACs",
}
HEADERS = _HEADERS
COLUMNS = tuple(_HEADERS)
_COMPUTED = ModuleStatus.COMPUTED
_WORKING_INDENT = " " * 6  # lines of working sit under the row's name


_SIZES = frozenset((int, bool))  # a tuple of these only is one tensor's shape


def shape_text(tree: Any) -> str:
    """``[1, 64, 56, 56]`` for one tensor, a tuple or dict of them for several."""
    return ShapeTexts()(tree)


class ShapeTexts:
    """:func:`shape_text` for the rows of one render.

    Most shapes recur (a row's output is the next row's input; repeated blocks), so each
    flat shape is written once. It is looked up with the type of each of its sizes:
    ``(1, 2)`` and ``(True, 2)`` are equal tuples but not the same text.
    """

    def __init__(self) -> None:
        self._shapes: dict[tuple[tuple[int, ...], tuple[type, ...]], str] = {}
        self._trees: dict[int, tuple[Any, str]] = {}  # by id: rows alike share their trees

    def __call__(self, tree: Any) -> str:
        done = self._trees.get(id(tree))
        if done is not None:
            return done[1]
        text = self._text(tree)
        self._trees[id(tree)] = (tree, text)  # the entry keeps the tree, and so its id
        return text

    def _text(self, tree: Any) -> str:
        if tree is None:
            return "--"
        if type(tree) is tuple and len(tree) == 1 and type(tree[0]) is tuple:
            # The usual row: one tensor, whose shape is shown bare (the general case
            # below gives the same text, after its checks for a flat shape).
            return self(tree[0])
        if isinstance(tree, tuple):
            types = tuple(map(type, tree))
            if _SIZES.issuperset(types):
                key = (tree, types)
                text = self._shapes.get(key)
                if text is None:
                    text = self._shapes[key] = "[" + ", ".join([str(d) for d in tree]) + "]"
                return text
            if all(isinstance(d, int) for d in tree):
                return "[" + ", ".join([str(d) for d in tree]) + "]"
        if isinstance(tree, dict):
            return "{" + ", ".join(f"{k}: {self(v)}" for k, v in tree.items()) + "}"
        if isinstance(tree, (tuple, list)):
            inner = [self(t) for t in tree]
            if len(inner) == 1 and isinstance(tree, tuple):
                return inner[0]
            return (
                ("(" if isinstance(tree, tuple) else "[")
                + ", ".join(inner)
                + (")" if isinstance(tree, tuple) else "]")
            )
        return "--"


def _count(q: Quantity, blank_zero: bool = True) -> str:
    if blank_zero and not q.value:
        return "--"
    return f"{int(q.value):,}"


def visible_rows(summary: ModuleSummary) -> Iterator[tuple[ModuleRow, bool]]:
    """(row, folded) for the rows within ``summary.depth``; folded rows hide children.
    Rows of a module's later calls are left out where the summary says so."""
    for row in summary.rows:
        if row.depth > summary.depth or (summary.hide_reused and row.call_index):
            continue
        yield row, row.depth == summary.depth and not row.is_leaf


@dataclass(frozen=True)
class Working:
    """One number of a row with its formula, for the renderers that show it in a cell."""

    label: str  # "height, width", "params", "F.linear"
    expr: Expr
    why: str = ""


def cell_workings(row: ModuleRow, folded: bool) -> dict[str, list[Working]]:
    """The workings a row shows under its cells, by column (``output``, ``params``,
    ``macs``): computed axes of each output shape, the parameter formula and the MAC
    formula (with each functional call's when there are several). A folded row shows
    the sums of what is below it."""
    printer = FormulaPrinter()
    out: dict[str, list[Working]] = {"output": [], "params": [], "macs": []}
    if row.status is ModuleStatus.COMPUTED:
        for shape in row.output_formulas:
            for dim in shape_workings(shape, printer):
                out["output"].append(Working(", ".join(dim.axes), dim.expr, shape.why))
    params = row.subtree_params if folded else row.params
    if params.value and not params.expr.is_leaf:
        why = "this module and the modules below it" if folded else row.params_why
        out["params"].append(Working("params", params.expr, why))
    macs = row.subtree_macs if folded else row.macs
    if macs.value and not macs.expr.is_leaf:
        out["macs"].append(Working("MACs", macs.expr, macs.why))
    if not folded:
        counted = [f for f in row.functions if f.macs.value]
        if len(counted) > 1:
            out["macs"] += [Working(f.name, f.macs.expr, f.macs.why) for f in counted]
        elif counted and out["macs"]:
            w = out["macs"][0]
            out["macs"][0] = Working(w.label, w.expr, f"{w.why} ({counted[0].name})".strip())
    return out


def row_label(row: ModuleRow) -> str:
    """``Conv2d: layer1.0.conv1`` (the class, then the nested name)."""
    return f"{row.op}: {row.path}" if row.path else row.op


def row_cells(row: ModuleRow, folded: bool, columns: tuple[str, ...]) -> list[str]:
    """The text of each column's cell (numbers, shapes, ``(reused)``), as the table has it."""
    return list(_RowTexts(columns)(row, folded)[1:])


def count_text(q: Quantity) -> str:
    """``1,234`` (a total, zero shown)."""
    return _count(q, False)


class _Working:
    """The lines of working under the rows of one render.

    Rows of calls alike share their formula objects (see ``torch_analysis``), so their
    lines are written once: by the ids of what they are made of, each memo entry holding
    the row or formula they came from so that those ids stay theirs while it lives.
    """

    def __init__(self, printer: FormulaPrinter) -> None:
        self.printer = printer
        self._lines: dict[tuple[str, int, str], tuple[Expr, str]] = {}
        self._rows: dict[tuple[Any, ...], tuple[ModuleRow, tuple[str, ...]]] = {}

    def line(self, label: str, expr: Expr, why: str = "") -> str:
        """``label value = working   why`` (the working cut at MAX_CELL_FORMULA)."""
        key = (label, id(expr), why)
        done = self._lines.get(key)
        if done is not None:
            return done[1]
        text = self.printer.values(expr)
        if len(text) > MAX_CELL_FORMULA:
            text = text[: MAX_CELL_FORMULA - 1] + "…"
        line = f"{label} {format_number(expr.value)} = {text}" + (f"   {why}" if why else "")
        self._lines[key] = (expr, line)
        return line

    def __call__(self, row: ModuleRow, folded: bool) -> tuple[str, ...]:
        """Lines of working under a row (output sizes, parameters, MACs), indented as
        the table shows them; the row's note is the caller's (it names the row)."""
        key = (
            id(row.output_formulas),
            row.status is _COMPUTED,  # all formulas() asks of it; an Enum hashes slowly
            row.params.expr,  # formulas hash and compare by identity (eq=False)
            row.params_why,
            row.macs.expr,
            id(row.functions),
            folded,
        )
        done = self._rows.get(key)
        if done is None:
            lines = tuple([_WORKING_INDENT + line for line in self.formulas(row, folded)])
            done = self._rows[key] = (row, lines)
        return done[1]

    def formulas(self, row: ModuleRow, folded: bool) -> list[str]:
        """The lines of a row's formulas: output sizes, parameters, MACs."""
        lines: list[str] = []
        if row.status is _COMPUTED:
            for out in row.output_formulas:
                for d in out.dims:
                    if d is not None and not d.is_leaf:
                        lines.append(self.line("shape", d, out.why))
                        break
        if not folded:
            params, macs = row.params.expr, row.macs.expr
            if params.value and not params.is_leaf:
                lines.append(self.line("params", params, row.params_why))
            if macs.value and not macs.is_leaf:
                lines.append(self.line("MACs", macs))
            functions = row.functions
            counted = [f for f in functions if f.macs.expr.value] if functions else []
            if len(counted) > 1:  # one call's formula is the row's own: shown once
                lines += [
                    self.line(f"  {f.name}", f.macs.expr)
                    for f in counted
                    if not f.macs.expr.is_leaf
                ]
            elif counted:
                lines[-1] += f"   ({counted[0].name})"
        return lines


@paused_gc
def render_module_table(
    summary: ModuleSummary, *, explain: bool = True, ascii_only: bool = False
) -> str:
    """The summary as text: a torchinfo-like table, working under rows, totals.

    The cyclic garbage collector is paused meanwhile, as in
    :func:`modelmath.torch_analysis.summary_of_module`: every string made here survives.
    """
    text = _render_module_table(summary, explain=explain, ascii_only=ascii_only)
    if ascii_only:  # the tree's lines and the words' signs; the formulas already are
        from modelmath.renderers.ascii import ascii_text

        text = ascii_text(text)
    return text


class _RowTexts:
    """The label and cells of each row of one render, as a tuple for the line's format.

    The label is first; then the chosen columns, picked from all of them in order.
    """

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.shapes = ShapeTexts()
        self._trainable = "trainable" in columns  # the only cell not always shown
        indices = (0, *(1 + COLUMNS.index(c) for c in columns if c in _HEADERS))
        # itemgetter of one index gives the item, not a tuple of it
        self._pick: Callable[[tuple[str, ...]], tuple[str, ...]] = (
            itemgetter(*indices) if len(indices) > 1 else lambda texts: texts[:1]
        )
        self._prefixes: dict[int, str] = {}  # the tree's lines before a name, by depth
        # A count's text by its value: equal values have equal texts, and most recur.
        self._counts: dict[float, str] = {0: "--"}

    def _prefix(self, depth: int) -> str:
        prefix = self._prefixes[depth] = "│    " * max(depth - 1, 0) + ("├─" if depth else "")
        return prefix

    def _count(self, value: float) -> str:
        text = self._counts[value] = _count_value(value)
        return text

    def __call__(self, row: ModuleRow, folded: bool) -> tuple[str, ...]:
        # Attribute reads and calls are kept few: this runs for every row shown.
        depth, path = row.depth, row.path
        prefix = self._prefixes.get(depth)
        if prefix is None:
            prefix = self._prefix(depth)
        label = f"{prefix}{row.op}: {path}" if path else prefix + row.op
        counts = self._counts
        # .value, not .expr.value: a folded row's subtree count writes its formula only
        # when the formula is read (DeferredQuantity), and the table prints the number.
        params = (row.subtree_params if folded else row.params).value
        params_text = counts.get(params) or self._count(params)
        if row.call_index or _any_reused(row.weights):
            params_text = f"(reused) {params_text}" if params else "(reused)"
        macs = (row.subtree_macs if folded else row.macs).value
        trainable = ""
        if self._trainable:
            trainable = _count_value(row.trainable.value)
        shapes = self.shapes
        texts = (
            label,
            shapes(row.inputs),
            shapes(row.outputs),
            params_text,
            trainable,
            counts.get(macs) or self._count(macs),
        )
        return self._pick(texts)


def _count_value(value: float) -> str:
    """:func:`_count` of a quantity's value (zero blank)."""
    if not value:
        return "--"
    return f"{value:,}" if type(value) is int else f"{int(value):,}"


def _any_reused(weights: tuple[TensorRow, ...]) -> bool:
    """``any(w.reused for w in weights)``: a plain loop, the fastest way (a generator
    or ``map(attrgetter(…))`` cost more, measured) for this runs on every row."""
    for w in weights:  # noqa: SIM110  (see above)
        if not w.counted_here:  # TensorRow.reused, without its property call
            return True
    return False


def _render_module_table(summary: ModuleSummary, *, explain: bool, ascii_only: bool) -> str:
    columns = tuple(c for c in summary.columns if c in _HEADERS)
    workings = _Working(FormulaPrinter(ascii_only=ascii_only))
    texts = _RowTexts(columns)
    cells: list[tuple[str, ...]] = []  # each shown row's label and cells
    below: list[tuple[str, ...]] = []  # and the lines under it: working, note
    limit, hide_reused = summary.depth, summary.hide_reused
    for row in summary.rows:  # visible_rows, inlined: this loop is the render's core
        depth = row.depth
        if depth > limit or (hide_reused and row.call_index):
            continue
        folded = depth == limit and not row.is_leaf
        cells.append(texts(row, folded))
        if not explain:
            below.append(())
        elif row.note:
            below.append((*workings(row, folded), _WORKING_INDENT + row.note))
        else:
            below.append(workings(row, folded))
    header = ("Layer (type: name)", *(_HEADERS[c] for c in columns))
    widths = [max(map(len, column)) for column in zip(header, *cells)]
    width = sum(widths) + 2 * (len(widths) - 1)
    rule, heavy = "-" * width, "=" * width
    # One format for every line: the name left-aligned, the numbers right-aligned, two
    # spaces between (%-Ns and %Ns pad as str.ljust and str.rjust do).
    form = "  ".join([f"%-{widths[0]}s", *(f"%{w}s" for w in widths[1:])])

    out = [heavy, (form % header).rstrip(), heavy]
    append, extend = out.append, out.extend
    for row_cells, lines in zip(cells, below):
        append((form % row_cells).rstrip())
        extend(lines)
    t = summary.totals
    out += [
        heavy,
        f"Total params: {_count(t.params, False)}",
        f"Trainable params: {_count(t.trainable, False)}",
        f"Non-trainable params: {_count(t.non_trainable, False)}",
        f"Buffers: {_count(t.buffers, False)} elements (running statistics, masks; not parameters)",
        f"Total MACs: {_count(t.macs, False)} (multiply-accumulates; FLOPs ≈ 2 × MACs)",
        f"Parameter size: {t.param_bytes.value / 2**20:,.2f} MiB",
        rule,
        "Traced from shapes alone: no weights or activations were allocated. "
        "Shared and tied parameters are counted once, where the model defines them.",
    ]
    out += [f"Note: {n}" for n in summary.notes]
    return "\n".join(out) + "\n"


def _q(q: Quantity, printer: FormulaPrinter) -> dict[str, Any]:
    return {"value": q.value, "formula": printer.symbols(q.expr), "working": printer.values(q.expr)}


def module_summary_json(summary: ModuleSummary) -> dict[str, Any]:
    """JSON-ready data: every row with its numbers and their formulas."""
    printer = FormulaPrinter()
    rows = []
    for r in summary.rows:
        rows.append(
            {
                "path": r.path,
                "op": r.op,
                "depth": r.depth,
                "call_index": r.call_index,
                "inputs": r.inputs,
                "outputs": r.outputs,
                "params": _q(r.params, printer),
                "trainable": r.trainable.value,
                "non_trainable": r.non_trainable.value,
                "macs": _q(r.macs, printer),
                "subtree_params": r.subtree_params.value,
                "subtree_macs": r.subtree_macs.value,
                "weights": [
                    {
                        "name": w.qualified,
                        "shape": list(w.shape),
                        "count": w.count.value,
                        "trainable": w.trainable,
                        "counted_at": w.counted_at,
                    }
                    for w in r.weights
                ],
                "buffers": [{"name": b.qualified, "shape": list(b.shape)} for b in r.buffers],
                "functions": [
                    {
                        "name": f.name,
                        "inputs": f.inputs,
                        "outputs": f.outputs,
                        "macs": _q(f.macs, printer),
                    }
                    for f in r.functions
                ],
                "status": r.status.value,
                "note": r.note,
            }
        )
    t = summary.totals
    return {
        "name": summary.name,
        "framework": summary.framework,
        "inputs": summary.inputs,
        "rows": rows,
        "totals": {
            "params": t.params.value,
            "trainable": t.trainable.value,
            "non_trainable": t.non_trainable.value,
            "buffers": t.buffers.value,
            "macs": t.macs.value,
            "param_bytes": t.param_bytes.value,
        },
        "notes": list(summary.notes),
    }
