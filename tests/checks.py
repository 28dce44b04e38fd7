"""One checking helper for every Keras comparison: modelmath's summary against Keras's."""

from __future__ import annotations

import math
from typing import Any

from keras_oracle import KerasTruth

from modelmath.expr import CeilDiv, Diff, Div, Expr, FloorDiv, Num, Prod, Sum, Sym
from modelmath.model_summary import Summary


def recompute(expr: Expr) -> float:
    """Evaluate a formula tree from its leaves, ignoring the values cached in the nodes."""
    if isinstance(expr, (Num, Sym)):
        return expr.value
    if isinstance(expr, Sum):
        return sum(recompute(t) for t in expr.terms)
    if isinstance(expr, Prod):
        return math.prod(recompute(f) for f in expr.factors)
    if isinstance(expr, Diff):
        return recompute(expr.left) - recompute(expr.right)
    if isinstance(expr, FloorDiv):
        return math.floor(recompute(expr.num) / recompute(expr.den))
    if isinstance(expr, CeilDiv):
        return math.ceil(recompute(expr.num) / recompute(expr.den))
    if isinstance(expr, Div):
        return recompute(expr.num) / recompute(expr.den)
    raise AssertionError(f"unknown node {type(expr).__name__}")


def all_exprs(summary: Summary) -> list[Expr]:
    out: list[Expr] = []
    for row in summary.rows:
        for shape in row.outputs:
            out += [d for d in shape.dims if d is not None]
        for q in (row.params, row.trainable, row.non_trainable):
            if q is not None:
                out.append(q.expr)
        out += [w.count for w in row.weights]
    t = summary.totals
    out += [
        q.expr
        for q in (
            t.total,
            t.trainable,
            t.non_trainable,
            t.total_bytes,
            t.trainable_bytes,
            t.non_trainable_bytes,
        )
    ]
    return out


def assert_matches_keras(summary: Summary, truth: KerasTruth, label: str = "") -> None:
    """Every row's name, type, output shapes and parameters, and the totals, equal Keras's;
    every derived value evaluates to its own number; totals are sums of the rows."""
    names = [r.name for r in summary.rows]
    assert names == [r.name for r in truth.rows], f"{label}: row names differ"
    for ours, theirs in zip(summary.rows, truth.rows):
        where = f"{label}: layer {ours.name}"
        assert ours.op == theirs.op, where
        assert ours.output_values == theirs.outputs, where
        assert ours.params is not None, f"{where}: no formula for {ours.op}"
        assert ours.params.value == theirs.params, where
    t = summary.totals
    assert (t.total.value, t.trainable.value, t.non_trainable.value) == (
        truth.total,
        truth.trainable,
        truth.non_trainable,
    ), label
    assert t.total_bytes.value == truth.total_bytes, label
    for expr in all_exprs(summary):
        for node in expr.walk():
            assert recompute(node) == node.value, f"{label}: {node!r}"
    rows_trainable = sum(r.trainable.value for r in summary.rows if r.trainable is not None)
    rows_frozen = sum(r.non_trainable.value for r in summary.rows if r.non_trainable is not None)
    # Sequential models hide their InputLayer row; it has no weights either way.
    assert (rows_trainable, rows_frozen) == (t.trainable.value, t.non_trainable.value), label


def config_of(model: Any) -> dict[str, Any]:
    import json

    result: dict[str, Any] = json.loads(model.to_json())
    return result
