"""Recurrent layers over all their time steps, and the wrappers that run another layer.

Each step multiplies the input by the kernel and the previous state by the recurrent
kernel: MACs = T · N · (|kernel| + |recurrent_kernel|) for every cell (a stacked cell sums
its cells). The element-wise work per hidden unit and step is in docs/conventions.md.

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("l", "LSTM", {"units": 32}, ((None, 10, 8),))
>>> rnn(CostCall(call, find_rule("LSTM")(call))).macs.value
51200
"""

from __future__ import annotations

from collections import defaultdict

from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.registry import cost, find_cost
from modelmath.expr import Expr, Num, Quantity, Sym, total
from modelmath.rules.base import LayerCall, Weight
from modelmath.rules.inner import inner_config, run_inner

# Element-wise operations per hidden unit and step, besides one add per bias element:
# SimpleRNN: input + recurrent sum, activation. LSTM: 4 sums, 3 sigmoids + 2 tanh, and
# c = f·c + i·g, h = o·tanh(c) (4). GRU: 3 sums, 2 sigmoids + tanh, r·(recurrent
# candidate), h = z·h + (1 − z)·n (4).
STEP_OPS = {1: ("SimpleRNN", 2), 4: ("LSTM", 13), 3: ("GRU", 11)}


def _cells(weights: tuple[Weight, ...]) -> dict[str, dict[str, Weight]]:
    """Weights grouped by cell (StackedRNNCells and Bidirectional prefix their names)."""
    cells: dict[str, dict[str, Weight]] = defaultdict(dict)
    for w in weights:
        for part in ("recurrent_kernel", "kernel", "bias"):
            if w.name.endswith(part):
                cells[w.name[: -len(part)]][part] = w
                break
    return cells


@cost("SimpleRNN", "LSTM", "GRU", "RNN")
def rnn(c: CostCall) -> OpCost:
    """T · N · (|kernel| + |recurrent_kernel|) summed over the cells."""
    steps = c.call.inputs[0][1]
    if steps is None:
        raise c.call.error(
            "needs a known number of time steps to count its operations",
            received=f"input {c.call.inputs[0]}",
            fix="Give the input a fixed number of steps (--input-shape)",
        )
    T = Sym("T", steps, "time steps")
    products: list[Expr] = []
    elementwise: list[Expr] = []
    kinds: list[str] = []
    for cell in _cells(c.result.weights).values():
        kernel, recurrent = cell["kernel"], cell["recurrent_kernel"]
        products += [kernel.count, recurrent.count]
        units = recurrent.shape[0]
        gates = int(recurrent.shape[1].value) // int(units.value)
        kind, ops = STEP_OPS[gates]
        kinds.append(kind)
        bias = cell.get("bias")
        per_unit: Expr = Num(ops) if bias is None else Num(ops) + _per_unit(bias, units)
        elementwise.append(per_unit * units)
    macs = T * c.batch * total(products)
    why = "each step: input × kernel and previous state × recurrent kernel"
    ew = T * c.batch * total(elementwise)
    ew_why = f"{', '.join(kinds)} gate arithmetic per hidden unit and step, + the bias adds"
    return OpCost(Quantity(macs, why), Quantity(ew, ew_why))


def _per_unit(bias: Weight, units: Expr) -> Expr:
    """Bias elements per hidden unit (2 per gate for a GRU with reset_after)."""
    return Sym("b_u", int(bias.count.value) // int(units.value), "bias adds per unit")


def inner_cost(c: CostCall, key: str, inputs: tuple[tuple[int | None, ...], ...]) -> OpCost:
    """The cost of the layer a wrapper holds under ``config[key]``, run on ``inputs``."""
    op, cfg = inner_config(c.call, key)
    rule = find_cost(op)
    if rule is None:
        raise c.call.error(f"wraps a {op}, for which modelmath has no cost formula")
    result = run_inner(c.call, op, cfg, inputs)
    call = LayerCall(f"{c.call.name}/{cfg.get('name', op)}", op, cfg, inputs, c.call.framework)
    return rule(CostCall(call, result, c.default_batch, c.batch_expr))


@cost("Bidirectional")
def bidirectional(c: CostCall) -> OpCost:
    """The forward and the backward layer, each over all steps; + the merge of their outputs."""
    forward = inner_cost(c, "layer", c.call.inputs[:1])
    key = "backward_layer" if c.call.config.get("backward_layer") is not None else "layer"
    backward = inner_cost(c, key, c.call.inputs[:1])
    mode = c.call.config.get("merge_mode", "concat")
    merge: Expr = Num(0) if mode in ("concat", None) else c.out_elements()
    macs = Quantity(total((forward.macs.expr, backward.macs.expr)), "forward + backward")
    ew = Quantity(
        total((forward.elementwise.expr, backward.elementwise.expr, merge)),
        "forward + backward"
        + ("" if merge.value == 0 else f", + one op per output element to merge ({mode!r})"),
    )
    return OpCost(macs, ew)


@cost("TimeDistributed")
def time_distributed(c: CostCall) -> OpCost:
    """The inner layer on N · T samples: its cost with the batch N · T."""
    shape = c.call.inputs[0]
    if shape[1] is None:
        raise c.call.error("needs a known number of time steps to count its operations")
    outer = c.batch * Sym("T", shape[1], "time steps")
    wrapped = CostCall(c.call, c.result, c.default_batch, outer)
    inner = inner_cost(wrapped, "layer", ((None, *shape[2:]),))
    return OpCost(
        Quantity(inner.macs.expr, f"the inner layer on N·T samples: {inner.macs.why}"),
        Quantity(inner.elementwise.expr, inner.elementwise.why),
    )


@cost("SpectralNormalization")
def spectral_normalization(c: CostCall) -> OpCost:
    """At inference the wrapped layer runs with its normalized kernel: its own cost (the
    power iteration that updates vector_u runs only in training)."""
    inner = inner_cost(c, "layer", c.call.inputs)
    return OpCost(
        Quantity(inner.macs.expr, f"the wrapped layer: {inner.macs.why}"), inner.elementwise
    )
