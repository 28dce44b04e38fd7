"""Scripts people get wrong: every one gives a summary or a clear error, never a traceback.

The corpus scripts are mutated (seeded, so every run sees the same mutants): a line
deleted or repeated, a number or a string replaced, a layer swapped for another, an
argument added, the text cut short. Whatever comes out must be a summary that renders or
a :class:`ModelMathError` that says where. (This fuzz found a stride of 0, ``Dense(None)``,
``Concatenate(axis="channels_first")``, ``Reshape(0.3)`` and a nested model holding a layer
without a formula ending in Python tracebacks.)

Then the settings Keras itself refuses when it builds the layer: modelmath refuses each
too, naming the setting, the value and the line, never rounding a float to an int.
"""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

import modelmath
from modelmath.errors import ModelMathError

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.py"))
MUTANTS = 12  # per script
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
_NUMBERS = ["0", "-1", "1", "7", "100000", "10**12", "0.5", "None", "'same'", "(2, 2)", "[]"]
_STRINGS = ["'valid'", "'same'", "'causal'", "'relu'", "'channels_first'", "'foo'", "''"]
_LAYERS = [
    "Dense", "Conv1D", "Conv2D", "LSTM", "Flatten", "Reshape", "Concatenate", "Add",
    "MultiHeadAttention", "Embedding", "BatchNormalization", "GlobalAveragePooling2D",
    "Lambda", "TimeDistributed", "Bidirectional",
]  # fmt: skip
_ARGUMENTS = [
    "input_shape=(None,)", "axis=5", "units=-2", "strides=0", "kernel_size=0", "padding=3",
    "dilation_rate=(2, 2, 2)", "groups=7", "target_shape=(5, -1, -1)", "pool_size=100",
    "rate=2", "num_heads=0", "filters=2.5", "activation=None", "use_bias=0",
]  # fmt: skip


def _mutate(src: str, rng: random.Random) -> str:
    """``src`` with one change people make by mistake."""
    lines = src.split("\n")
    kind = rng.randrange(8)
    if kind == 0 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif kind == 1:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 2 and _NUMBER.search(src):
        m = rng.choice(list(_NUMBER.finditer(src)))
        return src[: m.start()] + rng.choice(_NUMBERS) + src[m.end() :]
    elif kind == 3 and len(src) > 1:
        return src[: rng.randrange(len(src))]
    elif kind == 4 and re.search(r"'[a-z_]+'", src):
        old = rng.choice(re.findall(r"'[a-z_]+'", src))
        return src.replace(old, rng.choice(_STRINGS), 1)
    elif kind == 5 and src:
        i = rng.randrange(len(src))
        return src[:i] + src[i + rng.randrange(1, 12) :]
    elif kind == 6 and re.search(r"\b[A-Z][A-Za-z0-9]+\b", src):
        words = re.findall(r"\b[A-Z][A-Za-z0-9]+\b", src)
        return src.replace(rng.choice(words), rng.choice(words + _LAYERS), 1)
    elif kind == 7 and re.search(r"\b[A-Z]\w+\(", src):
        at = rng.choice([m.end() for m in re.finditer(r"\b[A-Z]\w+\(", src)])
        return src[:at] + rng.choice(_ARGUMENTS) + ", " + src[at:]
    return "\n".join(lines)


@pytest.mark.parametrize("script", CORPUS, ids=lambda p: p.stem)
def test_a_mutated_script_gives_a_summary_or_a_clear_error(script: Path, tmp_path: Path) -> None:
    rng = random.Random(f"20261130 {script.stem}")
    src = script.read_text()
    outcomes = {"summary": 0, "error": 0}
    for n in range(MUTANTS):
        mutant = src
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutant = _mutate(mutant, rng)
        path = tmp_path / f"mutant_{n}.py"
        path.write_text(mutant)
        try:
            for s in modelmath.summaries(str(path)):
                str(s)
            outcomes["summary"] += 1
        except ModelMathError as err:  # anything else fails the test with its traceback
            assert err.where, f"an error that says not where: {err}\n--- mutant:\n{mutant}"
            outcomes["error"] += 1
    assert sum(outcomes.values()) == MUTANTS


# layer call → the setting Keras refuses in it (at construction or when it builds)
REFUSED = {
    "layers.Dense(None)": "units",
    "layers.Dense(2.0)": "units",
    "layers.Dense('3')": "units",
    "layers.Conv1D(8, 3, strides=0)": "strides",
    "layers.Conv1D(8, [])": "kernel_size",
    "layers.Conv1D(0, 3)": "filters",
    "layers.Conv1D(8, 3, dilation_rate=0)": "dilation_rate",
    "layers.Conv1D(8, 3, groups=0)": "groups",
    "layers.MaxPooling1D(0)": "pool_size",
    "layers.LSTM(0)": "units",
    "layers.Embedding(0, 4)": "input_dim",
    "layers.Reshape(0.3)": "target_shape",
    "layers.BatchNormalization(0.2)": "axis",
    "layers.Concatenate(axis='channels_first')": "axis",
    # 'causal' is Conv1D's alone (found by a differential fuzz of the corpus)
    "layers.Conv2D(8, 3, padding='causal')": "padding",
    "layers.Conv1DTranspose(8, 3, padding='causal')": "padding",
    "layers.DepthwiseConv1D(3, padding='causal')": "padding",
    "layers.SeparableConv1D(8, 3, padding='causal')": "padding",
    "layers.ConvLSTM1D(8, 3, padding='causal')": "padding",
    # keywords Keras 3 does not know: a typo, a setting of another layer, a Keras 2 one
    "layers.Dense(4, activaton='relu')": "activaton",
    "layers.Flatten(center=False)": "center",
    "layers.MaxPooling1D(2, use_bias=False)": "use_bias",
    "layers.Dense(4, batch_input_shape=(None, 4))": "batch_input_shape",
    "layers.LSTM(4, input_length=10)": "input_length",
}


def _keras_refuses(keras: Any, call: str) -> bool:
    layers = keras.layers
    try:
        layer = eval(call, {"layers": layers})  # the test's own literal, never user input
        x = keras.Input(shape=(10, 4))
        layer([x, x]) if "Concatenate" in call else layer(x)
    except Exception:
        return True
    return False


@pytest.mark.parametrize("call", sorted(REFUSED))
def test_a_setting_keras_refuses_is_refused_by_name(
    call: str, keras: Any, tmp_path: Path
) -> None:
    assert _keras_refuses(keras, call), f"Keras builds {call}: the test's premise is wrong"
    src = textwrap.dedent(f"""\
        import keras
        from keras import layers
        x = keras.Input(shape=(10, 4))
        y = {call}({"[x, x]" if "Concatenate" in call else "x"})
        keras.Model(x, y).summary()
        """)
    path = tmp_path / "script.py"
    path.write_text(src)
    with pytest.raises(ModelMathError) as info:
        modelmath.summaries(str(path))
    text = str(info.value)
    assert f"`{REFUSED[call]}`" in text, text
    assert info.value.where and info.value.where.endswith(":4:5"), text


CUSTOM_KEYWORD = """\
    import keras
    from keras import layers

    class Plain(layers.Layer):
        def call(self, x):
            return x

    class Net(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    class Passing(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(units)

        def call(self, x):
            return self.dense(x)

    x = keras.Input(shape=(10, 4))
    y = CALL(x)
    keras.Model(x, y).summary()
    """


@pytest.mark.parametrize(
    "call",
    [
        "Plain(center=False)",
        "Passing(3, keepdims=True)",
        "Net(center=False)",
        "Plain(name='p', dtype='float32')",
    ],
)
def test_a_custom_layer_given_a_keyword_keras_refuses_is_refused(
    call: str, keras: Any, tmp_path: Path
) -> None:
    """A layer class of the script's own hands its keywords to keras.layers.Layer, which
    refuses those it does not know (found by the differential fuzz)."""
    src = textwrap.dedent(CUSTOM_KEYWORD).replace("CALL", call)
    keras.Model.summary, original = (lambda self: None), keras.Model.summary
    try:
        exec(src, {"__name__": "__main__"})  # the test's own script, never user input
        keras_refuses = False
    except ValueError:
        keras_refuses = True
    finally:
        keras.Model.summary = original
    path = tmp_path / "script.py"
    path.write_text(src)
    if not keras_refuses:  # Layer's own keywords: both build it
        assert modelmath.summaries(str(path))
        return
    with pytest.raises(ModelMathError) as info:
        modelmath.summaries(str(path))
    keyword = call.split("(")[1].split("=")[0].split(", ")[-1]
    assert f"`{keyword}`" in str(info.value), str(info.value)
    assert info.value.where, str(info.value)
