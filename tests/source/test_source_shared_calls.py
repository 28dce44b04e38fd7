"""A layer or a model used twice keeps the weights its first build made, as Keras does.

A differential fuzz of the corpus (settings changed, modelmath against Keras running the
script) found these: a shared ``Dense`` called again on a wider input, a custom layer
called on two inputs of different widths, a nested model called on inputs other than its
``Input`` declares. Keras refuses the first two when it builds; modelmath answered with
weights the first call never made. For the nested model Keras checks the input with its
``InputSpec`` (a last axis of 1 may be dropped), and where it lets the call through it
counts the weights the model was built with: modelmath recomputed them from the call.

Each script runs here with real Keras too, so the premise of each case is checked.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from checks import assert_matches_keras
from keras_oracle import truth

import modelmath
from modelmath.errors import ModelMathError

SHARED_DENSE = """\
    import keras
    from keras import layers
    a = keras.Input(shape=(33,))
    b = keras.Input(shape=(16,))
    shared = layers.Dense(8)
    model = keras.Model([a, b], layers.concatenate([shared(a), shared(b)]))
    model.summary()
    """

CUSTOM_LAYER = """\
    import keras
    from keras import layers

    class Stack(layers.Layer):
        def __init__(self):
            super().__init__()
            self.hidden = [layers.Dense(6), layers.Dense(3)]

        def call(self, x):
            for layer in self.hidden:
                x = layer(x)
            return x

    left = keras.Input(shape=(19,))
    right = keras.Input(shape=(20,))
    stack = Stack()
    model = keras.Model([left, right], layers.concatenate([stack(left), stack(right)]))
    model.summary()
    """

NESTED = """\
    import keras
    from keras import layers
    inp = keras.Input(shape=(12, 12, BUILT))
    x = layers.Conv2D(4, 3)(inp)
    encoder = keras.Model(inp, layers.Dense(5)(layers.Flatten()(x)), name="encoder")
    left = keras.Input(shape=CALLED)
    right = keras.Input(shape=CALLED)
    model = keras.Model([left, right], layers.Subtract()([encoder(left), encoder(right)]))
    model.summary()
    """


def _run_keras(src: str) -> list[Any]:
    """The models the script summarizes, built by Keras (the test's own literal)."""
    import keras

    seen: list[Any] = []
    original = keras.Model.summary
    keras.Model.summary = lambda self, *a, **k: seen.append(self)  # type: ignore[method-assign]
    try:
        exec(src, {"__name__": "__main__"})  # the test's own script, never user input
    finally:
        keras.Model.summary = original  # type: ignore[method-assign]
    return seen


def _write(tmp_path: Path, src: str) -> Path:
    path = tmp_path / "script.py"
    path.write_text(src)
    return path


@pytest.mark.parametrize(
    ("script", "says"),
    [
        (SHARED_DENSE, "kernel (33, 8) there, (16, 8) here"),
        (CUSTOM_LAYER, "dense/kernel (19, 6) there, (20, 6) here"),
    ],
    ids=["shared Dense", "custom layer"],
)
def test_a_later_call_needing_other_weights_is_refused(
    script: str, says: str, keras: Any, tmp_path: Path
) -> None:
    src = textwrap.dedent(script)
    with pytest.raises(Exception):  # noqa: B017  (Keras's own ValueError, whatever its class)
        _run_keras(src)
    with pytest.raises(ModelMathError) as info:
        modelmath.summaries(str(_write(tmp_path, src)))
    text = str(info.value)
    assert "called again" in text and says in text, text
    assert info.value.where, text


def test_a_nested_model_called_as_keras_lets_it_keeps_its_own_weights(
    keras: Any, tmp_path: Path
) -> None:
    # Keras's check drops the call's last axis of 1, then compares (12, 12) with
    # (12, 12, 3): it lets the call through, and counts the encoder's weights as built.
    src = textwrap.dedent(NESTED).replace("BUILT", "3").replace("CALLED", "(12, 12, 1)")
    expected = _run_keras(src)[0]
    (ours,) = modelmath.summaries(str(_write(tmp_path, src)))
    assert_matches_keras(ours, truth(expected), "nested model called on 1 channel")
    assert ours.row("encoder").params is not None
    assert ours.row("encoder").params.value == expected.get_layer("encoder").count_params()
    assert any("built for (None, 12, 12, 3)" in n and "'conv2d'" in n for n in ours.notes)


def test_a_nested_model_called_on_shapes_keras_refuses_is_refused(
    keras: Any, tmp_path: Path
) -> None:
    src = textwrap.dedent(NESTED).replace("BUILT", "3").replace("CALLED", "(10, 12, 3)")
    with pytest.raises(ValueError, match="incompatible"):
        _run_keras(src)
    with pytest.raises(ModelMathError) as info:
        modelmath.summaries(str(_write(tmp_path, src)))
    assert "built for (None, 12, 12, 3)" in str(info.value), str(info.value)


def test_a_nested_model_called_as_declared_has_no_note(keras: Any, tmp_path: Path) -> None:
    src = textwrap.dedent(NESTED).replace("BUILT", "3").replace("CALLED", "(12, 12, 3)")
    expected = _run_keras(src)[0]
    (ours,) = modelmath.summaries(str(_write(tmp_path, src)))
    assert_matches_keras(ours, truth(expected), "nested model called as declared")
    assert not any("nested model" in n for n in ours.notes)
