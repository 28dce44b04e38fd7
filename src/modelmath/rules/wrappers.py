"""Wrapper layers whose config holds another layer: Bidirectional, TimeDistributed,
SpectralNormalization. The inner layer's own rule does the work.

>>> from modelmath.rules.base import LayerCall
>>> lstm = {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}}
>>> r = bidirectional(LayerCall("b", "Bidirectional", {"layer": lstm}, ((None, 7, 3),)))
>>> r.outputs[0].values, sum(int(w.count.value) for w in r.weights)
((None, 8), 256)
"""

from __future__ import annotations

from modelmath.expr import Expr, Num, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight
from modelmath.rules.inner import inner_config, run_inner
from modelmath.rules.registry import rule

MERGE_MODES = ("concat", "sum", "ave", "mul", None)


@rule("Bidirectional")
def bidirectional(ctx: LayerCall) -> RuleResult:
    """A forward and a backward copy of an RNN; their outputs merged by merge_mode."""
    op, cfg = inner_config(ctx, "layer")
    shape = ctx.inputs[:1]
    forward = run_inner(ctx, op, cfg, shape)
    if ctx.config.get("backward_layer") is not None:
        b_op, b_cfg = inner_config(ctx, "backward_layer")
    else:
        b_op, b_cfg = op, {**cfg, "name": f"backward_{cfg.get('name', op.lower())}"}
    backward = run_inner(ctx, b_op, b_cfg, shape)
    mode = ctx.config.get("merge_mode", "concat")
    if mode not in MERGE_MODES:
        raise ctx.error(
            "merge_mode must be 'concat', 'sum', 'ave', 'mul' or None", received=repr(mode)
        )
    out, states = forward.outputs[0], forward.outputs[1:]
    if mode == "concat":
        last = out.dims[-1]
        doubled: Expr | None = None if last is None else Num(2) * last
        merged: tuple[OutputShape, ...] = (
            OutputShape(
                (*out.dims[:-1], doubled), out.axes, f"{out.why}; concat of both directions"
            ),
        )
    elif mode is None:
        merged = (out, out)  # merge_mode=None returns both directions' outputs
    else:
        merged = (OutputShape(out.dims, out.axes, f"{out.why}; {mode} of both directions"),)
    fwd = [
        Weight(f"forward_{w.name}", w.shape, w.trainable, w.meaning, w.dtype)
        for w in forward.weights
    ]
    bwd = [
        Weight(f"backward_{w.name}", w.shape, w.trainable, w.meaning, w.dtype)
        for w in backward.weights
    ]
    words = f"two copies of the {op}, forward and backward: 2 × ({forward.params_why})"
    if backward.params_why != forward.params_why:
        words = f"forward {op}: {forward.params_why}; backward {b_op}: {backward.params_why}"
    return RuleResult((*merged, *states, *states), (*fwd, *bwd), words)


@rule("TimeDistributed")
def time_distributed(ctx: LayerCall) -> RuleResult:
    """The inner layer applied to every time step: its weights are shared by the steps."""
    shape = ctx.shape
    if len(shape) < 3:
        raise ctx.error(
            "expects an input of at least 3 dimensions (batch, steps, …)", received=str(shape)
        )
    op, cfg = inner_config(ctx, "layer")
    inner = run_inner(ctx, op, cfg, ((shape[0], *shape[2:]),))
    steps = None if shape[1] is None else Sym("T", shape[1], "time steps")
    outs = tuple(
        OutputShape((o.dims[0], steps, *o.dims[1:]), why=f"the {op} applied to each of the steps")
        for o in inner.outputs
    )
    return RuleResult(outs, inner.weights, f"one {op} shared by every step: {inner.params_why}")


@rule("SpectralNormalization")
def spectral_normalization(ctx: LayerCall) -> RuleResult:
    """The wrapped layer's weights, plus vector_u (1 × last kernel axis) for power iteration."""
    op, cfg = inner_config(ctx, "layer")
    inner = run_inner(ctx, op, cfg, ctx.inputs)
    kernels = [w for w in inner.weights if w.name.endswith(("/kernel", "/embeddings"))]
    if not kernels:
        raise ctx.error(f"wraps a {op}, which has no kernel or embeddings to normalize")
    last = kernels[0].shape[-1]
    u = Weight(
        "vector_u",
        (Num(1), last),
        trainable=False,
        meaning="power-iteration estimate of the kernel's top singular vector, not trained",
    )
    return RuleResult(
        inner.outputs, (*inner.weights, u), f"{inner.params_why}, + vector_u (not trained)"
    )
