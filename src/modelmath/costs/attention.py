"""Attention: the projections, and the two products the layer itself computes — the
scores Q·K^T and the weighted sum of the values — for every head.

MultiHeadAttention attends over all axes between the batch and the features (Keras's
default ``attention_axes``), so T below is the product of those sizes.

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("m", "MultiHeadAttention", {"num_heads": 2, "key_dim": 4},
...                  ((None, 5, 8), (None, 7, 8)))
>>> multi_head_attention(CostCall(call, find_rule("MultiHeadAttention")(call))).macs.value
2096
"""

from __future__ import annotations

from modelmath.costs.activation import SOFTMAX_OPS
from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.conv import weight
from modelmath.costs.registry import cost
from modelmath.expr import Expr, Num, Quantity, Sym, total
from modelmath.graph import Shape


def _steps(c: CostCall, shape: Shape, name: str, what: str) -> Expr:
    return Sym(name, int(c.positions(shape, drop_last=True).value), f"{what} positions")


def _bias_count(c: CostCall, rows: dict[str, Expr]) -> Expr:
    """One add per bias element per row the projection is applied to."""
    terms = [
        rows[w.name.split("/")[0]] * w.count
        for w in c.result.weights
        if w.name.endswith("/bias") and w.name.split("/")[0] in rows
    ]
    return total(terms)


def _gqa_heads(c: CostCall) -> tuple[Expr, Expr, Expr]:
    H = Sym("H", int(c.call.get("num_query_heads")), "query heads")
    D = Sym("d_h", int(c.call.get("head_dim")), "head_dim")
    return H, D, D


@cost("MultiHeadAttention", "GroupQueryAttention", "GroupedQueryAttention")
def multi_head_attention(c: CostCall) -> OpCost:
    """Projections (q, k, v, output) + H·T_q·T_k·d_k for the scores + H·T_q·T_k·d_v for
    the weighted sum, all × N."""
    query, value = c.call.inputs[0], c.call.inputs[1]
    key = c.call.inputs[2] if len(c.call.inputs) > 2 else value
    N = c.batch
    Tq, Tk = _steps(c, query, "T_q", "query"), _steps(c, key, "T_k", "key")
    Tv = Tk if key[1:-1] == value[1:-1] else _steps(c, value, "T_v", "value")
    H: Expr
    Dk: Expr
    if c.call.op == "MultiHeadAttention":
        H = Sym("H", int(c.call.get("num_heads")), "heads")
        Dk = Sym("d_k", int(c.call.get("key_dim")), "key_dim")
        v_dim = c.call.config.get("value_dim")
        Dv: Expr = Sym("d_v", int(v_dim), "value_dim") if v_dim else Dk
    else:
        H, Dk, Dv = _gqa_heads(c)
    rows = {"query": Tq, "key": Tk, "value": Tv, "attention_output": Tq, "gate": Tq}
    projections = total(
        rows[name] * weight(c, f"{name}/kernel").count
        for name in ("query", "key", "gate", "value", "attention_output")
        if any(w.name == f"{name}/kernel" for w in c.result.weights)
    )
    scores = H * Tq * Tk * Dk
    weighted = H * Tq * Tk * Dv
    macs = N * total((projections, scores, weighted))
    why = "projections (rows · kernel) + scores Q·K^T + weighted sum of the values, per head"
    # 1/√d_k scales the query; softmax over the scores; bias adds; a gate's sigmoid and product.
    ew_terms: list[Expr] = [H * Tq * Dk, Num(SOFTMAX_OPS) * H * Tq * Tk, _bias_count(c, rows)]
    if any(w.name == "gate/kernel" for w in c.result.weights):
        ew_terms.append(Num(2) * H * Tq * Dv)
    ew = Quantity(
        N * total(ew_terms),
        f"query scaling (1 per query element), softmax ({SOFTMAX_OPS} per score), bias adds",
    )
    return OpCost(Quantity(macs, why), ew)


@cost("Attention", "AdditiveAttention")
def dot_attention(c: CostCall) -> OpCost:
    """Scores (T_q·T_k·d, a dot product or Σ scale·tanh(q + k)) + weighted sum T_q·T_k·d_v."""
    query, value = c.call.inputs[0], c.call.inputs[1]
    key = c.call.inputs[2] if len(c.call.inputs) > 2 else value
    Tq, Tk = _steps(c, query, "T_q", "query"), _steps(c, key, "T_k", "key")
    D = Sym("d", c.call.known(query[-1], "query's last axis"), "query features")
    Dv = Sym("d_v", c.call.known(value[-1], "value's last axis"), "value features")
    N = c.batch
    additive = c.call.op == "AdditiveAttention" or c.call.get("score_mode", "dot") == "concat"
    # An additive score is Σ_d scale_d · tanh(q_d + k_d): a product with the scale vector
    # when there is one (AdditiveAttention's use_scale), otherwise a plain sum.
    scaled_sum = c.call.op == "AdditiveAttention" and c.call.get("use_scale", True)
    score_macs = not additive or scaled_sum
    products = [Tq * Tk * D] if score_macs else []
    macs = N * total((*products, Tq * Tk * Dv))
    why = ("scores over the features (T_q·T_k·d) + " if score_macs else "") + (
        "weighted sum of the values (T_q·T_k·d_v)"
    )
    ew_terms: list[Expr] = [Num(SOFTMAX_OPS) * Tq * Tk]
    ew_why = f"softmax ({SOFTMAX_OPS} per score)"
    if additive:
        per = 2 if score_macs else 3
        ew_terms.append(Num(per) * Tq * Tk * D)
        ew_why += ", q + k and tanh" + ("" if score_macs else " and the sum") + " per feature"
        if c.call.op == "Attention":
            ew_terms.append(Tq * Tk)
            ew_why += ", the concat score weight per score"
    elif c.call.get("use_scale", False):
        ew_terms.append(Tq * Tk)
        ew_why += ", the scale per score"
    return OpCost(Quantity(macs, why), Quantity(N * total(ew_terms), ew_why))
