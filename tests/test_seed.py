"""The seed example from the issue: Keras's numbers, and the working under each of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from checks import assert_matches_keras
from keras_oracle import truth
from model_zoo import seed
from project_paths import EXAMPLES

import modelmath
from modelmath.cli import main
from modelmath.renderers.explain import explain_layer
from modelmath.renderers.table import TableOptions
from modelmath.renderers.text import render_text

GOLDEN = Path(__file__).parent / "golden"
SEED_KERAS = EXAMPLES / "seed.keras"
SEED_JSON = EXAMPLES / "seed_config.json"


@pytest.mark.parametrize("path", [SEED_KERAS, SEED_JSON], ids=["keras-archive", "config-json"])
def test_saved_seed_matches_keras(keras, path: Path) -> None:
    assert_matches_keras(modelmath.summary(path), truth(seed()), path.name)


def test_seed_first_conv_numbers_carry_formulas() -> None:
    s = modelmath.summary(SEED_KERAS)
    conv = s.rows[1]
    assert conv.params is not None
    assert conv.params.value == 448
    assert conv.output_values == ((None, 148, 148, 16),)
    from modelmath.renderers.printer import FormulaPrinter

    p = FormulaPrinter()
    assert p.values(conv.params.expr) == "3·3·3·16 + 16"
    assert p.symbols(conv.params.expr) == "K_h·K_w·C_in·F + F"
    height = conv.outputs[0].dims[1]
    assert height is not None
    assert p.values(height) == "⌊(150 − 3 + 2·0)/1⌋ + 1"
    assert s.totals.total.value == 9_494_561


def test_explained_table_shows_working() -> None:
    text = render_text(modelmath.summary(SEED_KERAS), TableOptions(width=220))
    assert "148 = ⌊(150 − 3 + 2·0)/1⌋ + 1" in text
    assert "= 3·3·3·16 + 16" in text
    assert "kernel 3×3 × 3 in-channels × 16 filters, + 16 biases" in text
    assert "padding='valid', strides=1" in text


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MODELMATH_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; rerun with MODELMATH_UPDATE_GOLDEN=1"


def test_explained_table_golden() -> None:
    _golden(
        "seed_explained_w120.txt",
        render_text(modelmath.summary(SEED_KERAS), TableOptions(width=120)),
    )


def test_explain_paragraph_golden() -> None:
    text = explain_layer(modelmath.summary(SEED_KERAS), "conv2d")
    for piece in (
        "O = ⌊(H − K_h + 2·P_h)/S_h⌋ + 1 = ⌊(150 − 3 + 2·0)/1⌋ + 1 = 148",
        "K_h·K_w·C_in·F = 3·3·3·16 = 432",
        "432 + 16 = 448",
        "kernel height",
    ):
        assert piece in text
    _golden("seed_explain_conv2d.txt", text)


def test_cli_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED_KERAS), "--explain", "conv2d"]) == 0
    assert "448" in capsys.readouterr().out


def test_cli_no_explain_is_keras_table(
    keras, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from keras_oracle import summary_text

    monkeypatch.setenv("COLUMNS", "300")
    assert main([str(SEED_KERAS), "--no-explain", "--width", "88"]) == 0
    assert capsys.readouterr().out == summary_text(seed(), line_length=88)


def test_cli_ascii(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED_JSON), "--ascii", "--width", "200"]) == 0
    out = capsys.readouterr().out
    assert out.isascii()
    assert "148 = floor((150 - 3 + 2*0)/1) + 1" in out
