"""``mode="train"`` traces the copy in training mode, as torchinfo's ``mode``: a model
whose forward depends on ``self.training`` gives the rows its training pass gives; the
user's model keeps its own flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch import nn
from torch_checks import real_calls

import modelmath
from modelmath.cli import main
from modelmath.errors import UsageError
from modelmath.module_summary import ModuleSummary


class WithAuxHead(nn.Module):
    """Inception-style: an auxiliary classifier that runs only in training."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        self.aux = nn.Linear(8, 4)
        self.head = nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        y = self.body(x).mean((2, 3))
        if self.training:
            return self.head(y), self.aux(y)
        return (self.head(y),)


@pytest.mark.parametrize("mode", ["eval", "train"])
def test_mode_gives_the_rows_of_that_mode(mode: str) -> None:
    torch.manual_seed(0)
    model, x = WithAuxHead(), torch.randn(2, 3, 9, 9)
    flag = model.training
    s = modelmath.summary(model, input_data=[x], mode=mode)
    assert isinstance(s, ModuleSummary)
    assert model.training is flag, "the user's model keeps its mode"
    model.train(mode == "train")
    assert [(r.path, r.outputs) for r in s.rows if r.called] == real_calls(model, [x])
    assert s.totals.params.value == sum(p.numel() for p in model.parameters())


def test_bad_mode_is_refused() -> None:
    with pytest.raises(UsageError, match="mode is the mode"):
        modelmath.summary(nn.Linear(2, 2), input_size=(1, 2), mode="training")


def test_cli_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "aux_model.py"
    path.write_text(
        "from torch import nn\n\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.head, self.aux = nn.Linear(4, 2), nn.Linear(4, 3)\n\n"
        "    def forward(self, x):\n"
        "        return (self.head(x), self.aux(x)) if self.training else self.head(x)\n"
    )
    outputs = {}
    for mode in ("eval", "train"):
        assert main([f"{path}:Net", "--input-size", "1,4", "--mode", mode, "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)["rows"]
        outputs[mode] = {r["path"]: r["outputs"] for r in rows}
    assert outputs["train"]["aux"] == [1, 3]
    assert outputs["eval"]["aux"] is None  # not called: listed, without shapes
