"""Attention layers: MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention.

MultiHeadAttention learns four projections: query, key and value map each input's last
axis to H heads of key_dim (value_dim for values); the output projection maps the H heads
back to the query's last axis (or `output_shape`). Each has a bias over its output axes.

>>> from modelmath.rules.base import LayerCall
>>> r = multi_head_attention(LayerCall("mha", "MultiHeadAttention",
...     {"num_heads": 2, "key_dim": 4}, ((None, 5, 8), (None, 7, 8))))
>>> r.outputs[0].values, sum(int(w.count.value) for w in r.weights)
((None, 5, 8), 288)
"""

from __future__ import annotations

from modelmath.expr import Expr, Sym
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough


def _projection(
    name: str, d_in: Expr, out: tuple[Expr, ...], use_bias: bool, what: str
) -> list[Weight]:
    weights = [Weight(f"{name}/kernel", (d_in, *out), meaning=what)]
    if use_bias:
        weights.append(Weight(f"{name}/bias", out, meaning=f"{name} bias, one per output value"))
    return weights


def _qkv(ctx: LayerCall) -> tuple[Shape, Shape, Shape]:
    """(query, value, key) shapes, by position or keyword; key defaults to value as in Keras.
    Mask tensors (attention_mask=, mask=…) change no shape and are left out."""
    positional, named = ctx.arguments()
    order = [*positional]
    for role in ("query", "value", "key"):
        if role in named:
            order.insert(("query", "value", "key").index(role), named[role])
    if len(order) < 2:
        raise ctx.error(
            "needs a query and a value",
            received=f"{len(ctx.inputs)} input(s)",
            fix=f"Call it as {ctx.op}()(query, value)",
        )
    query, value = order[0], order[1]
    key = order[2] if len(order) > 2 else value
    if value[1:-1] != key[1:-1]:
        raise ctx.error(
            "needs value and key shapes that agree except on the last axis",
            received=f"value {value}, key {key}",
        )
    return query, value, key


def _scores_wanted(ctx: LayerCall) -> bool:
    """return_attention_scores=True is an argument of the call, not of the config."""
    return bool(ctx.option("return_attention_scores", False))


@rule("MultiHeadAttention")
def multi_head_attention(ctx: LayerCall) -> RuleResult:
    """Query, key, value and output projections, each a kernel and a bias."""
    query, value, key = _qkv(ctx)
    H = Sym("H", ctx.positive_int("num_heads"), "heads")
    Dk = Sym("d_k", ctx.positive_int("key_dim"), "key_dim: size of each query/key head")
    v_dim = ctx.config.get("value_dim")
    Dv = Sym("d_v", int(v_dim), "value_dim: size of each value head") if v_dim else Dk
    Dq = Sym("C_q", ctx.known(query[-1], "query's last axis"), "query features")
    DkIn = Sym("C_k", ctx.known(key[-1], "key's last axis"), "key features")
    DvIn = Sym("C_v", ctx.known(value[-1], "value's last axis"), "value features")
    raw_out = ctx.config.get("output_shape")
    if raw_out is None:
        out_dims: tuple[Expr, ...] = (Dq,)
    else:
        sizes = [raw_out] if isinstance(raw_out, int) else list(raw_out)
        out_dims = tuple(
            Sym(f"O_{i}" if len(sizes) > 1 else "O", int(s), "output_shape")
            for i, s in enumerate(sizes)
        )
    bias = ctx.get("use_bias", True) is not False
    weights = _projection("query", Dq, (H, Dk), bias, "query features → H heads of key_dim")
    weights += _projection("key", DkIn, (H, Dk), bias, "key features → H heads of key_dim")
    if ctx.get("use_gate", False):
        weights += _projection(
            "gate", Dq, (H, Dv), bias, "query features → a sigmoid gate per head"
        )
    weights += _projection("value", DvIn, (H, Dv), bias, "value features → H heads of value_dim")
    kernel = [
        Weight(
            "attention_output/kernel", (H, Dv, *out_dims), meaning="H heads of value_dim → output"
        )
    ]
    if bias:
        kernel.append(Weight("attention_output/bias", out_dims, meaning="output bias"))
    weights += kernel
    n = 5 if ctx.get("use_gate", False) else 4
    words = (
        f"{n} projections: query {Dq.value}→{H.value}×{Dk.value}, "
        f"key {DkIn.value}→{H.value}×{Dk.value}, "
        f"value {DvIn.value}→{H.value}×{Dv.value}, output {H.value}×{Dv.value}→"
        f"{'×'.join(str(d.value) for d in out_dims)}"
    )
    words += "; each with a bias over its outputs" if bias else "; use_bias=False: no biases"
    kept = passthrough(query)
    outs = [OutputShape((*kept[:-1], *out_dims), why="the query's shape, last axis projected back")]
    if _scores_wanted(ctx):
        # Keras reports (batch, heads, T_q, T_q) here: the query length on both axes.
        t = kept[1] if len(kept) > 1 else None
        outs.append(OutputShape((kept[0], H, t, t), why="attention scores per head"))
    return RuleResult(tuple(outs), tuple(weights), words)


@rule("GroupQueryAttention", "GroupedQueryAttention")
def group_query_attention(ctx: LayerCall) -> RuleResult:
    """Query heads share fewer key/value heads; four projections as in MultiHeadAttention."""
    query, value, key = _qkv(ctx)
    if query[-1] != value[-1]:
        raise ctx.error(
            "needs query and value with the same last axis", received=f"{query}, {value}"
        )
    Hq = Sym("H_q", ctx.positive_int("num_query_heads"), "query heads")
    Hkv = Sym("H_kv", ctx.positive_int("num_key_value_heads"), "key/value heads")
    D = Sym("d_h", ctx.positive_int("head_dim"), "head_dim")
    M = Sym("C", ctx.known(query[-1], "query's last axis"), "model features (query's last axis)")
    Ck = Sym("C_k", ctx.known(key[-1], "key's last axis"), "key features")
    Cv = Sym("C_v", ctx.known(value[-1], "value's last axis"), "value features")
    bias = ctx.get("use_bias", True) is not False
    weights = _projection("query", M, (Hq, D), bias, "features → query heads")
    weights += _projection("key", Ck, (Hkv, D), bias, "features → shared key heads")
    if ctx.get("use_gate", False):
        weights += _projection("gate", M, (Hq, D), bias, "features → a sigmoid gate per query head")
    weights += _projection("value", Cv, (Hkv, D), bias, "features → shared value heads")
    weights.append(Weight("attention_output/kernel", (Hq, D, M), meaning="query heads → features"))
    if bias:
        weights.append(Weight("attention_output/bias", (M,), meaning="output bias"))
    words = (
        f"query {M.value}→{Hq.value}×{D.value}, key and value →{Hkv.value}×{D.value} each "
        f"(shared by groups of query heads), output {Hq.value}×{D.value}→{M.value}"
    )
    kept = passthrough(query)
    outs = [OutputShape(kept, why="same shape as the query")]
    if _scores_wanted(ctx):
        t_k = passthrough(key)[1]
        outs.append(OutputShape((kept[0], Hq, kept[1], t_k), why="attention scores per query head"))
    return RuleResult(tuple(outs), tuple(weights), words)


@rule("Attention", "AdditiveAttention")
def dot_attention(ctx: LayerCall) -> RuleResult:
    """Luong (dot) or Bahdanau (additive) attention: at most a learned scale."""
    query, value, key = _qkv(ctx)
    weights: list[Weight] = []
    if ctx.op == "AdditiveAttention":
        if ctx.get("use_scale", True):
            d = Sym("C", ctx.known(query[-1], "query's last axis"), "features")
            weights.append(Weight("scale", (d,), meaning="one scale per feature"))
    else:
        if ctx.get("use_scale", False):
            weights.append(Weight("scale", (), meaning="one scalar scale of the scores"))
        if ctx.get("score_mode", "dot") == "concat":
            weights.append(
                Weight("concat_score_weight", (), meaning="scalar weight of the concat score")
            )
    kept_q, kept_v, kept_k = passthrough(query), passthrough(value), passthrough(key)
    outs = [OutputShape((*kept_q[:-1], kept_v[-1]), why="one value vector per query step")]
    if _scores_wanted(ctx):
        outs.append(OutputShape((*kept_q[:-1], kept_k[-2]), why="scores: query steps × key steps"))
    words = " + ".join(w.name for w in weights) or "no weights"
    return RuleResult(tuple(outs), tuple(weights), words)
