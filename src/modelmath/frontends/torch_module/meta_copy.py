"""A copy of a PyTorch module whose tensors live on the ``meta`` device.

The user's model is never altered and never moved: :func:`meta_copy` deep-copies the
module tree with a ``memo`` that already maps every parameter, buffer and tensor
attribute to a meta tensor of the same shape, dtype and ``requires_grad``. ``deepcopy``
then reuses those meta tensors instead of copying the real ones, so the copy costs no
weight memory, and a parameter shared by two modules (tied embeddings) maps to one meta
parameter: the copy keeps the sharing.

>>> import torch
>>> lin = torch.nn.Linear(4, 2)
>>> m = meta_copy(lin)
>>> m.weight.device.type, lin.weight.device.type, m.weight.shape
('meta', 'cpu', torch.Size([2, 4]))
"""

from __future__ import annotations

import copy
from typing import Any

import torch


def _to_meta(t: torch.Tensor) -> torch.Tensor:
    """The meta twin of ``t``: same shape, dtype and gradient flag, no storage."""
    if t.device.type == "meta" and not isinstance(t, torch.nn.Parameter):
        return t
    meta = torch.empty(t.shape, dtype=t.dtype, device="meta")
    if isinstance(t, torch.nn.Parameter):
        return torch.nn.Parameter(meta, requires_grad=t.requires_grad)
    return meta


def meta_memo(model: torch.nn.Module) -> dict[int, Any]:
    """A deepcopy memo mapping each tensor the module tree holds to its meta twin."""
    memo: dict[int, Any] = {}
    for module in model.modules():
        tensors: list[torch.Tensor | None] = [
            *module._parameters.values(),
            *module._buffers.values(),
            *(v for v in vars(module).values() if isinstance(v, torch.Tensor)),
        ]
        for t in tensors:
            if t is not None and id(t) not in memo:
                memo[id(t)] = _to_meta(t)
    return memo


def meta_copy(model: torch.nn.Module) -> torch.nn.Module:
    """A deep copy of ``model`` on the meta device; ``model`` itself is left as it was."""
    memo = meta_memo(model)
    # deepcopy consults the memo by id before copying anything, so no real tensor is
    # duplicated; the memo also keeps the originals alive while the copy is made.
    return copy.deepcopy(model, memo)
