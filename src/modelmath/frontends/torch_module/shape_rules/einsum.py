"""Einstein summation of two operands, with the batched product torch dispatches.

Shape rules registered into :data:`HANDLERS` (see the package docstring).

torch's einsum (``aten/src/ATen/native/Linear.cpp``) lays every operand's axes out in
one frame: the output's labels in the output's order, then the contracted labels in
label order (``A``-``Z`` before ``a``-``z``). For two operands it then multiplies and
sums with one ``bmm``: the frame's axes are sorted into those of the output present in
both operands (batch), in the left one only, contracted, and in the right one only;
each operand is permuted and reshaped to (batch, left, contracted) and (batch,
contracted, right), the two swapped when the right one's axes all come first in the
output; the product is viewed back in that order and permuted into the frame;
the contracted axes (now of size 1) are dropped by a view. The result's strides are
those of that permuted view, not row-major.

Only the plain case is followed: an explicit ``->`` (with an ellipsis where the operands
have one, over as many axes in each), no label twice in one term, every contracted label
in both operands with one size above 1, output labels of one size where both operands
have them, no empty operand. The rest (sums of a label of one operand, broadcasting,
diagonals, a product without contraction) is refused.

>>> import torch
>>> aten = []
>>> out = _einsum(("nd,edh->neh", SymTensor((24, 16), torch.float32),
...     SymTensor((4, 16, 32), torch.float32)), {}, aten)
>>> out.shape, out.stride(), aten[0].inputs
(torch.Size([24, 4, 32]), (128, 32, 1), ((1, 24, 16), (1, 16, 128)))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import _prod, _register, _sym
from modelmath.frontends.torch_module.shape_rules.views import view_strides
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymTensor,
    Unsupported,
    contiguous_strides,
)


def _terms(equation: Any, ranks: Sequence[int]) -> tuple[str, str, str]:
    """The two input terms and the output term of a plain equation, each ellipsis written
    as labels of its own (see :func:`_without_ellipsis`)."""
    if not isinstance(equation, str):
        raise Unsupported("an einsum equation that is not a string")
    text = equation.replace(" ", "")
    lhs, arrow, out = text.partition("->")
    inputs = lhs.split(",")
    if not arrow or len(inputs) != 2:
        raise Unsupported("an einsum without an explicit output or of other than two operands")
    if "..." in text:
        inputs, out = _without_ellipsis(inputs, out, ranks)
    for term in (*inputs, out):
        if not all(c.isascii() and c.isalpha() for c in term) or len(set(term)) != len(term):
            raise Unsupported("an einsum term with a repeated label")
    if not set(out) <= set(inputs[0]) | set(inputs[1]):
        raise Unsupported("an einsum output label found in no operand")
    return inputs[0], inputs[1], out


def _without_ellipsis(
    inputs: list[str], out: str, ranks: Sequence[int]
) -> tuple[list[str], str]:
    """The terms with each ``...`` replaced by letters no term uses, one per axis it
    covers (MGP-STR's ``...si,...id->...sd``). torch lays the ellipsis's axes out where
    the output's ``...`` stands, as it does labels written there: the same frame, so the
    same product. Followed only where the output keeps the ellipsis (else its axes are
    summed, in torch's own order) and every operand with one covers as many axes (else
    they broadcast, right-aligned)."""
    covered = {
        rank - len(term.replace("...", "")) for term, rank in zip(inputs, ranks) if "..." in term
    }
    if "..." not in out or len(covered) != 1 or any(t.count("...") > 1 for t in (*inputs, out)):
        raise Unsupported("an einsum ellipsis summed, broadcast, or written twice")
    (n,) = covered
    used = set("".join(inputs) + out)
    free = [c for c in _LETTERS if c not in used]
    if n < 0 or n > len(free):
        raise Unsupported("an einsum ellipsis over more axes than its operand has")
    labels = "".join(free[:n])
    return [t.replace("...", labels) for t in inputs], out.replace("...", labels)


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _sizes(terms: Sequence[str], operands: Sequence[SymTensor]) -> dict[str, int]:
    """Each label's size, the same wherever it appears (no broadcasting followed)."""
    sizes: dict[str, int] = {}
    for term, t in zip(terms, operands):
        if len(term) != t.dim():
            raise Unsupported("an einsum term of another rank than its operand")
        for label, n in zip(term, t._shape):
            if sizes.setdefault(label, n) != n:
                raise Unsupported("an einsum label of two sizes (broadcast or mismatched)")
    if 0 in sizes.values():
        raise Unsupported("an einsum of an empty operand")
    return sizes


def _output(
    left: str, right: str, out: str, sizes: Mapping[str, int], aten: list[AtenOp]
) -> tuple[Shape, Shape]:
    """The result's shape and strides, with the ``bmm`` appended, as sumproduct_pair
    makes them from the frame (output labels, then contracted ones in label order)."""
    summed = sorted(set(left + right) - set(out))
    if not summed or any(c not in left or c not in right or sizes[c] == 1 for c in summed):
        raise Unsupported("an einsum contraction other than over labels of both operands")
    frame = list(out) + summed
    # An axis counts for an operand where its size there is not 1 (an absent label is
    # an axis of size 1 after torch unsqueezes it).
    in_left = [c in left and sizes[c] != 1 for c in frame]
    in_right = [c in right and sizes[c] != 1 for c in frame]
    both = [i for i in range(len(out)) if in_left[i] and in_right[i]]
    left_only = [i for i in range(len(out)) if in_left[i] and not in_right[i]]
    right_only = [i for i in range(len(out)) if not in_left[i]]
    contracted = list(range(len(out), len(frame)))
    if left_only and right_only and right_only[-1] < left_only[0]:
        # torch swaps the operands when the right one's axes all come first in the
        # output, so that bmm writes the result in the output's order
        left_only, right_only = right_only, left_only
    groups = (both, left_only, contracted, right_only)
    b, m, k, n = (_prod([sizes[frame[i]] for i in g]) for g in groups)
    aten.append(AtenOp("bmm", ((b, m, k), (b, k, n)), (b, m, n)))
    # bmm's row-major (b, m, n), viewed as the groups' axes (contracted ones of size 1),
    # then permuted back into the frame's order.
    order = both + left_only + contracted + right_only
    grouped = tuple(1 if i in contracted else sizes[frame[i]] for i in order)
    grouped_strides = contiguous_strides(grouped)
    position = {axis: p for p, axis in enumerate(order)}
    frame_shape = tuple(grouped[position[i]] for i in range(len(frame)))
    frame_strides = tuple(grouped_strides[position[i]] for i in range(len(frame)))
    shape = tuple(sizes[c] for c in out)
    strides = view_strides(frame_shape, frame_strides, shape)
    if strides is None:  # dropping axes of size 1 is always a view
        raise Unsupported("an einsum result torch would not view")
    return shape, strides


@_register(torch.einsum)
def _einsum(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """torch.einsum(equation, a, b), or with ``[a, b]``: see the module docstring for the
    case followed."""
    operands = args[1:]
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]  # torch.einsum(equation, [a, b]) (CvT's, ProphetNet's)
    if kwargs or len(operands) != 2:
        raise Unsupported("einsum of other than an equation and two operands")
    a, b = _sym(operands[0]), _sym(operands[1])
    left, right, out = _terms(args[0], (a.dim(), b.dim()))
    if a.dtype != b.dtype or not a.dtype.is_floating_point:
        raise Unsupported("einsum of mixed or non-float dtypes")
    sizes = _sizes((left, right), (a, b))
    shape, strides = _output(left, right, out, sizes, aten)
    return SymTensor(shape, a.dtype, strides)
