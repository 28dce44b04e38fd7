"""Subclasses of torch.nn layers, as model zoos write them (found by the transformers
sweep): one that runs its own ``forward`` is explained by its base layer's rule where the
rule agrees with its calls and observed like a custom module where it does not (never
marked as disagreeing); one that keeps the layer's ``forward`` is explained by it."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn
from torch.nn import functional as F
from torch_checks import check_module

from modelmath.module_summary import ModuleStatus, ModuleSummary


class ChannelsFirstLayerNorm(nn.LayerNorm):
    """ConvNeXt's and SAM's LayerNorm: normalizes (N, C, H, W) over C."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class CausalConv1d(nn.Conv1d):
    """Left padding by the kernel's reach: the output keeps the input's length."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        reach = self.dilation[0] * (self.kernel_size[0] - 1)
        return super().forward(F.pad(x, (reach, 0)))


class Router(nn.Linear):
    """Llama 4's router: a Linear that returns its top-k scores and its logits."""

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # type: ignore[override]
        logits = super().forward(x)
        return torch.sigmoid(logits), logits


class PositionEmbedding(nn.Embedding):
    """ProphetNet's: given a shape, not ids; returns the vectors and the positions."""

    def forward(self, shape: torch.Size) -> tuple[torch.Tensor, torch.Tensor]:  # type: ignore[override]
        positions = torch.arange(shape[1]).expand(shape[0], -1)
        return super().forward(positions), positions


class ScaledEmbedding(nn.Embedding):
    """Gemma's: its own forward, whose shapes are still the Embedding's."""

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return super().forward(ids) * self.embedding_dim**0.5


class PlainConv(nn.Conv2d):
    """A subclass that keeps Conv2d's forward: Conv2d's rule explains it."""


class _Wrap(nn.Module):
    """Calls ``layer`` the way a model does (the shape-taking embedding gets a shape)."""

    def __init__(self, layer: nn.Module, by_shape: bool = False) -> None:
        super().__init__()
        self.layer, self.by_shape = layer, by_shape

    def forward(self, x: torch.Tensor) -> Any:
        return self.layer(x.shape if self.by_shape else x)


CASES = {
    "channels_first_layer_norm": (lambda: _Wrap(ChannelsFirstLayerNorm(8)), (2, 8, 5, 5)),
    "causal_conv1d": (lambda: _Wrap(CausalConv1d(4, 6, 3, dilation=2)), (2, 4, 11)),
    "router_linear": (lambda: _Wrap(Router(8, 4, bias=False)), (10, 8)),
    "embedding_given_a_shape": (lambda: _Wrap(PositionEmbedding(16, 8), by_shape=True), (2, 7)),
}


def _row(s: ModuleSummary, path: str) -> Any:
    return next(r for r in s.rows if r.path == path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_own_forward_is_observed(name: str) -> None:
    build, shape = CASES[name]
    torch.manual_seed(0)
    s = check_module(build(), [torch.randn(*shape)])  # no rule disagrees, nothing crashes
    assert _row(s, "layer").status is ModuleStatus.OBSERVED


def test_inherited_forward_keeps_the_rule() -> None:
    s = check_module(_Wrap(PlainConv(3, 4, 3)), [torch.randn(1, 3, 8, 8)])
    row = _row(s, "layer")
    assert row.status is ModuleStatus.COMPUTED
    assert row.output_formulas, "Conv2d's rule gives the output's formula"


def test_own_forward_that_agrees_keeps_the_rule() -> None:
    s = check_module(_Wrap(ScaledEmbedding(20, 8)), [torch.randint(0, 20, (2, 5))])
    row = _row(s, "layer")
    assert row.status is ModuleStatus.COMPUTED
    assert row.params_why, "Embedding's rule gives the parameters' formula"
