"""Model structure as Keras treats it, and Keras's own summary text reproduced exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checks import assert_matches_keras, config_of
from keras_oracle import summary_text, truth
from model_zoo import ZOO

import modelmath
from modelmath.renderers.table import TableOptions
from modelmath.renderers.text import render_text


@pytest.mark.parametrize("name", sorted(ZOO))
def test_rows_and_totals_match_keras(keras, name: str, tmp_path: Path) -> None:
    model = ZOO[name]()
    expected = truth(model)
    if name == "sequential_unbuilt":
        summary = modelmath.summary(model)
        assert [r.name for r in summary.rows] == [r.name for r in expected.rows]
        assert all(r.params is None and not r.outputs for r in summary.rows)
        assert summary.totals.total.value == expected.total == 0
        return
    assert_matches_keras(modelmath.summary(model), expected, f"{name} (live)")
    path = tmp_path / "model.json"
    path.write_text(json.dumps(config_of(model)))
    assert_matches_keras(modelmath.summary(path), expected, f"{name} (config file)")


@pytest.mark.parametrize("width", [88, 120])
@pytest.mark.parametrize("name", sorted(ZOO))
def test_no_explain_text_is_keras_summary(
    keras, name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Keras prints through a rich Console as wide as the terminal: make it wide enough.
    monkeypatch.setenv("COLUMNS", "300")
    model = ZOO[name]()
    ours = render_text(modelmath.summary(model), TableOptions(explain=False, width=width))
    assert ours == summary_text(model, line_length=width)


def test_unbuilt_sequential_completed_with_input_shape(keras) -> None:
    model = ZOO["sequential_unbuilt"]()
    summary = modelmath.summary(config_of(model), input_shape=(20,))
    model.build((None, 20))
    assert_matches_keras(summary, truth(model), "completed Sequential")


def test_frozen_split(keras) -> None:
    """trainable=False on a layer and on a nested model moves all their weights."""
    summary = modelmath.summary(ZOO["frozen_nested_model"]())
    base = summary.row("base")
    assert base.trainable is not None and base.trainable.value == 0
    assert base.non_trainable is not None and base.non_trainable.value == base.params.value  # type: ignore[union-attr]


def test_layer_without_rule_keeps_stated_shapes(keras) -> None:
    """A layer type modelmath has no formula for: the shapes the file states, marked, and
    listed under the table; never guessed."""
    from keras import layers

    @keras.saving.register_keras_serializable(package="tests")
    class Gate(layers.Layer):  # type: ignore[misc]
        def build(self, input_shape):  # type: ignore[no-untyped-def]
            self.w = self.add_weight(shape=(input_shape[-1],))

        def call(self, x):  # type: ignore[no-untyped-def]
            return x * self.w

    inp = keras.Input((7,))
    out = layers.Dense(3, name="head")(Gate(name="gate")(layers.Dense(5)(inp)))
    model = keras.Model(inp, out)
    summary = modelmath.summary(config_of(model))
    gate = summary.row("gate")
    assert gate.params is None
    assert gate.output_values == ((None, 5),)  # as the next layer's inbound node states
    assert summary.row("head").params.value == 18  # type: ignore[union-attr]
    assert not summary.totals.complete
    assert summary.missing_rules == ("Gate",)
    text = render_text(summary, TableOptions(width=200))
    assert f"no formula for your own Gate class (from '{__name__}')" in text
    assert f"Note: no formula for your own Gate class (from '{__name__}') (gate)" in text


def test_user_subclass_of_a_keras_layer_is_not_guessed(keras) -> None:
    """A class of the user's own named like a Keras layer may add weights: the built-in
    rule would give a wrong count, so the row is marked instead (live and saved config)."""
    from keras import layers

    class Dense(layers.Dense):  # type: ignore[misc]
        def build(self, input_shape):  # type: ignore[no-untyped-def]
            super().build(input_shape)
            self.scale = self.add_weight(shape=(7,), name="scale")

    inp = keras.Input((4,))
    model = keras.Model(inp, layers.Dense(2, name="head")(Dense(3, name="mine")(inp)))
    keras_count = model.get_layer("mine").count_params()
    for given in (model, config_of(model)):
        summary = modelmath.summary(given)
        mine = summary.row("mine")
        assert mine.params is None and mine.user_class == __name__
        assert mine.output_values == ((None, 3),)  # stated by the next layer's input
        assert summary.row("head").params.value == model.get_layer("head").count_params()  # type: ignore[union-attr]
        # What the built-in Dense rule says for the same config misses the extra weight.
        plain = keras.Model(inp, layers.Dense(3, name="plain")(inp))
        assert modelmath.summary(plain).row("plain").params.value != keras_count  # type: ignore[union-attr]
        assert f"no formula for your own Dense class (from '{__name__}')" in render_text(
            summary, TableOptions(width=200)
        )


OPTION_CASES = {
    "expand_nested": {"expand_nested": True},
    "show_trainable": {"show_trainable": True},
    "both": {"expand_nested": True, "show_trainable": True},
}


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
@pytest.mark.parametrize("name", sorted(ZOO))
def test_summary_options_match_keras(
    keras, name: str, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    model = ZOO[name]()
    kwargs = OPTION_CASES[case]
    options = TableOptions(explain=False, width=120, **kwargs)  # type: ignore[arg-type]
    ours = render_text(modelmath.summary(model), options)
    assert ours == summary_text(model, line_length=120, **kwargs)


@pytest.mark.parametrize(
    "layer_range", [("conv2d_1", "dense"), ("max_pooling2d.*", "flatten"), ("dense", "conv2d")]
)
def test_layer_range_matches_keras(keras, layer_range: tuple[str, str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    model = ZOO["seed"]()
    options = TableOptions(explain=False, width=100, layer_range=layer_range)
    ours = render_text(modelmath.summary(model), options)
    assert ours == summary_text(model, line_length=100, layer_range=layer_range)


def _rich_text(summary: modelmath.Summary, options: TableOptions) -> str:
    import io

    from rich.console import Console

    from modelmath.renderers.text import rich_renderables

    buffer = io.StringIO()
    console = Console(file=buffer, width=10_000, color_system=None, highlight=False)
    for item in rich_renderables(summary, options):
        console.print(item)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [50, 70, 120])
@pytest.mark.parametrize("explain", [True, False], ids=["explained", "keras"])
@pytest.mark.parametrize("name", sorted(ZOO))
def test_fast_layout_equals_rich_layout(keras, name: str, explain: bool, width: int) -> None:
    """The direct string layout (used for plain output) is rich's layout, exactly."""
    summary = modelmath.summary(ZOO[name]())
    options = TableOptions(explain=explain, width=width, expand_nested=True, show_trainable=True)
    assert render_text(summary, options) == _rich_text(summary, options)
