"""The PyTorch entry points: modelmath.summary(...), the FILE.py:NAME command line, and
the promises around them (no torch import for Keras users, the model left untouched)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

import modelmath
from modelmath.cli import main
from modelmath.errors import UsageError
from modelmath.module_summary import ModuleSummary

MODELS_PY = """
import torch
from torch import nn

print("building")  # the file's own output goes to stderr


class Net(nn.Module):
    def __init__(self, width: int = 4, classes: int = 3):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3, padding=1)
        self.fc = nn.Linear(width, classes)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))


def make():
    return Net(width=2)


ALREADY = Net()
"""


def test_import_modelmath_does_not_import_torch() -> None:
    code = "import modelmath, sys; modelmath.summary; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_summary_options() -> None:
    model = nn.Sequential(nn.Sequential(nn.Linear(4, 8), nn.ReLU()), nn.Linear(8, 2))
    s = modelmath.summary(model, input_size=(3, 4), depth=1, columns=["shape", "params"])
    assert isinstance(s, ModuleSummary)
    assert s.columns == ("output", "params")
    text = str(s)
    assert "Linear: 0.0" not in text  # folded at depth 1
    assert "58" in text  # the folded row shows its subtree's parameters: 40 + 18
    assert s.to_json()["totals"]["params"] == 58
    with pytest.raises(UsageError, match="unknown column"):
        modelmath.summary(model, input_size=(3, 4), columns=["nope"])
    with pytest.raises(UsageError, match="needs an input"):
        modelmath.summary(model)


def test_forward_failure_is_one_clear_error() -> None:
    with pytest.raises(UsageError, match="forward pass on the meta device failed"):
        modelmath.summary(nn.Linear(4, 2), input_size=(3, 5))


def test_real_weights_are_not_copied_or_moved() -> None:
    model = nn.Linear(1000, 1000)
    weight = model.weight
    s = modelmath.summary(model, input_size=(1, 1000))
    assert model.weight is weight and weight.device.type == "cpu"
    assert not model._forward_hooks and not model._forward_pre_hooks
    assert s.totals.params.value == 1_001_000


def test_meta_model_from_dimensions() -> None:
    with torch.device("meta"):
        model = nn.Sequential(nn.Embedding(32000, 4096), nn.Linear(4096, 32000, bias=False))
    s = modelmath.summary(model, input_size=(1, 16), dtypes=[torch.long])
    assert s.totals.params.value == 2 * 32000 * 4096
    assert s.totals.macs.value == 16 * 4096 * 32000


@pytest.fixture()
def models_py(tmp_path: Path) -> Path:
    path = tmp_path / "models.py"
    path.write_text(MODELS_PY)
    return path


def test_cli_builds_the_named_module(models_py: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([f"{models_py}:Net", "--input-size", "1,3,8,8", "--kwargs", "width=5",
                 "classes=2", "--format", "json"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0
    assert "building" in captured.err
    data = json.loads(captured.out)
    assert data["totals"]["params"] == (5 * 3 * 9 + 5) + (5 * 2 + 2)
    assert main([f"{models_py}:make", "--input-size", "1,3,8,8"]) == 0
    assert main([f"{models_py}:ALREADY", "--input-size", "1,3,8,8", "--depth", "0"]) == 0
    assert "Total params" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["{p}:Nope", "--input-size", "1,3,8,8"], "has no 'Nope'"),
        (["{p}:Net", "--input-size", "1,x"], "--input-size takes integers"),
        (["{p}:Net", "--input-size", "1,4,8,8"], "forward pass on the meta device failed"),
        (["{p}:Net", "--input-size", "1,3,8,8", "--kwargs", "width"], "KEY=VALUE"),
        (["{p}:Net", "--input-size", "1,3,8,8", "--kwargs", "nope=1"], "building Net failed"),
        (["{p}:Net"], "needs --input-size"),
    ],
)
def test_cli_errors_are_one_line(
    models_py: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main([a.format(p=models_py) for a in args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_help_says_the_file_is_run(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "imports and runs FILE.py" in capsys.readouterr().out
