"""MACs of the contractions a traced PyTorch pass dispatched, each with its formula.

The operations and the counts are those of ``torch.utils.flop_counter`` (which counts
2 FLOPs per MAC): ``mm`` and ``addmm`` M·K·N, ``bmm`` and ``baddbmm`` B·M·K·N, a
convolution N · positions · C_out · C_in/g · |window| (input positions when transposed);
and ``_grouped_mm``, which it does not count, as the products it is made of: rows (S, K)
by expert matrices (E, K, N) cost S·K·N, as the same experts run as ``bmm`` do.
Bias additions and element-wise work are not MACs. A functional call that dispatched
to several contractions sums them; ``F.scaled_dot_product_attention`` is written in its
own terms, N·H·L·S·E + N·H·L·S·E_v (scores, then the weighted sum of values).

>>> from modelmath.frontends.torch_module.records import AtenOp
>>> aten_macs(AtenOp("bmm", ((4, 5, 8), (4, 8, 5)), (4, 5, 5))).value
800
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from modelmath.expr import Expr, Num, Quantity, Sym, product, total
from modelmath.frontends.torch_module.records import AtenOp, FunctionCall

_Labels = tuple[tuple[str, str], ...]  # (name, meaning) of each factor of a formula


def _prod(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def aten_macs(op: AtenOp) -> Expr:
    """The MACs of one contraction, as a formula of its sizes."""
    a, b = op.inputs
    if op.op in ("mm", "addmm"):
        return product(
            (
                Sym("M", a[0], "rows of the left matrix"),
                Sym("K", a[1], "contracted size"),
                Sym("N", b[1], "columns of the right matrix"),
            )
        )
    if op.op == "_grouped_mm":
        return _grouped(op)
    if op.op in ("bmm", "baddbmm"):
        return product(
            (
                Sym("B", a[0], "batched products"),
                Sym("M", a[1], "rows of each left matrix"),
                Sym("K", a[2], "contracted size"),
                Sym("N", b[2], "columns of each right matrix"),
            )
        )
    # convolution: weight (C_out, C_in/g, K…) or, transposed, (C_in, C_out/g, K…)
    x, w = a, b
    transposed = bool(op.config.get("transposed", False))
    positions = x[2:] if transposed else op.output[2:]
    sizes, kernel = _conv_labels(len(positions), transposed)
    factors: list[Expr] = [
        Sym(name, n, meaning) for (name, meaning), n in zip(sizes, (x[0], *positions, w[0], w[1]))
    ]
    factors += [Sym(name, k, meaning) for (name, meaning), k in zip(kernel, w[2:])]
    return product(factors)


@lru_cache(maxsize=64)
def _conv_labels(rank: int, transposed: bool) -> tuple[_Labels, _Labels]:
    """(name, meaning) of each factor of a convolution's MACs: N, the positions, C_o and
    C_i; then of each kernel side. The same for every convolution of a rank: made once
    (a pure function of two small values), not as f-strings at every layer."""
    where = "in" if transposed else "out"
    axes = _AXES.get(rank, tuple((f"d{i}", f"axis {i}") for i in range(rank)))
    sizes = [("N", "batch size")]
    sizes += [(f"{s}_{where}", f"{where}put {word}") for s, word in axes]
    sizes += [
        ("C_o", "input channels" if transposed else "output channels"),
        ("C_i", ("output" if transposed else "input") + " channels per group"),
    ]
    kernel = [(f"K_{s.lower()}" if len(axes) > 1 else "K", f"kernel {word}") for s, word in axes]
    return tuple(sizes), tuple(kernel)


def _grouped(op: AtenOp) -> Expr:
    """A grouped product (mixture-of-experts layers): each output element is a dot
    product of the contracted size K, whichever group's matrix made it; rows (S, K)
    by expert matrices (E, K, N) give S·K·N."""
    a, b = op.inputs
    K = Sym("K", a[-1], "contracted size")
    if len(a) == 2 and len(b) == 3:
        rows = Sym("S", a[0], "rows routed to the experts (tokens × experts per token)")
        return product((rows, K, Sym("N", b[2], "columns of each expert's matrix")))
    if len(a) == 2 and len(b) == 2:  # the groups split K: an (M, N) product in all
        return product((Sym("M", a[0], "rows"), K, Sym("N", b[1], "columns")))
    lead = _prod(op.output[:-1])
    return product((Sym("M", lead, "output rows"), K, Sym("N", op.output[-1], "columns")))


_AXES = {
    1: (("L", "length"),),
    2: (("H", "height"), ("W", "width")),
    3: (("D", "depth"), ("H", "height"), ("W", "width")),
}


def _sdpa(fn: FunctionCall) -> Expr | None:
    """N·H·L·S·E + N·H·L·S·E_v from the query, key and value shapes."""
    if len(fn.inputs) < 3 or any(len(s) < 2 for s in fn.inputs[:3]):
        return None
    q, k, v = fn.inputs[:3]
    lead = _prod(q[:-2])
    N = Sym("N·H", lead, "batch × heads (the query's leading axes)")
    L = Sym("L", q[-2], "query length")
    S = Sym("S", k[-2], "key length")
    return total(
        (
            product((N, L, S, Sym("E", q[-1], "query/key size"))),
            product((N, L, S, Sym("E_v", v[-1], "value size"))),
        )
    )


def function_macs(fn: FunctionCall) -> Quantity:
    """MACs of a functional call: its contractions, in the call's own terms when known."""
    if not fn.aten:
        return Quantity(Num(0), "no contraction")
    if fn.name.endswith("scaled_dot_product_attention"):
        counted = sum(int(aten_macs(op).value) for op in fn.aten)
        own = _sdpa(fn)
        if own is not None and own.value == counted:
            return Quantity(own, "scores Q·Kᵀ, then the weights times V")
    if len(fn.aten) == 1:  # the usual call, a layer's one product: the loop below, made short
        op = fn.aten[0]
        return Quantity(aten_macs(op), f"{op.op} (multiply-accumulates of each product)")
    # A recurrent layer runs the same product at every step: n × (one product).
    groups: dict[tuple[str, tuple[tuple[int, ...], ...]], list[AtenOp]] = {}
    for op in fn.aten:
        groups.setdefault((op.op, op.inputs), []).append(op)
    parts: list[Expr] = []
    words: list[str] = []
    for (name, _), ops in groups.items():
        one = aten_macs(ops[0])
        if len(ops) == 1:
            parts.append(one)
            words.append(name)
        else:
            parts.append(Sym("n", len(ops), f"{name} calls of this size") * one)
            words.append(f"{len(ops)} × {name}")
    return Quantity(total(parts), f"{' + '.join(words)} (multiply-accumulates of each product)")
