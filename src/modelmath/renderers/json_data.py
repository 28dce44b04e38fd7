"""A Summary as JSON-ready data: every number with its value, its formula as text, and its
formula as a structured tree (so other tools can render or check it).

>>> from modelmath.expr import Sym, Num
>>> expr_to_json(Sym("F", 16, "filters") + Num(1))["text"]
'F + 1'
"""

from __future__ import annotations

from typing import Any

from modelmath.costs.data import CostTotals, LayerCosts
from modelmath.expr import Expr, Quantity, Sym
from modelmath.model_summary import Row, RowStatus, Summary, Totals
from modelmath.renderers.printer import FormulaPrinter
from modelmath.rules.base import OutputShape

SCHEMA_VERSION = "1"


def _tree(expr: Expr) -> dict[str, Any]:
    node: dict[str, Any] = {"op": type(expr).__name__, "value": expr.value}
    if isinstance(expr, Sym):
        node["name"] = expr.name
        node["meaning"] = expr.meaning
    if expr.children:
        node["args"] = [_tree(c) for c in expr.children]
    return node


def expr_to_json(expr: Expr) -> dict[str, Any]:
    printer = FormulaPrinter()
    return {
        "value": expr.value,
        "text": printer.symbols(expr),
        "with_values": printer.values(expr),
        "tree": _tree(expr),
    }


def _quantity(q: Quantity | None) -> dict[str, Any] | None:
    if q is None:
        return None
    return {**expr_to_json(q.expr), "why": q.why}


def _shape(shape: OutputShape) -> dict[str, Any]:
    return {
        "value": list(shape.values),
        "axes": list(shape.axes),
        "why": shape.why,
        "dims": [None if d is None else expr_to_json(d) for d in shape.dims],
    }


def _costs(c: LayerCosts) -> dict[str, Any]:
    return {
        "macs": _quantity(c.macs),
        "flops": _quantity(c.flops),
        "elementwise": _quantity(c.elementwise),
        "activation_bytes": _quantity(c.activation_bytes),
        "param_bytes": _quantity(c.param_bytes),
        "receptive_field": [
            {
                "axis": f.axis,
                "size": expr_to_json(f.size),
                "jump": expr_to_json(f.jump),
                "start": expr_to_json(f.start),
                "merged": f.merged,
            }
            for f in c.receptive_field
        ],
        "note": c.note,
    }


def _cost_totals(t: CostTotals) -> dict[str, Any]:
    return {
        "batch": t.options.batch,
        "optimizer": t.options.optimizer,
        "macs": _quantity(t.macs),
        "flops": _quantity(t.flops),
        "param_bytes": _quantity(t.param_bytes),
        "gradient_bytes": _quantity(t.gradient_bytes),
        "optimizer_bytes": _quantity(t.optimizer_bytes),
        "activation_bytes": _quantity(t.activation_bytes),
        "training_bytes": _quantity(t.training_bytes),
        "complete": t.complete,
        "missing": list(t.missing),
    }


def _row(row: Row) -> dict[str, Any]:
    out = _row_fields(row)
    if row.costs is not None:
        out["costs"] = _costs(row.costs)
    return out


def _row_fields(row: Row) -> dict[str, Any]:
    return {
        "name": row.name,
        "type": row.op,
        "status": row.status.value,
        "outputs": [_shape(o) for o in row.outputs],
        "params": _quantity(row.params),
        "trainable": _quantity(row.trainable),
        "non_trainable": _quantity(row.non_trainable),
        "weights": [
            {
                "name": w.name,
                "shape": [d.value for d in w.shape],
                "trainable": w.trainable,
                "meaning": w.meaning,
                "count": expr_to_json(w.count),
            }
            for w in row.weights
        ],
        "connected_to": [str(ref) for ref in row.connected_to],
        **({"no_formula": row.no_formula} if row.status is RowStatus.NO_RULE else {}),
        **({"hint": row.hint} if row.hint else {}),
    }


def summary_to_json(summary: Summary) -> dict[str, Any]:
    """The whole summary as plain dicts and lists."""
    t = summary.totals
    out = _summary_fields(summary, t)
    if summary.costs is not None:
        out["costs"] = _cost_totals(summary.costs)
    if summary.columns:
        out["columns"] = list(summary.columns)
    return out


def _summary_fields(summary: Summary, t: Totals) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "model": summary.name,
        "kind": summary.kind,
        "framework": summary.framework,
        "rows": [_row(r) for r in summary.rows],
        "totals": {
            "params": _quantity(t.total),
            "trainable": _quantity(t.trainable),
            "non_trainable": _quantity(t.non_trainable),
            "bytes": _quantity(t.total_bytes),
            "complete": t.complete,
        },
        "notes": list(summary.notes),
    }


def render_json(summaries: list[Summary]) -> dict[str, Any]:
    """The document ``--format json`` writes (schema: docs/json-schema.json)."""
    return {"schema_version": SCHEMA_VERSION, "models": [summary_to_json(s) for s in summaries]}
