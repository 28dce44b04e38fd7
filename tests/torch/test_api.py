"""The PyTorch entry points: modelmath.summary(...), the FILE.py:NAME command line, and
the promises around them (no torch import for Keras users, the model left untouched)."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
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
    for depth in (-1, 1.5, True):
        with pytest.raises(UsageError, match="depth is how many levels"):
            modelmath.summary(model, input_size=(3, 4), depth=depth)  # type: ignore[arg-type]


def test_torchscript_module_is_refused_clearly() -> None:
    model = nn.Sequential(nn.Linear(4, 2))
    for scripted in (torch.jit.script(model), torch.jit.trace(model, torch.randn(1, 4))):
        with pytest.raises(UsageError, match="TorchScript module") as err:
            modelmath.summary(scripted, input_size=(1, 4))
        assert "before torch.jit.script()" in str(err.value)


def test_unknown_object_names_what_is_accepted() -> None:
    with pytest.raises(UsageError, match=r"expected a PyTorch module \(torch.nn.Module\)"):
        modelmath.summary(object())
    with pytest.raises(UsageError, match=r"the model given is not a torch.nn.Module") as e:
        modelmath.summary(object(), input_size=(1, 4))
    assert "Received: object with input_size=(1, 4)" in str(e.value)


def _torch_refuses(model: nn.Module, *inputs: torch.Tensor) -> None:
    """The oracle: PyTorch itself, on real tensors, refuses the same call."""
    with pytest.raises((RuntimeError, IndexError)):
        model(*inputs)


def test_forward_failure_names_the_module_and_the_fitting_setting() -> None:
    """The student's shape error: a Linear sized for another input. PyTorch says
    "mat1 and mat2 shapes cannot be multiplied"; modelmath names the layer and the value."""
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 30 * 30, 10))
    _torch_refuses(model, torch.zeros(1, 3, 28, 28))
    with pytest.raises(UsageError) as err:
        modelmath.summary(model, input_size=(1, 3, 28, 28))
    text = str(err.value)
    assert "failed in Linear '3' (in_features=7200" in text
    assert f"given an input of shape (1, {8 * 26 * 26})" in text
    assert f"set in_features={8 * 26 * 26}" in text and "\n" not in text


@pytest.mark.parametrize(
    ("model", "size", "says"),
    [
        (nn.Sequential(nn.Conv2d(3, 8, 3)), (1, 4, 9, 9),
         "4 channels on axis 1, not in_channels=3"),
        (nn.Sequential(nn.Conv2d(3, 8, 3)), (1, 9, 9), "(with 3 axes the input has no batch"),
        (nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(4)), (2, 3, 9, 9),
         "8 channels on axis 1, not num_features=4"),
        (nn.Sequential(nn.Embedding(10, 4)), (1, 5), "Token ids must be integers"),
    ],
)  # fmt: skip
def test_forward_failure_fixes(model: nn.Module, size: tuple[int, ...], says: str) -> None:
    _torch_refuses(model, torch.zeros(size))
    with pytest.raises(UsageError, match="forward pass failed in") as err:
        modelmath.summary(model, input_size=size)
    assert says in str(err.value)


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
        (["{p}:Net", "--input-size", "1,4,8,8"], "failed in Conv2d 'conv'"),
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


def test_uncalled_container_is_listed_before_its_called_modules() -> None:
    # A parametrized weight: torch calls parametrizations.weight (a ParametrizationList)
    # when forward reads the weight, never the ModuleDict that holds it.
    model = nn.utils.parametrizations.weight_norm(nn.Linear(4, 3))
    s = modelmath.summary(model, input_size=(2, 4))
    paths = [r.path for r in s.rows]
    assert not s.row("parametrizations").called and s.row("parametrizations.weight").called
    assert paths.index("parametrizations") == paths.index("parametrizations.weight") - 1


@pytest.mark.parametrize(
    ("model", "size", "dtype"),
    [
        (nn.Sequential(nn.Linear(4, 3), nn.ReLU()).to(torch.bfloat16), (2, 4), "bfloat16"),
        (nn.Sequential(nn.Conv2d(3, 4, 3)).to(torch.float64), (1, 3, 8, 8), "float64"),
    ],
)
def test_inputs_of_another_dtype_than_the_weights(
    model: nn.Module, size: tuple[int, ...], dtype: str
) -> None:
    # torch's meta kernels multiply a float32 input by a bfloat16 weight; its CPU kernels
    # refuse, and so must the summary, saying which dtype to give.
    _torch_refuses(model, torch.zeros(size))
    with pytest.raises(UsageError, match=rf"dtypes=\[torch.{dtype}\]"):
        modelmath.summary(model, input_size=size)
    s = modelmath.summary(model, input_size=size, dtypes=[getattr(torch, dtype)])
    assert s.totals.params.value == sum(p.numel() for p in model.parameters())
    assert s.rows[-1].outputs == tuple(model(torch.zeros(size, dtype=getattr(torch, dtype))).shape)


def test_input_arguments_are_checked() -> None:
    model = nn.Linear(4, 3)
    for size in [(2.0, 4), "2,4", [(2, 4), 5]]:
        with pytest.raises(UsageError, match="input_size takes sizes"):
            modelmath.summary(model, input_size=size)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="not both"):
        modelmath.summary(model, input_size=(2, 4), input_data=[torch.zeros(2, 4)])
    with pytest.raises(UsageError, match="2 dtypes for 1 input"):
        modelmath.summary(model, input_size=(2, 4), dtypes=[torch.float32, torch.float64])
    with pytest.raises(UsageError, match="NumPy array of a dtype"):
        modelmath.summary(model, input_data=[np.array([["a"] * 4] * 2)])


def test_numpy_inputs_named_tuples_and_a_column_string() -> None:
    model = nn.Linear(4, 3)
    from_array = modelmath.summary(model, input_data=[np.zeros((2, 4), dtype=np.float32)])
    from_tensor = modelmath.summary(model, input_data=[torch.zeros(2, 4)])
    assert str(from_array) == str(from_tensor)
    assert modelmath.summary(model, input_size=(2, 4), columns="shape, params").columns == (
        "output",
        "params",
    )

    Pair = collections.namedtuple("Pair", "a b")

    class TakesPair(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(4, 3)

        def forward(self, pair: Any) -> torch.Tensor:
            return self.fc(pair.a) + self.fc(pair.b)  # type: ignore[no-any-return]

    pair = Pair(torch.zeros(2, 4), torch.zeros(2, 4))
    s = modelmath.summary(TakesPair(), input_data=[pair])
    assert s.rows[0].outputs == tuple(TakesPair()(pair).shape)


def test_cli_user_file_errors_say_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import torch\n\ndef broken(:\n    pass\n")
    assert main([f"{bad}:X", "--input-size", "2,4"]) == 2
    assert f"{bad}:3:" in capsys.readouterr().err  # file:line:col of the syntax error
    needs = tmp_path / "needs.py"
    needs.write_text(
        "from torch import nn\n\n"
        "class Net(nn.Module):\n"
        "    def __init__(self, width):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, width)\n"
        "        self.oops = self.missing\n"
    )
    assert main([f"{needs}:Net", "--input-size", "2,4"]) == 2
    assert "--kwargs" in capsys.readouterr().err  # how to give the argument
    assert main([f"{needs}:Net", "--input-size", "2,4", "--kwargs", "width=3"]) == 2
    err = capsys.readouterr().err
    assert "building Net failed" in err and f"{needs}:7" in err  # not "has no 'Net'"
