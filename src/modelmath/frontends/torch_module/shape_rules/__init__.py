"""Shape rules of the torch operations the fast tracer knows, each as torch computes it.

Each rule takes the call's positional and keyword arguments as torch received them and
returns what torch would return, as :class:`SymTensor` objects of the right shape, dtype
and strides; a contraction (``mm``, ``addmm``, ``bmm``, ``convolution``) also lists the
aten operation torch would dispatch, with its operand shapes, because the MACs are
counted from those. Any case a rule does not know exactly (an argument it does not
expect, a layout it does not follow, an input torch would refuse) raises
:class:`Unsupported`, and the model is traced the general way instead. The tests compare
every rule with torch on the meta device over a grid of cases.

>>> import torch
>>> out = HANDLERS[torch.conv2d]((SymTensor((1, 3, 8, 8), torch.float32),
...     SymTensor((4, 3, 3, 3), torch.float32)), {}, [])
>>> out.shape
torch.Size([1, 4, 6, 6])
"""

from __future__ import annotations

from modelmath.frontends.torch_module.shape_rules import (  # noqa: F401  (each registers its rules)
    attention,
    conv,
    conversions,
    einsum,
    elementwise,
    extras,
    factories,
    indexing,
    inplace,
    matmul,
    nn_functional,
    norm,
    pointwise,
    pooling,
    recurrent,
    views,
)
from modelmath.frontends.torch_module.shape_rules.base import HANDLERS
from modelmath.frontends.torch_module.shape_rules.views import view_strides
from modelmath.frontends.torch_module.symbolic import SymTensor

__all__ = ["HANDLERS", "SymTensor", "view_strides"]
