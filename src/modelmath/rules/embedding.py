"""Embedding and ReversibleEmbedding: a table of input_dim rows of output_dim numbers.

>>> from modelmath.rules.base import LayerCall
>>> r = embedding(LayerCall("e", "Embedding", {"input_dim": 1000, "output_dim": 64},
...                         ((None, 20),)))
>>> r.outputs[0].values, r.weights[0].count.value
((None, 20, 64), 64000)
"""

from __future__ import annotations

from modelmath.expr import Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight
from modelmath.rules.dense import lora
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough


@rule("Embedding", "ReversibleEmbedding")
def embedding(ctx: LayerCall) -> RuleResult:
    """One learned vector of output_dim per token id: input_dim × output_dim numbers."""
    V = Sym("V", ctx.positive_int("input_dim"), "input_dim: vocabulary size")
    D = Sym("D", ctx.positive_int("output_dim"), "output_dim: size of each vector")
    table = Weight("embeddings", (V, D), meaning="one row per token id")
    weights = lora(ctx, table, "lora_embeddings")
    words = f"{V.value} token ids × {D.value} numbers each"
    if ctx.op == "ReversibleEmbedding" and ctx.get("tie_weights", True) is False:
        weights.append(Weight("reverse_embeddings", (D, V), meaning="untied output projection"))
        words += f", + an untied reverse table {D.value} × {V.value}"
    if ctx.config.get("lora_rank"):
        words += f"; lora_rank={ctx.config['lora_rank']}: table frozen, A and B trained"
    dims = (*passthrough(ctx.shape), D)
    why = "each id becomes a vector of output_dim"
    return RuleResult((OutputShape(dims, why=why),), tuple(weights), words)
