"""Adds costs to a Summary that analysis has built: one pass over the calls it evaluated
(linear in the number of calls), run only when costs are asked for."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from modelmath.costs.base import OpCost, no_ops
from modelmath.costs.compute import (
    activation_bytes_of,
    call_cost,
    model_totals,
    nested_costs,
    row_costs,
)
from modelmath.costs.data import AxisField, CostOptions, LayerCosts
from modelmath.costs.receptive_field import Field, input_field, propagate
from modelmath.expr import Expr, total
from modelmath.graph import Layer
from modelmath.model_summary import Row, Summary

if TYPE_CHECKING:
    from modelmath.analysis import _Analysis

TensorKey = tuple[str, int, int]


def attach_costs(analysis: _Analysis, summary: Summary, all_rows: list[Row]) -> Summary:
    """``summary`` with every row's costs and the model's cost totals."""
    from modelmath.analysis import _topological_calls

    options = analysis.cost_options or CostOptions()
    graph = analysis.graph
    fields: dict[TensorKey, Field | None] = {}
    row_fields: dict[str, tuple[AxisField, ...]] = {}
    calls: dict[str, list[OpCost | str]] = {}
    acts: dict[str, list[Expr | None]] = {}
    for layer, index in _topological_calls(graph):
        key = (layer.name, index)
        outputs = analysis.outputs.get(key, ())
        dtype = layer.dtype.compute
        acts.setdefault(layer.name, []).append(
            activation_bytes_of([o.values for o in outputs], options.batch, dtype)
            if outputs
            else None
        )
        if layer.op == "InputLayer" or not layer.calls:
            field = input_field(outputs[0].values) if outputs else {}
            fields[(layer.name, index, 0)] = field
            row_fields[layer.name] = tuple(field[i] for i in sorted(field))
            calls.setdefault(layer.name, []).append(no_ops("an input: nothing computed"))
            continue
        evaluated = analysis.evaluated.get(key)
        if evaluated is None:
            calls.setdefault(layer.name, []).append(f"no formula for {layer.op}")
            continue
        ctx, result = evaluated
        if layer.subgraph is None:
            calls.setdefault(layer.name, []).append(call_cost(ctx, result, options))
        refs = layer.calls[index].inputs
        inputs = [fields.get((r.layer, r.call, r.tensor)) for r in refs]
        out_field, row_field = propagate(layer.op, layer.config, inputs, ctx.inputs)
        fields[(layer.name, index, 0)] = out_field
        row_fields[layer.name] = row_field
    rows_costs: dict[str, LayerCosts] = {}
    for layer in graph.layers:
        rows_costs[layer.name] = _layer_costs(
            analysis, layer, calls.get(layer.name, []), acts.get(layer.name, []), row_fields
        )
    new_rows = {r.name: replace(r, costs=rows_costs.get(r.name)) for r in all_rows}
    listed = tuple(new_rows[r.name] for r in summary.rows)
    totals = model_totals(
        [(r.name, r.op, c) for r in all_rows if (c := rows_costs.get(r.name)) is not None],
        options,
        summary.totals.total_bytes,
        summary.totals.trainable_bytes,
    )
    return replace(summary, rows=listed, costs=totals)


def _layer_costs(
    analysis: _Analysis,
    layer: Layer,
    calls: list[OpCost | str],
    acts: list[Expr | None],
    row_fields: dict[str, tuple[AxisField, ...]],
) -> LayerCosts:
    from modelmath.analysis import weight_bytes

    outcome = analysis.outcomes.get(layer.name)
    weights = outcome.weights if outcome is not None else ()
    param_bytes = weight_bytes([(w, layer) for w in weights])
    activations = (
        None
        if not acts or any(a is None for a in acts)
        else total(a for a in acts if a is not None)
    )
    nested = analysis.nested.get(layer.name)
    if nested is not None:
        inner = [(r.name, r.costs) for r in nested.rows]
        return nested_costs(inner, activations, param_bytes)
    return row_costs(
        calls, activations, param_bytes, row_fields.get(layer.name, ()), layer.dtype.compute
    )
