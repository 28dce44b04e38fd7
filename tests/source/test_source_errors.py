"""What the file cannot tell is a clear error at file:line:col, never a guess or a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import modelmath
from modelmath.errors import ModelMathError
from modelmath.frontends.keras_source import graphs_from_source

DATA_SHAPE = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.load("train.npy")
inputs = keras.Input(shape=x_train.shape[1:])
x = layers.Dense(16, activation="relu")(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
model.summary()
"""


def error_of(src: str, **kw: object) -> ModelMathError:
    with pytest.raises(ModelMathError) as info:
        graphs_from_source(textwrap.dedent(src), "train.py", **kw)  # type: ignore[arg-type]
    return info.value


def test_shape_from_data_names_the_value_and_the_flag() -> None:
    err = error_of(DATA_SHAPE)
    assert err.where == "train.py:6:10"
    assert "np.load" in str(err) or "numpy.load" in str(err)
    assert "--input-shape" in str(err)


def test_input_shape_flag_completes_it() -> None:
    [graph] = graphs_from_source(DATA_SHAPE, "train.py", input_shape=(8,))
    summary = modelmath.summaries(graph)[0] if False else None  # noqa: F841
    from modelmath.analysis import analyze

    s = analyze(graph)
    assert s.rows[1].output_values == ((None, 16),)
    assert s.totals.total.value == 8 * 16 + 16 + 17


def test_fit_on_data_without_input_shape() -> None:
    err = error_of("""
        import numpy as np
        from keras import Sequential, layers
        X = np.random.rand(100, 20)
        model = Sequential([layers.Dense(8), layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(X, X[:, 0])
        model.summary()
    """)
    assert "--input-shape" in str(err)
    assert "numpy.random.rand" in str(err)


def test_unknown_library_layer() -> None:
    err = error_of("""
        import keras
        import tensorflow_hub as hub
        inp = keras.Input(shape=(224, 224, 3))
        x = hub.KerasLayer("https://tfhub.dev/x")(inp)
        model = keras.Model(inp, x)
    """)
    assert err.where == "train.py:5:5"
    assert "tensorflow_hub.KerasLayer" in str(err)


def test_unknown_argument_that_matters() -> None:
    err = error_of("""
        import json, keras
        cfg = json.load(open("cfg.json"))
        inp = keras.Input(shape=(4,))
        out = keras.layers.Dense(cfg["units"])(inp)
        keras.Model(inp, out).summary()
    """)
    assert "units" in str(err) and err.where == "train.py:5:7"


def test_unknown_argument_that_does_not_matter() -> None:
    [graph] = graphs_from_source(textwrap.dedent("""
        import keras, my_lib
        inp = keras.Input(shape=(4,))
        out = keras.layers.Dense(3, activation=my_lib.swish, kernel_regularizer=my_lib.reg())(inp)
        keras.Model(inp, out).summary()
    """), "t.py")
    assert graph.layer("dense").config["units"] == 3


def test_condition_on_unknown_value() -> None:
    err = error_of("""
        import sys, keras
        inp = keras.Input(shape=(4,))
        if sys.argv[1] == "big":
            out = keras.layers.Dense(64)(inp)
    """)
    assert "sys.argv" in str(err) and err.where == "train.py:4:4"


def test_syntax_error_like_python() -> None:
    err = error_of("import keras\nx = (1, 2\n")
    assert str(err).startswith("SyntaxError: '(' was never closed")
    assert err.where == "train.py:2:5"


def test_return_outside_function_is_a_syntax_error() -> None:
    err = error_of("return 3\n")
    assert "SyntaxError: 'return' outside function" in str(err)


def test_name_error() -> None:
    err = error_of("import keras\nx = keras.Input(shape=(3,))\ny = Dense(3)(x)\n")
    assert "NameError: name 'Dense' is not defined" in str(err)
    assert err.where == "train.py:3:5"


def test_layer_error_gets_the_line_of_the_layer() -> None:
    with pytest.raises(ModelMathError) as info:
        modelmath.summaries({"x": 1}) if False else None
        from modelmath.analysis import analyze

        [graph] = graphs_from_source(
            "import keras\nfrom keras import layers\n"
            "i = keras.Input(shape=(2, 2, 3))\n"
            "x = layers.Conv2D(8, 3)(i)\n"
            "keras.Model(i, x).summary()\n",
            "seed.py",
        )
        analyze(graph)
    assert info.value.where == "seed.py:4:5"


def test_unbuilt_subclassed_model() -> None:
    err = error_of("""
        import keras
        class M(keras.Model):
            def __init__(self):
                super().__init__()
                self.d = keras.layers.Dense(3)
            def call(self, x):
                return self.d(x)
        m = M()
        m.summary()
    """)
    assert "--input-shape" in str(err)
    [graph] = graphs_from_source(
        "import keras\nclass M(keras.Model):\n    def __init__(self):\n"
        "        super().__init__()\n        self.d = keras.layers.Dense(3)\n"
        "    def call(self, x):\n        return self.d(x)\nm = M()\nm.summary()\n",
        "m.py",
        input_shape=(5,),
    )
    assert [layer.name for layer in graph.layers if layer.listed] == ["dense"]


def test_model_option_picks_by_variable_or_model_name() -> None:
    src = (Path(__file__).parent / "corpus" / "autoencoder_dense.py").read_text()
    assert [g.name for g in graphs_from_source(src, "a.py")] == [
        "functional", "functional_1", "functional_2",
    ]  # fmt: skip
    [enc] = graphs_from_source(src, "a.py", model_name="encoder")
    assert enc.name == "functional_1"
    [dec] = graphs_from_source(src, "a.py", model_name="functional_2")
    assert dec.name == "functional_2"
    with pytest.raises(ModelMathError, match="encoder"):
        graphs_from_source(src, "a.py", model_name="nope")


def test_no_summary_call_gives_the_top_level_models() -> None:
    src = """
import keras
from keras import layers
inner = keras.Sequential([keras.Input((3,)), layers.Dense(2)], name="inner")
outer = keras.Sequential([inner, layers.Dense(1)], name="outer")
other = keras.Sequential([keras.Input((3,)), layers.Dense(5)], name="other")
"""
    assert [g.name for g in graphs_from_source(src, "t.py")] == ["outer", "other"]


def test_cli_one_line_errors_and_stdin(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(DATA_SHAPE)
    proc = subprocess.run(
        [sys.executable, "-m", "modelmath", str(script)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"{script}:6:10" in proc.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "modelmath", str(script), "--input-shape", "8", "--no-explain"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "161" in ok.stdout
    piped = subprocess.run(
        [sys.executable, "-m", "modelmath", "-", "--no-explain"],
        input=DATA_SHAPE.replace("x_train.shape[1:]", "(8,)"),
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0, piped.stderr
    assert "161" in piped.stdout


CUSTOM = """
import keras
import my_lib
from keras import layers

class {name}(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def build(self, input_shape):
        self.w = self.add_weight(shape={shape})
    def call(self, x):
        return {call}(x, self.w)

inp = keras.Input((8,))
model = keras.Model(inp, layers.Dense(2)({name}(4)(inp)))
model.summary()
"""


KNOWN = "(input_shape[-1], self.units)"


def test_custom_layer_is_read_through_its_call() -> None:
    """Its call() and build() are read: the row is the class's own, computed from them
    (a class named Dense gets its own weights, not keras.layers.Dense's bias)."""
    from modelmath.analysis import analyze

    for name in ("Scale", "Dense"):
        text = CUSTOM.format(name=name, shape=KNOWN, call="keras.ops.matmul")
        [graph] = graphs_from_source(text, "c.py")
        summary = analyze(graph)
        row = summary.rows[1]
        assert (row.op, row.output_values, row.params.value if row.params else None) == (
            name, ((None, 4),), 8 * 4
        )
        assert not row.user_class and summary.totals.complete
        assert summary.rows[2].params is not None and summary.rows[2].params.value == 4 * 2 + 2


def test_custom_layer_weight_of_unknown_shape_is_not_guessed() -> None:
    from modelmath.analysis import analyze

    text = CUSTOM.format(name="Scale", shape="my_lib.shape()", call="keras.ops.matmul")
    [graph] = graphs_from_source(text, "c.py")
    summary = analyze(graph)
    assert summary.rows[1].params is None and summary.rows[1].user_class == "__main__"
    assert not summary.totals.complete


def test_custom_layer_is_kept_without_a_formula() -> None:
    from modelmath.analysis import analyze

    text = CUSTOM.format(name="Scale", shape=KNOWN, call="my_lib.scale")
    [graph] = graphs_from_source(text, "c.py")
    summary = analyze(graph)
    row = next(r for r in summary.rows if r.name == "scale")
    assert row.op == "Scale" and row.params is None
    assert any("no formula for your own Scale class" in note for note in summary.notes)
    # ... and its note says why: what stopped the reading of its call(), and where.
    assert "Why: its call() cannot be read" in row.hint and "my_lib.scale" in row.hint


def test_custom_class_named_like_a_known_op_is_not_guessed() -> None:
    """A script's own class named Dense may create any weights: marked, not computed
    with keras.layers.Dense's rule."""
    from modelmath.analysis import analyze

    text = CUSTOM.format(name="Dense", shape=KNOWN, call="my_lib.scale")
    [graph] = graphs_from_source(text, "c.py")
    summary = analyze(graph)
    mine = summary.rows[1]
    assert mine.op == "Dense" and mine.params is None and mine.user_class == "__main__"
    # The next Dense's input comes from it: unknown too, said so, never 0 parameters.
    after = summary.rows[2]
    assert after.params is None and after.unknown_input_from == mine.name
    assert summary.missing_rules == ("Dense",)


def test_lambda_is_read_through_its_function() -> None:
    """A Lambda without output_shape: its function is read on the input's shape, as Keras
    runs it (the corpus holds such Lambdas to Keras); one that calls a layer with weights
    keeps no formula, and says why: Keras's Lambda does not track those weights."""
    from modelmath.analysis import analyze

    text = textwrap.dedent("""\
        import keras
        from keras import layers, ops
        x = keras.Input(shape=(4, 3))
        y = layers.Lambda(lambda t: ops.mean(t, axis=1) * 2.0)(x)
        dense = layers.Dense(5)
        z = layers.Lambda(lambda t: dense(t))(y)
        keras.Model(x, z).summary()
        """)
    [graph] = graphs_from_source(text, "l.py")
    summary = analyze(graph)
    read, opaque = summary.rows[1], summary.rows[2]
    assert read.output_values == ((None, 3),) and read.params is not None
    assert read.params.value == 0
    assert opaque.params is None
    assert "Why: its function uses Dense" in opaque.hint, opaque.hint


SUBCLASSED_BUILD = """\
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding="same")

    def call(self, x):
        return x + self.conv(x)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = layers.Conv2D(8, 3, padding="same")
        self.block = Block(8)
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(5)

    def call(self, inputs, training=False):
        return self.head(self.pool(self.block(self.stem(inputs))))


model = Net()
BUILD
model.summary()
"""


def test_subclassed_model_built_by_build_alone_says_what_keras_shows(keras: Any) -> None:
    """Keras 3 runs no call() on model.build(shape) when the class has no build() of its
    own: its summary shows every layer unbuilt. modelmath gives the numbers the model has
    once called (held to Keras calling it on an Input) and says why Keras's differ."""
    from modelmath.analysis import analyze

    script = SUBCLASSED_BUILD.replace("BUILD", "model.build((None, 16, 16, 3))")
    [graph] = graphs_from_source(script, "b.py")
    ours = analyze(graph)
    assert any("Keras 3 builds none of this model's layers" in n for n in ours.notes), ours.notes
    space: dict[str, Any] = {}
    # the test's own class definitions (a literal of this file), run in real Keras
    exec(SUBCLASSED_BUILD.replace("BUILD", "").replace("model.summary()", ""), space)
    built_by_build = space["Net"]()
    built_by_build.build((None, 16, 16, 3))
    assert not built_by_build.stem.built  # Keras's premise, as the note states it
    called = space["Net"]()
    called(keras.Input(shape=(16, 16, 3)))
    assert ours.totals.total.value == called.count_params()
    theirs = [(type(layer).__name__, layer.count_params()) for layer in called.layers]
    assert [(r.op, r.params.value) for r in ours.rows if r.params is not None] == theirs
    # Called on an Input in the script, the model is built as Keras builds it: no note.
    [graph] = graphs_from_source(
        SUBCLASSED_BUILD.replace("BUILD", "model(keras.Input(shape=(16, 16, 3)))"), "c.py"
    )
    assert not analyze(graph).notes
