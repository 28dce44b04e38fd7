"""Dense and EinsumDense: a kernel from the input's features to the outputs, plus a bias.

With ``lora_rank`` r, Keras freezes the kernel and learns two thin matrices A (C_in × r)
and B (r × units) instead; they are float32 whatever the layer's dtype.

>>> from modelmath.rules.base import LayerCall
>>> r = einsum_dense(LayerCall("e", "EinsumDense", {"equation": "abc,cd->abd",
...     "output_shape": [None, 16], "bias_axes": "d"}, ((None, 5, 8),)))
>>> r.outputs[0].values, [w.count.value for w in r.weights]
((None, None, 16), [128, 16])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from modelmath.expr import Expr, Num, Sym
from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight, plural
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough


def lora(ctx: LayerCall, kernel: Weight, prefix: str = "lora_kernel") -> list[Weight]:
    """With lora_rank r: the kernel frozen, A (kernel axes but the last × r) and B (r × last)."""
    rank = ctx.config.get("lora_rank")
    if not rank:
        return [kernel]
    r = Sym("r", int(rank), "lora_rank")
    frozen = Weight(kernel.name, kernel.shape, False, f"{kernel.meaning} (frozen by LoRA)")
    a = Weight(
        f"{prefix}_a", (*kernel.shape[:-1], r), meaning="LoRA down-projection", dtype="float32"
    )
    b = Weight(f"{prefix}_b", (r, kernel.shape[-1]), meaning="LoRA up-projection", dtype="float32")
    return [frozen, a, b]


def _lora_words(ctx: LayerCall) -> str:
    rank = ctx.config.get("lora_rank")
    return f"; lora_rank={rank}: kernel frozen, A and B trained" if rank else ""


@rule("Dense")
def dense(ctx: LayerCall) -> RuleResult:
    """Kernel C_in × units plus `units` biases; acts on the last axis only."""
    shape = ctx.shape
    if len(shape) < 2:
        raise ctx.error("expects an input of at least 2 dimensions", received=str(shape))
    c_in = ctx.known(shape[-1], "last input dimension")
    units = ctx.positive_int("units")
    C = Sym("C_in", c_in, "input features (last axis)")
    U = Sym("U", units, "units")
    weights = lora(ctx, Weight("kernel", (C, U), meaning="one weight per input feature per unit"))
    words = f"kernel {plural(c_in, 'input')} × {plural(units, 'unit')}"
    if ctx.get("use_bias", True):
        weights.append(Weight("bias", (U,), meaning="one bias per unit"))
        words += f", + {plural(units, 'bias', 'biases')}"
    dims: tuple[Expr | None, ...] = (*passthrough(shape[:-1]), U)
    why = "the last axis becomes `units`"
    axes = ("batch", *(f"axis {i}" for i in range(1, len(shape) - 1)), "units")
    return RuleResult((OutputShape(dims, axes, why),), tuple(weights), words + _lora_words(ctx))


def _parse(ctx: LayerCall, equation: str) -> tuple[str, str, str, bool]:
    """(input, weight, output) letters and whether '...' leads; Keras's three forms."""
    eq = equation.replace("...", "0")
    for pattern, left in (
        (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", False),
        (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", True),
        (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", False),
    ):
        m = re.match(pattern, eq)
        if m:
            return m.group(1), m.group(2), m.group(3), left
    raise ctx.error(
        "needs an equation of the form ab,bc->ac (with optional ...)", received=equation
    )


def einsum_shapes(
    ctx: LayerCall,
    equation: str,
    shape: Shape,
    partial: Sequence[int | None],
    bias_axes: str | None,
) -> tuple[list[int | None], list[int], list[int] | None]:
    """(output shape, kernel shape, bias shape) exactly as Keras's EinsumDense works them out."""
    inp, wgt, outp, left = _parse(ctx, equation)
    elided = len(shape) - len(inp)
    out: list[int | None] = [shape[0], *partial]
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, shape[i])
    elif elided > 0:
        out += list(shape[len(shape) - elided :])
    if left:
        in_map = {d: i + elided - len(shape) for i, d in enumerate(inp)}
        out_map = {d: i + elided for i, d in enumerate(outp)}
    else:
        in_map = {d: i for i, d in enumerate(inp)}
        out_map = {d: i for i, d in enumerate(outp)}
    for d in inp:
        if d in out_map and out[out_map[d]] is not None and out[out_map[d]] != shape[in_map[d]]:
            raise ctx.error(f"input and output_shape disagree on axis '{d}'", received=str(shape))
    kernel: list[int] = []
    for d in wgt:
        size = out[out_map[d]] if d in out_map else shape[in_map[d]] if d in in_map else None
        kernel.append(ctx.known(size, f"size of the kernel axis '{d}'"))
    bias: list[int] | None = None
    if bias_axes:
        start = min(outp.find(c) for c in bias_axes)
        shift = elided if left else 0
        bias = []
        for i, c in enumerate(outp[start:], start=start):
            bias.append(
                ctx.known(out[i + shift], f"size of the bias axis '{c}'") if c in bias_axes else 1
            )
        if not left:
            bias += [1] * max(elided, 0)
    return out, kernel, bias


@rule("EinsumDense")
def einsum_dense(ctx: LayerCall) -> RuleResult:
    """A kernel whose axes the einsum equation names; a bias over `bias_axes`."""
    equation = str(ctx.get("equation", ""))
    raw = ctx.config.get("output_shape")
    partial = [raw] if isinstance(raw, int) else list(raw or [])
    bias_axes = ctx.config.get("bias_axes")
    out, kernel, bias = einsum_shapes(ctx, equation, ctx.shape, partial, bias_axes)
    _, wgt, outp, _ = _parse(ctx, equation)
    k_syms = tuple(Sym(f"d_{c}", s, f"size of the kernel axis '{c}'") for c, s in zip(wgt, kernel))
    weights = lora(ctx, Weight("kernel", k_syms, meaning=f"kernel with axes '{wgt}' of {equation}"))
    words = f"kernel {'×'.join(map(str, kernel))} (axes '{wgt}')"
    if bias is not None:
        b_syms = tuple(
            Num(1) if s == 1 else Sym(f"d_{c}", s, f"size of output axis '{c}'")
            for c, s in zip(
                outp[min(outp.find(c) for c in str(bias_axes)) :] + "." * len(bias), bias
            )
        )
        weights.append(Weight("bias", b_syms, meaning=f"bias over the output axes '{bias_axes}'"))
        words += f", + bias {'×'.join(map(str, bias))} (axes '{bias_axes}')"
    dims = tuple(
        None if d is None else (Sym("N", d, "batch size") if i == 0 else Num(d))
        for i, d in enumerate(out)
    )
    return RuleResult(
        (OutputShape(dims, why=f"equation {equation}"),), tuple(weights), words + _lora_words(ctx)
    )
