"""torchinfo's calls, taken as they are written: ``summary(model, (1, 3, 224, 224))``,
``col_names``, ``batch_dim``, ``row_settings``, ``verbose``, ``device``; more keyword
arguments of ``forward``; and arguments meant for a Keras model refused on a PyTorch one
(and the other way round), never dropped silently.

torchinfo itself is the oracle where it has an answer: the columns its ``col_names``
choose, and the input sizes its ``batch_dim`` makes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import torch
import torchinfo
from torch import nn
from torch_checks import check_module

import modelmath
from modelmath.cli import main
from modelmath.errors import UsageError
from modelmath.module_summary import ModuleSummary
from modelmath.renderers.module_table import HEADERS, visible_rows

ROOT = Path(__file__).resolve().parents[2]


def _net() -> nn.Module:
    """A bit of everything whose working has signs outside ASCII: ⌊⌋, ×, γ and β."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 4),
    ).eval()


def _summary(*args: Any, **kwargs: Any) -> ModuleSummary:
    s = modelmath.summary(*args, **kwargs)
    assert isinstance(s, ModuleSummary)
    return s


def test_second_positional_argument_is_input_size() -> None:
    model = _net()
    assert str(_summary(model, (2, 3, 16, 16))) == str(_summary(model, input_size=(2, 3, 16, 16)))


@pytest.mark.parametrize(
    "col_names",
    [
        ("input_size", "output_size", "num_params", "mult_adds"),
        ("num_params", "trainable"),
        ("output_size",),
        ("mult_adds", "input_size"),
    ],
)
def test_col_names_choose_torchinfos_columns(col_names: tuple[str, ...]) -> None:
    model = _net()
    theirs = torchinfo.summary(model, input_size=(1, 3, 16, 16), col_names=col_names, verbose=0)
    # modelmath's MACs column is where torchinfo has Mult-Adds (and counts what it skips)
    titles = [torchinfo.formatting.HEADER_TITLES[c] for c in theirs.formatting.col_names]
    expected = ["MACs" if t == "Mult-Adds" else t for t in titles]
    ours = _summary(model, input_size=(1, 3, 16, 16), col_names=list(col_names))
    assert [HEADERS[c] for c in ours.columns] == expected
    assert ours.columns == _summary(model, (1, 3, 16, 16), columns=list(col_names)).columns


def test_columns_given_twice_and_torchinfo_only_columns_are_refused() -> None:
    with pytest.raises(UsageError, match="give the columns once"):
        modelmath.summary(_net(), (1, 3, 8, 8), columns=["params"], col_names=["num_params"])
    with pytest.raises(UsageError, match="kernel_size column is not one of modelmath's"):
        modelmath.summary(_net(), (1, 3, 8, 8), col_names=["kernel_size"])


@pytest.mark.parametrize(
    ("sizes", "batch_dim"),
    [((3, 16, 16), 0), ((3, 16, 16), -4), ([(3, 16, 16)], 0)],
)
def test_batch_dim_adds_the_batch_axis_torchinfo_adds(sizes: Any, batch_dim: int) -> None:
    model = _net()
    theirs = torchinfo.summary(model, input_size=sizes, batch_dim=batch_dim, verbose=0)
    ours = _summary(model, sizes, batch_dim=batch_dim)
    assert list(ours.rows[0].inputs[0]) == theirs.summary_list[0].input_size
    assert ours.totals.macs.value == _summary(model, (1, 3, 16, 16)).totals.macs.value


def test_batch_dim_on_input_data() -> None:
    x = torch.randn(3, 16, 16)
    s = _summary(_net(), input_data=[x], batch_dim=0)
    assert s.rows[0].inputs == ((1, 3, 16, 16),)
    assert x.shape == (3, 16, 16), "the user's tensor is left as it was"


@pytest.mark.parametrize("batch_dim", [4, -5, 0.0, "0", True])
def test_bad_batch_dim_is_refused(batch_dim: Any) -> None:
    with pytest.raises(UsageError, match="batch_dim"):
        modelmath.summary(_net(), (3, 16, 16), batch_dim=batch_dim)


@pytest.mark.parametrize("verbose", [0, 1, 2, None])
def test_verbose_prints_as_torchinfo(
    verbose: int | None, capsys: pytest.CaptureFixture[str]
) -> None:
    s = modelmath.summary(_net(), (1, 3, 8, 8), verbose=verbose)
    printed = capsys.readouterr().out
    assert printed == (f"{s}\n" if verbose else "")


def test_bad_verbose_is_refused() -> None:
    with pytest.raises(UsageError, match="verbose is 0"):
        modelmath.summary(_net(), (1, 3, 8, 8), verbose=3)


@pytest.mark.parametrize("device", ["cpu", "cuda", torch.device("cuda", 0), 0, None])
def test_device_changes_nothing(device: Any) -> None:
    # No GPU is needed: the trace runs on no device, whichever is named.
    model = _net()
    assert str(_summary(model, (1, 3, 8, 8), device=device)) == str(_summary(model, (1, 3, 8, 8)))
    assert all(p.device.type == "cpu" for p in model.parameters())


def test_bad_device_is_refused() -> None:
    with pytest.raises(UsageError, match="device names a torch device"):
        modelmath.summary(_net(), (1, 3, 8, 8), device=2.5)


def test_row_setting_ascii_only_writes_ascii() -> None:
    model = _net()
    plain = _summary(model, (1, 3, 16, 16))
    assert not str(plain).isascii()  # the test has something to translate
    s = _summary(model, (1, 3, 16, 16), row_settings=("ascii_only", "var_names", "depth"))
    assert str(s).isascii()
    assert s.explain("1").isascii() and not plain.explain("1").isascii()
    assert s.explain("1", ascii_only=False) == plain.explain("1")
    # the same table, in other characters
    assert len(str(s).splitlines()) == len(str(plain).splitlines())
    assert s.to_json() == plain.to_json()  # the same numbers and formulas


class Reuses(nn.Module):
    """One ReLU called twice in each block: torchinfo's "recursive" layers."""

    def __init__(self) -> None:
        super().__init__()
        self.c1, self.c2, self.act = nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.c2(self.act(self.c1(x))))


def test_hide_recursive_layers_hides_the_rows_torchinfo_hides() -> None:
    model = nn.Sequential(Reuses(), Reuses())
    settings = ("hide_recursive_layers", "var_names")
    theirs = torchinfo.summary(model, input_size=(2, 4), verbose=0, row_settings=settings)
    shown = [(layer.class_name, layer.depth) for layer in theirs.summary_list
             if not layer.is_recursive]  # fmt: skip
    assert len(shown) < len(theirs.summary_list)  # the test has rows to hide
    ours = _summary(model, (2, 4), row_settings=settings)
    assert [(r.op, r.depth) for r, _ in visible_rows(ours)] == shown
    assert "(reused)" not in str(ours) and "(reused)" in str(_summary(model, (2, 4)))
    assert ours.to_json() == _summary(model, (2, 4)).to_json()  # the data keeps every row


def test_unknown_row_setting_is_refused() -> None:
    with pytest.raises(UsageError, match="unknown row setting 'var_name'"):
        modelmath.summary(_net(), (1, 3, 8, 8), row_settings=["var_name"])


def test_cli_ascii_writes_ascii_for_a_pytorch_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small_net.py"
    path.write_text(
        "from torch import nn\n\n"
        "class Net(nn.Sequential):\n"
        "    def __init__(self):\n"
        "        super().__init__(nn.Conv2d(3, 8, 3, 2, 1), nn.BatchNorm2d(8), nn.ReLU())\n"
    )
    target = f"{path}:Net"
    assert main([target, "--input-size", "1,3,16,16", "--ascii"]) == 0
    out = capsys.readouterr().out
    assert out.isascii() and "+-Conv2d: 0" in out
    assert main([target, "--input-size", "1,3,16,16", "--ascii", "--explain", "1"]) == 0
    assert capsys.readouterr().out.isascii()
    sys.modules.pop("small_net", None)


class Scaled(nn.Module):
    """forward takes a tensor keyword argument besides its input."""

    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Linear(6, 6)

    def forward(self, x: torch.Tensor, scale: torch.Tensor | None = None) -> torch.Tensor:
        y = self.proj(x)
        return y if scale is None else y * scale


def test_forward_kwargs_are_traced_as_shapes() -> None:
    torch.manual_seed(0)
    model, x, scale = Scaled(), torch.randn(2, 5, 6), torch.randn(5, 1)
    s = _summary(model, input_data=[x], forward_kwargs={"scale": scale})
    assert s.rows[0].inputs == ((2, 5, 6), {"scale": (5, 1)})
    assert scale.device.type == "cpu"
    # the same pass as the real one with the keyword given
    check_module(model, {"x": x, "scale": scale})


def test_forward_kwargs_given_twice_are_refused() -> None:
    x = torch.randn(2, 5, 6)
    with pytest.raises(UsageError, match="x is given twice"):
        modelmath.summary(Scaled(), input_data={"x": x}, forward_kwargs={"x": x})


def test_keras_arguments_are_refused_on_a_pytorch_model() -> None:
    with pytest.raises(UsageError, match="input_shape is for Keras models") as caught:
        modelmath.summary(_net(), input_shape=(3, 8, 8))
    assert "input_size=(1, 3, 224, 224)" in str(caught.value)
    with pytest.raises(UsageError, match="optimizer is for Keras models"):
        modelmath.summary(_net(), (1, 3, 8, 8), optimizer="adam")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_size": (1, 4)},
        {"depth": 2},
        {"col_names": ["num_params"]},
        {"mode": "train"},
        {"device": "cpu"},
    ],
)
def test_pytorch_arguments_are_refused_on_a_keras_model(kwargs: dict[str, Any]) -> None:
    cfg = {
        "class_name": "Sequential",
        "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"units": 2}}]},
    }
    name = next(iter(kwargs))
    with pytest.raises(UsageError, match=f"{name} is for PyTorch models, and the model") as caught:
        modelmath.summary(cfg, input_shape=(4,), **kwargs)
    assert "input_shape=" in str(caught.value)


def test_verbose_prints_a_keras_summary_too(capsys: pytest.CaptureFixture[str]) -> None:
    s = modelmath.summary(ROOT / "examples" / "seed_config.json", verbose=1)
    assert capsys.readouterr().out == f"{s}\n"
