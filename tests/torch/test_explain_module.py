"""``--explain MODULE`` for PyTorch: the paragraph of each module states the numbers
PyTorch gives for it (output shapes of the real pass, its own parameters' count), each
formula worked out to its value."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from corpus import CORPUS
from torch_checks import real_calls

import modelmath
from modelmath.cli import main
from modelmath.errors import UsageError
from modelmath.module_summary import ModuleSummary
from modelmath.renderers.explain_module import explain_module
from modelmath.renderers.module_table import shape_text


@pytest.mark.parametrize("name", ["resnet_bottleneck", "lstm_tagger", "gpt_tied", "vit"])
def test_every_module_is_explained_with_torchs_numbers(name: str) -> None:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    model.eval()
    s = modelmath.summary(model, input_data=inputs)
    assert isinstance(s, ModuleSummary)
    first_output = dict(reversed(real_calls(model, inputs)))  # path → its first call's
    modules = dict(model.named_modules())
    counted: set[int] = set()  # torch's unique parameters, in named_modules order
    own_counts = {}
    for path, module in modules.items():
        own = [p for p in module.parameters(recurse=False) if id(p) not in counted]
        counted.update(id(p) for p in own)
        own_counts[path] = sum(p.numel() for p in own)
    for path in dict.fromkeys(r.path for r in s.rows if r.called and r.path):
        text = explain_module(s, path)
        assert text.startswith(f"{path} is a {type(modules[path]).__name__} module")
        assert f"gives {shape_text(first_output[path])}" in text, path
        if own_counts[path]:
            assert f"Parameters: {own_counts[path]:,}" in text, path
        row = s.row(path)
        if row.macs.value:
            assert f"MACs: {int(row.macs.value):,}" in text, path
        for line in text.splitlines():  # every worked formula ends on its stated value
            if line.startswith(("    O = ", "    n = ", "    MACs = ")):
                assert line.rsplit(" = ", 1)[1].replace(",", "").isdigit(), line


def test_names_are_found_by_suffix_when_unique() -> None:
    model, inputs = CORPUS["resnet_bottleneck"]()
    s = modelmath.summary(model.eval(), input_data=inputs)
    assert isinstance(s, ModuleSummary)
    paths = set(r.path for r in s.rows if r.path)
    last = {p: p.rsplit(".", 1)[-1] for p in paths}
    owners = {n: [p for p in paths if last[p] == n] for n in last.values()}
    unique = next(p for p in sorted(paths) if "." in p and len(owners[last[p]]) == 1)
    assert explain_module(s, last[unique]) == explain_module(s, unique)
    shared = next(n for n, ps in sorted(owners.items()) if len(ps) > 1 and n not in paths)
    with pytest.raises(UsageError, match="several ending so"):
        explain_module(s, shared)
    with pytest.raises(UsageError, match="has no module named 'nope'"):
        explain_module(s, "nope")


def test_cli_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "net.py"
    path.write_text("from torch import nn\n\nNet = lambda: nn.Sequential(nn.Conv2d(3, 16, 3))\n")
    assert main([f"{path}:Net", "--input-size", "1,3,150,150", "--explain", "0"]) == 0
    out = capsys.readouterr().out
    conv = torch.nn.Conv2d(3, 16, 3)
    assert f"with {sum(p.numel() for p in conv.parameters())} parameters" in out
    assert f"gives {list(conv(torch.zeros(1, 3, 150, 150)).shape)}" in out
    assert main([f"{path}:Net", "--input-size", "1,3,150,150", "--explain", "9"]) == 2
    assert "no module named '9'" in capsys.readouterr().err
