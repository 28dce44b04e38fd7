"""One checking helper for PyTorch summaries: PyTorch itself is the oracle.

- parameters: ``sum(p.numel())`` over the unique parameters (and the trainable split);
- shapes: every module call's outputs equal the real forward pass's on CPU;
- MACs: ``torch.utils.flop_counter.FlopCounterMode`` FLOPs / 2, counted on a meta copy
  (on CPU it counts no FLOPs for scaled_dot_product_attention's fused kernel);
- the model is left as it was (device, values), and no rule disagrees with the pass.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

import modelmath
from modelmath.frontends.torch_module.records import tree_shapes
from modelmath.frontends.torch_module.tracer import to_tree
from modelmath.module_summary import ModuleStatus, ModuleSummary


def _call(model: torch.nn.Module, inputs: list[Any] | Mapping[str, Any]) -> Any:
    """``model`` run on positional inputs, or on keyword inputs given as a mapping."""
    if isinstance(inputs, Mapping):
        return model(**inputs)
    return model(*inputs)


def real_calls(
    model: torch.nn.Module, inputs: list[Any] | Mapping[str, Any]
) -> list[tuple[str, Any]]:
    """(module path, output shapes) of each module call of a real CPU forward pass."""
    names = {}
    for name, m in model.named_modules(remove_duplicate=False):
        names.setdefault(id(m), name)
    # Rows are in call order (a parent before its children): open a slot when a call
    # starts, fill it when it ends.
    seen: list[list[Any]] = []
    open_calls: list[list[Any]] = []

    def start(mod: torch.nn.Module, _i: Any) -> None:
        slot = [names[id(mod)], None]
        seen.append(slot)
        open_calls.append(slot)

    def end(mod: torch.nn.Module, _i: Any, out: Any) -> None:
        open_calls.pop()[1] = tree_shapes(to_tree(out))

    handles = [m.register_forward_pre_hook(start) for m in model.modules()]
    handles += [m.register_forward_hook(end) for m in model.modules()]
    try:
        with torch.no_grad():
            _call(model, inputs)
    finally:
        for h in handles:
            h.remove()
    return [(path, out) for path, out in seen]


def meta_flops(model: torch.nn.Module, inputs: list[Any] | Mapping[str, Any]) -> int:
    """FLOPs of a meta twin's forward pass; tensors its code makes without a device (a
    mask) are made on meta too when they cannot be made on the CPU beside meta inputs."""
    twin = copy.deepcopy(model).to("meta")

    def meta(t: Any) -> Any:
        return t.to("meta") if isinstance(t, torch.Tensor) else t

    args: list[Any] | dict[str, Any]
    if isinstance(inputs, Mapping):
        args = {k: meta(v) for k, v in inputs.items()}
    else:
        args = [meta(t) for t in inputs]
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            _call(twin, args)
    except RuntimeError:
        with torch.device("meta"), torch.no_grad(), FlopCounterMode(display=False) as counter:
            _call(twin, args)
    return int(counter.get_total_flops())


def check_module(
    model: torch.nn.Module, inputs: list[Any] | Mapping[str, Any], **kwargs: Any
) -> ModuleSummary:
    """Checks ``model``'s summary against PyTorch (see the module's docstring); ``inputs``
    are positional, or keyword inputs given as a mapping."""
    model.eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    s = modelmath.summary(model, input_data=inputs, **kwargs)
    assert isinstance(s, ModuleSummary)
    # The user's model is untouched: same device, same values.
    after = model.state_dict()
    assert all(v.device.type == "cpu" for v in after.values())
    assert all(torch.equal(before[k], after[k]) for k in before)
    # Parameters: each unique one once; the trainable split by requires_grad.
    unique = list(model.parameters())
    assert s.totals.params.value == sum(p.numel() for p in unique)
    assert s.totals.trainable.value == sum(p.numel() for p in unique if p.requires_grad)
    assert s.totals.buffers.value == sum(b.numel() for b in model.buffers())
    rows_total = sum(int(r.params.value) for r in s.rows)
    assert rows_total == s.totals.params.value, "totals are the sum of the rows"
    # Shapes: every call, in order, as the real pass on CPU.
    called = [(r.path, r.outputs) for r in s.rows if r.called]
    assert called == real_calls(model, inputs)
    # MACs: FlopCounterMode's FLOPs / 2.
    assert 2 * s.totals.macs.value == meta_flops(model, inputs)
    # Rules agree with the pass wherever they apply; every formula evaluates to its number.
    assert not s.notes, s.notes
    assert all(r.status is not ModuleStatus.DISAGREES for r in s.rows)
    for r in s.rows:
        for out in r.output_formulas:
            assert tuple(None if d is None else d.value for d in out.dims) == out.values
    return s
