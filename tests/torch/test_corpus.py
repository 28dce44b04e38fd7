"""Every architecture of the corpus matches PyTorch: parameters, every call's shapes, MACs."""

from __future__ import annotations

import pytest
import torch
from corpus import CORPUS
from torch_checks import check_module

from modelmath.module_summary import ModuleStatus


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_architecture(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    s = check_module(model, inputs)
    # Every standard layer that ran got its formulas.
    for row in s.rows:
        if row.called and row.is_leaf and row.op in ("Conv2d", "Linear", "LSTM", "BatchNorm2d"):
            assert row.status is ModuleStatus.COMPUTED, row.path
        # Convolutions and linear layers explain their MACs in the layer's own terms.
        if row.called and row.op in ("Conv2d", "Linear") and row.macs.value:
            assert row.macs.why.startswith(("each output position", "every input")), row.path
