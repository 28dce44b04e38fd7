"""Lazy modules (nn.LazyConv2d, nn.LazyLinear…) get their parameters' shapes at their
first call: the summary gives the numbers that call will make, and leaves the user's
model uninitialized."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.parameter import is_lazy
from torch_checks import check_module

import modelmath
from modelmath.errors import UsageError


def _lazy_model() -> nn.Module:
    return nn.Sequential(
        nn.LazyConv2d(4, 3, stride=2, bias=False),
        nn.LazyBatchNorm2d(),
        nn.ReLU(),
        nn.LazyConvTranspose2d(2, 2, 2),
        nn.LazyInstanceNorm2d(affine=True),
        nn.Flatten(),
        nn.LazyLinear(5),
    )


def test_lazy_model_summarized_as_its_first_call_makes_it() -> None:
    torch.manual_seed(0)
    model, x = _lazy_model().eval(), torch.randn(2, 3, 9, 9)
    s = modelmath.summary(model, input_data=[x])
    assert all(is_lazy(p) for p in model.parameters()), "the user's model stays lazy"
    twin = _lazy_model().eval()  # torch cannot deepcopy a lazy buffer: a second one
    with torch.no_grad():
        twin(x)  # torch initializes the twin's parameters
    expected = check_module(twin, [x])  # the initialized model checked against torch
    assert s.totals.params.value == sum(p.numel() for p in twin.parameters())
    assert s.totals.buffers.value == sum(b.numel() for b in twin.buffers())
    assert s.totals.macs.value == expected.totals.macs.value
    assert [(r.path, r.op, r.outputs, r.params.value) for r in s.rows] == [
        (r.path, r.op, r.outputs, r.params.value) for r in expected.rows
    ]


def test_lazy_module_never_called_is_a_clear_error() -> None:
    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Linear(3, 4)
            self.head = nn.LazyLinear(5)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.body(x)  # type: ignore[no-any-return]

    with pytest.raises(UsageError, match="lazy module was not called") as err:
        modelmath.summary(Head(), input_size=(1, 3))
    assert "head (LazyLinear)" in str(err.value)
