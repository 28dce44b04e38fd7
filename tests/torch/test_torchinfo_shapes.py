"""Every corpus model's rows against torchinfo's (issue 6, point 5: shapes equal
torchinfo's): the same layers in the same order, the same input and output sizes, and
the same parameters for each layer whose weights are its own.

torchinfo writes one size per layer: the first tensor of a tuple, the last value of a
dict, a nested list otherwise. Our rows keep every tensor, so each row's shape tree is
turned into empty meta tensors and given to torchinfo's own ``LayerInfo.calculate_size``:
what torchinfo would print for those shapes.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from corpus import CORPUS

import modelmath
from modelmath.module_summary import ModuleSummary

torchinfo = pytest.importorskip("torchinfo", reason="torchinfo is the peer compared here")
from torchinfo.layer_info import LayerInfo  # noqa: E402


def _as_meta(tree: Any) -> Any:
    """A shape tree as torchinfo sees outputs: each shape an empty meta tensor."""
    if isinstance(tree, tuple) and all(isinstance(d, int) for d in tree):
        return torch.empty(tree, device="meta")
    if isinstance(tree, dict):
        return {k: _as_meta(v) for k, v in tree.items()}
    if isinstance(tree, (tuple, list)):
        return type(tree)(_as_meta(t) for t in tree)
    return tree


def _torchinfo_size(tree: Any) -> Any:
    return LayerInfo.calculate_size(_as_meta(tree), None)[0]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_rows_match_torchinfo(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    model.eval()
    s = modelmath.summary(model, input_data=inputs, depth=99)
    assert isinstance(s, ModuleSummary)
    theirs = [
        layer
        for layer in torchinfo.summary(model, input_data=inputs, verbose=0, depth=99).summary_list
        if layer.executed
    ]
    ours = [r for r in s.rows if r.called]
    assert [layer.var_name for layer in theirs] == [
        r.path.rsplit(".", 1)[-1] if r.path else type(model).__name__ for r in ours
    ]
    for layer, row in zip(theirs, ours):
        where = row.path or "(the model)"
        assert _torchinfo_size(row.inputs) == layer.input_size, f"{where}: input"
        assert _torchinfo_size(row.outputs) == layer.output_size, f"{where}: output"
        # torchinfo counts a tied weight again where it is reused; ours counts it once,
        # where it is defined (held to sum(p.numel()) by test_corpus.py).
        own = not row.call_index and not any(w.reused for w in row.weights)
        if layer.is_leaf_layer and not layer.is_recursive and own:
            assert row.params.value == layer.num_params, f"{where}: parameters"
