"""HTML: a self-contained report (one file, works offline) and the notebook fragment.

Every number is a ``<details>`` element: one click opens its working — the formula with
symbols and with values in MathML (rendered natively by browsers), what each symbol
means, and the reason in words. No script or style is fetched from anywhere.

>>> import modelmath
>>> page = render_html([modelmath.summary("examples/seed_config.json")])  # doctest: +SKIP
>>> "<math" in page                                                      # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from modelmath.costs.data import CostTotals
from modelmath.expr import Expr
from modelmath.model_summary import Row, RowStatus, Summary
from modelmath.renderers import cost_working
from modelmath.renderers.graph_svg import graph_svg
from modelmath.renderers.mathml import MathMLPrinter, math, symbol_mathml
from modelmath.renderers.printer import FormulaPrinter, format_number
from modelmath.renderers.table import keras_shape, readable_size
from modelmath.renderers.working import shape_workings

if TYPE_CHECKING:
    from modelmath.module_summary import ModuleSummary

CONVENTIONS = [
    "Batch size is None (any) unless given; Keras inputs are channels_last by default.",
    "Output sizes use floor division, ⌊a/b⌋; 'same' padding gives ⌈W/S⌉.",
    "Parameters shared between layers are counted once, where they are defined.",
    "MACs = multiply-accumulates of matrix products and convolutions; FLOPs = 2·MACs + the "
    "element-wise operations each layer counts (docs/conventions.md).",
    "Sizes in modelmath's own output use IEC units (1 KiB = 1024 bytes, 1 MiB = 2²⁰ bytes); "
    "Keras's own summary writes MB for the same 2²⁰ bytes.",
]

TORCH_CONVENTIONS = [
    "Shapes are PyTorch's (NCHW for images), batch axis included as given.",
    "Rows follow the module tree as the forward pass ran it; a row at the depth limit "
    "shows the parameters and MACs of everything below it.",
    "Parameters shared or tied between modules are counted once, where the model defines "
    "them; buffers (running statistics, masks) are counted apart.",
    "MACs = multiply-accumulates of matrix products and convolutions; FLOPs ≈ 2·MACs.",
    "Sizes use IEC units (1 KiB = 1024 bytes, 1 MiB = 2²⁰ bytes).",
]

STYLE = """
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --accent:#0b6bcb; --bg:#fff; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 1.4em; margin: .2em 0 .6em; } h2 { font-size: 1.15em; margin: 1.4em 0 .5em; }
.mm-table { border-collapse: collapse; width: 100%; }
.mm-table th, .mm-table td { border: 1px solid var(--line); padding: 6px 8px;
  vertical-align: top; text-align: left; }
.mm-table th { background: #f6f8fa; }
.mm-table td.num { text-align: right; white-space: nowrap; }
.op { color: var(--muted); } .noformula { color: #9a6700; }
details.num > summary { cursor: pointer; color: var(--accent); list-style: none;
  display: inline; font-variant-numeric: tabular-nums; }
details.num > summary::-webkit-details-marker { display: none; }
details.num > summary::after { content: " ▸"; font-size: .75em; color: var(--muted); }
details.num[open] > summary::after { content: " ▾"; }
.work { text-align: left; white-space: normal; background: #f6f8fa; border-left: 3px solid
  var(--accent); margin: 4px 0; padding: 6px 8px; font-size: .92em; min-width: 14em; }
.work table { border-collapse: collapse; } .work td { padding: 0 8px 0 0; border: 0; }
.work td:nth-child(2) { white-space: nowrap; }
.why { color: var(--muted); margin: 2px 0; }
.dim-line { margin-top: 4px; }
.totals td { border: 0; padding: 2px 12px 2px 0; }
.graph-wrap { overflow: auto; max-height: 70vh; border: 1px solid var(--line); }
svg.graph .node rect { fill: #f6f8fa; stroke: #8c959f; }
svg.graph .name { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg.graph .op { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.graph .edge { stroke: #8c959f; stroke-width: 1.2; }
svg.graph .shape { font: 10px ui-monospace, monospace; fill: var(--accent); }
.notes li, .conv li { margin: .2em 0; }
@media (max-width: 700px) {
  body { padding: 8px; font-size: 14px; }
  .mm-table thead { display: none; }
  .mm-table, .mm-table tbody, .mm-table tr, .mm-table td { display: block; width: 100%; }
  .mm-table tr { border: 1px solid var(--line); margin-bottom: 8px; }
  .mm-table td { border: 0; text-align: left; }
  .mm-table td.num { text-align: left; }
  .mm-table td::before { content: attr(data-label) ": "; color: var(--muted); }
}
@media print {
  body { max-width: none; } .graph-wrap { max-height: none; overflow: visible; }
  details.num > summary::after { content: ""; }
}
"""

# Printing must show every working: open all <details> before the browser prints.
SCRIPT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});"
)


def _where_table(expr: Expr) -> str:
    syms = expr.symbols()
    if not syms:
        return ""
    rows = "".join(
        f"<tr><td>{math(symbol_mathml(s.name))}</td><td>= {escape(format_number(s.value))}</td>"
        f"<td>{escape(s.meaning)}</td></tr>"
        for s in syms
    )
    return f'<table class="where">{rows}</table>'


def derivation(label: str, expr: Expr, why: str = "") -> str:
    """A clickable number: ``label`` shown, the working one click away."""
    printer = MathMLPrinter()
    result = f"<mn>{escape(format_number(expr.value))}</mn>"
    if expr.is_leaf:
        body = math(f"{printer.symbols(expr)}<mo>=</mo>{result}", display=True)
    else:
        body = math(
            f"{printer.symbols(expr)}<mo>=</mo>{printer.values(expr)}<mo>=</mo>{result}",
            display=True,
        )
    why_html = f'<p class="why">{escape(why)}</p>' if why else ""
    return (
        f'<details class="num" data-value="{escape(format_number(expr.value))}">'
        f"<summary>{escape(label)}</summary>"
        f'<div class="work">{body}{_where_table(expr)}{why_html}</div></details>'
    )


def _shape_cell(row: Row) -> str:
    if row.status is RowStatus.UNBUILT:
        return "?"
    if row.status is RowStatus.NO_RULE:
        stated = [s for s in row.stated_outputs if s is not None]
        text = ", ".join(keras_shape(s) for s in stated) or "?"
        return f'{escape(text)}<div class="noformula">{escape(row.no_formula)}</div>'
    parts = []
    for out in row.outputs:
        parts.append(f"<div>{escape(keras_shape(out.values))}</div>")
        for w in shape_workings(out, FormulaPrinter()):
            label = f"{', '.join(w.axes)}: {format_number(w.expr.value)}"
            parts.append(f'<div class="dim-line">{derivation(label, w.expr, out.why)}</div>')
    return "".join(parts)


def _params_cell(row: Row) -> str:
    if row.status is RowStatus.UNBUILT:
        return "0 (unbuilt)"
    if row.params is None:
        return '<span class="noformula">?</span>'
    label = f"{int(row.params.value):,}"
    if row.params.value == 0:
        return label
    cell = derivation(label, row.params.expr, row.params.why)
    if row.non_trainable is not None and row.non_trainable.value:
        cell += f'<div class="why">non-trainable: {int(row.non_trainable.value):,}</div>'
    return cell


def _connections(row: Row) -> str:
    return escape(", ".join(str(r) for r in row.connected_to) or "-")


def _cost_cell(row: Row, column: str) -> str:
    """A cost column's number; a click opens its formula (MACs, FLOPs, bytes, fields)."""
    c = row.costs
    shown = cost_working.cell(row, column)
    if c is None:
        return escape(shown)
    if column in ("macs", "flops"):
        q = c.macs if column == "macs" else c.flops
        if q is None:
            return f'<span class="noformula">?</span><div class="why">{escape(c.note)}</div>'
        if q.is_trivial:
            return escape(shown) + (f'<div class="why">{escape(q.why)}</div>' if q.value else "")
        extra = ""
        if column == "flops" and c.elementwise is not None and c.elementwise.value:
            extra = f'<div class="why">E: {escape(c.elementwise.why)}</div>'
        return derivation(shown, q.expr, q.why) + extra
    if column == "memory":
        if c.activation_bytes is None:
            return "?"
        return derivation(shown, c.activation_bytes.expr, c.activation_bytes.why)
    parts = [escape(shown)]
    for axes, f in cost_working.grouped_fields(c.receptive_field):
        for label, expr in (("r", f.size), ("j", f.jump), ("start", f.start)):
            text = f"{', '.join(axes)} {label}: {format_number(expr.value)}"
            parts.append(f'<div class="dim-line">{derivation(text, expr)}</div>')
    return "".join(parts)


def summary_table(summary: Summary) -> str:
    """The table, with clickable working: shared by the report, the notebook and the page."""
    columns = summary.columns or ("shape", "params")
    head = ["Layer (type)", *(cost_working.HEADERS[c] for c in columns)]
    if not summary.sequential_like:
        head.append("Connected to")
    out = ['<table class="mm-table"><thead><tr>']
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in summary.rows:
        name = f'{escape(row.name)} <span class="op">({escape(row.op)})</span>'
        cells = [f'<td data-label="Layer">{name}</td>']
        for column, label in zip(columns, head[1:]):
            if column == "shape":
                cells.append(f'<td data-label="{label}">{_shape_cell(row)}</td>')
            elif column == "params":
                cells.append(f'<td class="num" data-label="{label}">{_params_cell(row)}</td>')
            else:
                kind = "" if column == "rf" else ' class="num"'
                cells.append(f'<td{kind} data-label="{label}">{_cost_cell(row, column)}</td>')
        if not summary.sequential_like:
            cells.append(f'<td data-label="Connected to">{_connections(row)}</td>')
        out.append(f'<tr id="layer-{escape(row.name)}">{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    return "".join(out)


def totals_html(summary: Summary) -> str:
    t = summary.totals
    lines = []
    for label, count, size in (
        ("Total params", t.total, t.total_bytes),
        ("Trainable params", t.trainable, t.trainable_bytes),
        ("Non-trainable params", t.non_trainable, t.non_trainable_bytes),
    ):
        shown = f"{int(count.value):,}"
        number = derivation(shown, count.expr, count.why) if not count.is_trivial else shown
        size_text = readable_size(float(size.value), iec=True)
        size_html = derivation(size_text, size.expr, size.why) if not size.is_trivial else size_text
        lines.append(f"<tr><th>{label}</th><td>{number}</td><td>{size_html}</td></tr>")
    if summary.costs is not None:
        lines += _cost_totals_rows(summary.costs)
    return f'<table class="totals">{"".join(lines)}</table>'


def _cost_totals_rows(t: CostTotals) -> list[str]:
    """MACs, FLOPs and the training estimate P + G + S + A, each term clickable."""
    rows = []
    for label, q, shown in (
        (f"Total MACs (batch {t.options.batch})", t.macs, f"{int(t.macs.value):,}"),
        ("Total FLOPs (2·MACs + element-wise)", t.flops, f"{int(t.flops.value):,}"),
        (
            f"Training memory ({t.options.optimizer}) = P + G + S + A",
            t.training_bytes,
            cost_working.iec_size(float(t.training_bytes.value)),
        ),
        ("P parameters", t.param_bytes, cost_working.iec_size(float(t.param_bytes.value))),
        ("G gradients", t.gradient_bytes, cost_working.iec_size(float(t.gradient_bytes.value))),
        (
            f"S {t.options.optimizer} state",
            t.optimizer_bytes,
            cost_working.iec_size(float(t.optimizer_bytes.value)),
        ),
        (
            "A activations",
            t.activation_bytes,
            cost_working.iec_size(float(t.activation_bytes.value)),
        ),
    ):
        cell = derivation(shown, q.expr, q.why) if not q.is_trivial else escape(shown)
        rows.append(f"<tr><th>{escape(label)}</th><td>{cell}</td><td></td></tr>")
    return rows


def summary_fragment(summary: Summary, *, graph: bool = True) -> str:
    """One model: title, table, totals, notes and (optionally) its graph."""
    parts = [
        f'<section class="modelmath" id="model-{escape(summary.name)}">',
        f'<h2>Model: "{escape(summary.name)}"</h2>',
        summary_table(summary),
        totals_html(summary),
    ]
    if summary.notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in summary.notes)
        parts.append(f'<h3>Notes</h3><ul class="notes">{items}</ul>')
    if graph:
        parts.append(f'<h3>Layer graph</h3><div class="graph-wrap">{graph_svg(summary)}</div>')
    parts.append("</section>")
    return "".join(parts)


def module_table(summary: ModuleSummary) -> str:
    """A PyTorch summary's table: rows indented by depth, every number clickable."""
    from modelmath.renderers.module_table import (
        HEADERS,
        cell_workings,
        row_cells,
        row_label,
        visible_rows,
    )

    columns = tuple(c for c in summary.columns if c in HEADERS)
    head = ["Layer (type: name)", *(HEADERS[c] for c in columns)]
    out = ['<table class="mm-table"><thead><tr>']
    out += [f"<th>{escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row, folded in visible_rows(summary):
        texts = row_cells(row, folded, columns)
        workings = cell_workings(row, folded)
        pad = f' style="padding-left:{0.5 + 1.2 * row.depth:.1f}em"' if row.depth else ""
        name = escape(row.path) if row.path else ""
        label = f'{name} <span class="op">({escape(row.op)})</span>' if name else escape(row.op)
        if folded:
            label += ' <span class="op">(and below)</span>'
        if row.note:
            label += f'<div class="why">{escape(row.note)}</div>'
        cells = [f'<td data-label="Layer"{pad} title="{escape(row_label(row))}">{label}</td>']
        for column, text, title in zip(columns, texts, head[1:]):
            found = workings.get(column, [])
            if column in ("input", "output"):
                parts = [f"<div>{escape(text)}</div>"]
                for w in found:
                    shown = f"{w.label}: {format_number(w.expr.value)}"
                    parts.append(f'<div class="dim-line">{derivation(shown, w.expr, w.why)}</div>')
                cells.append(f'<td data-label="{escape(title)}">{"".join(parts)}</td>')
                continue
            cell = derivation(text, found[0].expr, found[0].why) if found else escape(text)
            for w in found[1:]:
                shown = f"{w.label}: {format_number(w.expr.value)}"
                cell += f'<div class="dim-line">{derivation(shown, w.expr, w.why)}</div>'
            cells.append(f'<td class="num" data-label="{escape(title)}">{cell}</td>')
        out.append(f'<tr id="module-{escape(row.path or row.op)}">{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    return "".join(out)


def module_totals_html(summary: ModuleSummary) -> str:
    """Totals of a PyTorch summary, each clickable to its sum."""
    t = summary.totals
    lines = []
    for label, q in (
        ("Total params", t.params),
        ("Trainable params", t.trainable),
        ("Non-trainable params", t.non_trainable),
        ("Buffers (elements; not parameters)", t.buffers),
        ("Total MACs (multiply-accumulates; FLOPs ≈ 2 × MACs)", t.macs),
    ):
        shown = f"{int(q.value):,}"
        number = derivation(shown, q.expr, q.why) if not q.expr.is_leaf else escape(shown)
        lines.append(f"<tr><th>{escape(label)}</th><td>{number}</td></tr>")
    size = t.param_bytes
    size_text = readable_size(float(size.value), iec=True)
    size_html = derivation(size_text, size.expr, size.why) if not size.expr.is_leaf else size_text
    lines.append(f"<tr><th>Parameter size</th><td>{size_html}</td></tr>")
    return f'<table class="totals">{"".join(lines)}</table>'


def module_summary_fragment(summary: ModuleSummary) -> str:
    """One PyTorch model: title, module table, totals, notes."""
    parts = [
        f'<section class="modelmath" id="model-{escape(summary.name)}">',
        f'<h2>Model: "{escape(summary.name)}" '
        '<span class="op">(PyTorch, traced from shapes alone)</span></h2>',
        module_table(summary),
        module_totals_html(summary),
    ]
    notes = [
        *summary.notes,
        "Traced from shapes alone: no weights or activations were allocated. Shared and "
        "tied parameters are counted once, where the model defines them.",
    ]
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    parts.append(f'<h3>Notes</h3><ul class="notes">{items}</ul></section>')
    return "".join(parts)


def notebook_html(summary: Summary | ModuleSummary) -> str:
    """What Jupyter shows for a Summary (``_repr_html_``): scoped style, no page chrome."""
    from modelmath.module_summary import ModuleSummary

    style = STYLE.replace("body", ".modelmath")
    if isinstance(summary, ModuleSummary):
        return f"<div><style>{style}</style>{module_summary_fragment(summary)}</div>"
    return f"<div><style>{style}</style>{summary_fragment(summary, graph=False)}</div>"


def render_html(
    summaries: Sequence[Summary | ModuleSummary], *, title: str = "modelmath report"
) -> str:
    """A complete, self-contained HTML page for one or more models."""
    from modelmath.module_summary import ModuleSummary

    conventions = "".join(f"<li>{escape(c)}</li>" for c in CONVENTIONS)
    if summaries and all(isinstance(s, ModuleSummary) for s in summaries):
        conventions = "".join(f"<li>{escape(c)}</li>" for c in TORCH_CONVENTIONS)
    body = "".join(
        module_summary_fragment(s) if isinstance(s, ModuleSummary) else summary_fragment(s)
        for s in summaries
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        "<p>Click any number to see its working: the formula, the values put in, and what "
        "each symbol means.</p>"
        f'{body}<h2>Conventions</h2><ul class="conv">{conventions}</ul>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )
