"""Row and model costs from the calls analysis evaluated: the glue between the cost rules,
the memory formulas and the receptive-field pass.

>>> from modelmath.expr import Num
>>> activation_bytes_of([(None, 4, 4)], 2, "float16").value
64
"""

from __future__ import annotations

from collections.abc import Sequence

from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.data import OPTIMIZERS, AxisField, CostOptions, CostTotals, LayerCosts
from modelmath.costs.registry import find_cost
from modelmath.errors import ModelMathError
from modelmath.expr import Expr, Num, Prod, Quantity, Sym, total
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, RuleResult


def bytes_per(dtype: str) -> Expr:
    """Bytes per element of ``dtype``, as a named symbol (bool: 1/8)."""
    from modelmath.analysis import dtype_bits

    bits = dtype_bits(dtype)
    value: int | float = bits // 8 if bits % 8 == 0 else bits / 8
    return Sym(f"b_{dtype}", value, f"bytes per {dtype}")


def activation_bytes_of(shapes: Sequence[Shape], batch: int, dtype: str) -> Expr | None:
    """N · elements per sample · bytes, summed over ``shapes`` (None if a size is free)."""
    terms: list[Expr] = []
    for shape in shapes:
        if any(d is None for d in shape[1:]):
            return None
        n = shape[0] if shape and shape[0] is not None else batch
        dims: list[Expr] = [Sym("N", n, "batch size"), *(Num(int(d or 0)) for d in shape[1:])]
        terms.append(Prod((*dims, bytes_per(dtype))))
    return total(terms)


def call_cost(call: LayerCall, result: RuleResult, options: CostOptions) -> OpCost | str:
    """The cost of one call, or why there is none."""
    rule = find_cost(call.op)
    if rule is None:
        return f"no cost formula for {call.op}"
    try:
        return rule(CostCall(call, result, options.batch))
    except ModelMathError as err:
        return str(err)


def row_costs(
    calls: Sequence[OpCost | str],
    activations: Expr | None,
    param_bytes: Quantity,
    field: tuple[AxisField, ...],
    compute_dtype: str,
) -> LayerCosts:
    """One row: its calls' costs summed (a shared layer runs once per call)."""
    act = None
    if activations is not None:
        act = Quantity(activations, f"outputs for the batch, {compute_dtype}")
    notes = [c for c in calls if isinstance(c, str)]
    if notes or not calls:
        return LayerCosts(None, None, None, act, param_bytes, field, "; ".join(notes))
    costs = [c for c in calls if not isinstance(c, str)]
    if len(costs) == 1:
        macs, ew = costs[0].macs, costs[0].elementwise
    else:
        macs = Quantity(
            total(c.macs.expr for c in costs), f"{len(costs)} calls: {costs[0].macs.why}"
        )
        ew = Quantity(
            total(c.elementwise.expr for c in costs),
            f"{len(costs)} calls: {costs[0].elementwise.why}",
        )
    return LayerCosts(macs, flops_of(macs, ew), ew, act, param_bytes, field)


def flops_of(macs: Quantity, elementwise: Quantity) -> Quantity:
    """FLOPs = 2·M + E: a multiply and an add per MAC, plus the element-wise operations."""
    M = Sym("M", macs.value, "MACs (multiply-accumulates)")
    E = Sym("E", elementwise.value, f"element-wise operations: {elementwise.why}")
    expr: Expr = Num(2) * M if E.value == 0 else Num(2) * M + E
    if M.value == 0:
        expr = E
    return Quantity(expr, "2 per MAC + element-wise")


def nested_costs(
    rows: Sequence[tuple[str, LayerCosts | None]], activations: Expr | None, param_bytes: Quantity
) -> LayerCosts:
    """A model used as a layer: the sums of its own rows."""
    known = [(n, c) for n, c in rows if c is not None]
    missing = [n for n, c in known if c.macs is None]
    act = None if activations is None else Quantity(activations, "outputs for the batch")
    if missing or len(known) != len(rows):
        note = f"no cost formula for inner layers: {', '.join(missing[:5])}"
        return LayerCosts(None, None, None, act, param_bytes, (), note)
    macs = Quantity(
        total(Sym(n, c.macs.value, f"MACs of {n}") for n, c in known if c.macs and c.macs.value),
        "sum of the nested model's layers",
    )
    ew = Quantity(
        total(
            Sym(n, c.elementwise.value, f"element-wise operations of {n}")
            for n, c in known
            if c.elementwise and c.elementwise.value
        ),
        "sum of the nested model's layers",
    )
    return LayerCosts(macs, flops_of(macs, ew), ew, act, param_bytes)


def model_totals(
    rows: Sequence[tuple[str, str, LayerCosts]],
    options: CostOptions,
    param_bytes: Quantity,
    trainable_bytes: Quantity,
) -> CostTotals:
    """MACs, FLOPs and the training estimate P + G + O + A, each term its own formula."""
    missing = tuple(dict.fromkeys(op for _, op, c in rows if c.macs is None))
    macs = Quantity(
        total(Sym(n, c.macs.value, f"MACs of {n}") for n, _, c in rows if c.macs and c.macs.value),
        "sum of the layers' MACs",
    )
    flops = Quantity(
        total(
            Sym(n, c.flops.value, f"FLOPs of {n}") for n, _, c in rows if c.flops and c.flops.value
        ),
        "sum of the layers' FLOPs (2·MACs + element-wise operations)",
    )
    acts = Quantity(
        total(
            Sym(n, c.activation_bytes.value, f"output bytes of {n}")
            for n, _, c in rows
            if c.activation_bytes is not None and c.activation_bytes.value
        ),
        f"every layer's outputs for a batch of {options.batch}, kept for the backward pass",
    )
    G_sym = Sym("T_b", trainable_bytes.value, "bytes of the trainable parameters")
    slots = OPTIMIZERS[options.optimizer]
    gradients = Quantity(G_sym, "one gradient per trainable parameter, in its dtype")
    state = Quantity(
        Num(slots) * G_sym if slots else Num(0),
        {
            "sgd": "plain SGD keeps no state",
            "momentum": "SGD with momentum keeps 1 velocity per trainable parameter",
            "adam": "Adam keeps 2 moments (m, v) per trainable parameter",
        }[options.optimizer],
    )
    P = Sym("P", param_bytes.value, "parameter bytes")
    G = Sym("G", gradients.value, "gradient bytes")
    S = Sym("S", state.value, f"{options.optimizer} state bytes")
    A = Sym("A", acts.value, "activation bytes kept for the backward pass")
    training = Quantity(
        total((P, G, S, A)), "parameters + gradients + optimizer state + activations"
    )
    return CostTotals(
        options,
        macs,
        flops,
        param_bytes,
        gradients,
        state,
        acts,
        training,
        complete=not missing,
        missing=missing,
    )
