"""Dense and EinsumDense: one product of the input with the kernel.

Dense: N · (positions before the last axis) · C_in · U. EinsumDense: every output element
sums over the contracted axes (in the input and the kernel, not in the output):
N · (output elements per sample) · (product of the contracted sizes).

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("d", "Dense", {"units": 8}, ((None, 5, 4),))
>>> dense(CostCall(call, find_rule("Dense")(call), 2)).macs.value
320
"""

from __future__ import annotations

from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.conv import bias_and_activation, weight
from modelmath.costs.registry import cost
from modelmath.expr import Expr, Quantity, Sym, product, total
from modelmath.rules.dense import _parse


def lora_merge(c: CostCall) -> list[Expr]:
    """With lora_rank r, Keras forms kernel + A·B on each call: C_in·r·U more MACs (A·B's
    count is the product of A's axes and B's last axis)."""
    names = {w.name.rsplit("/", 1)[-1]: w for w in c.result.weights}
    a, b = names.get("lora_kernel_a"), names.get("lora_kernel_b")
    if a is None or b is None:
        return []
    return [product((*a.shape, b.shape[-1]))]


@cost("Dense")
def dense(c: CostCall) -> OpCost:
    """N · positions · C_in · U (the kernel's own formula), + the LoRA merge if any."""
    shape = c.call.inputs[0]
    rows = c.batch * c.positions(shape, drop_last=True)
    macs = total((rows * weight(c, "kernel").count, *lora_merge(c)))
    why = "every input vector times the kernel: N · positions · C_in · U"
    if c.call.config.get("lora_rank"):
        why += ", + C_in · r · U to merge the LoRA matrices into the kernel"
    return OpCost(Quantity(macs, why), bias_and_activation(c, c.out_elements()))


@cost("EinsumDense")
def einsum_dense(c: CostCall) -> OpCost:
    """N · output elements per sample · contracted sizes (the kernel axes not in the output)."""
    equation = str(c.call.get("equation", ""))
    _, kernel_axes, out_axes, _ = _parse(c.call, equation)
    kernel = weight(c, "kernel")
    contracted = [
        Sym(f"d_{axis}", int(size.value), f"contracted axis '{axis}'")
        for axis, size in zip(kernel_axes, kernel.shape)
        if axis not in out_axes
    ]
    macs = total((c.out_elements() * product(contracted), *lora_merge(c)))
    why = f"each output element of {equation} sums over the contracted axes"
    return OpCost(Quantity(macs, why), bias_and_activation(c, c.out_elements()))
