"""The committed Keras data (signatures, names used up on build) equals the installed Keras."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from modelmath.frontends.keras_source.naming import BUILD_NAMES, Namer, snake_case

ROOT = Path(__file__).resolve().parents[2]


def test_signatures_are_generated_from_installed_keras(keras: Any) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_keras_signatures.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, (
        "src/modelmath/frontends/keras_source/signatures.py differs from the installed "
        "Keras: run tools/gen_keras_signatures.py " + proc.stderr[-500:]
    )


@pytest.mark.parametrize(
    "name", ["MaxPooling2D", "LSTM", "Conv2DTranspose", "MyCNNModel", "GRU", "PReLU", "Add"]
)
def test_snake_case_matches_keras(name: str, keras: Any) -> None:
    from keras.src.utils.naming import to_snake_case

    assert snake_case(name) == to_snake_case(name)


def _used_on_first_call(keras: Any, make: Any, shape: tuple[int, ...]) -> set[str]:
    from keras.src.backend.common import global_state

    keras.backend.clear_session()
    inp = keras.Input(shape)
    layer = make()
    before = dict(global_state.get_global_attribute("object_name_uids"))
    layer(inp, inp) if "Attention" in type(layer).__name__ else layer(inp)
    after = global_state.get_global_attribute("object_name_uids")
    ignored = {"keras_tensor", "seed_generator"}
    return {k for k, v in after.items() if v != before.get(k, 0) and k not in ignored}


@pytest.mark.parametrize(
    ("name", "args", "shape"),
    [
        ("MultiHeadAttention", (2, 4), (5, 8)),
        ("GroupQueryAttention", (4, 4, 2), (5, 8)),
        ("LSTM", (4,), (5, 8)),
        ("GRU", (4,), (5, 8)),
        ("Bidirectional", None, (5, 8)),
        ("TimeDistributed", None, (5, 8)),
        ("BatchNormalization", (), (5, 8)),
        ("Dense", (3,), (5, 8)),
        ("Conv1D", (3, 2), (5, 8)),
        ("Embedding", (10, 4), (5,)),
    ],
)
def test_names_used_up_on_first_call(
    name: str, args: tuple[int, ...] | None, shape: tuple[int, ...], keras: Any
) -> None:
    cls = getattr(keras.layers, name)
    if args is None:
        inner = keras.layers.LSTM(3) if name == "Bidirectional" else keras.layers.Dense(3)
        used = _used_on_first_call(keras, lambda: cls(inner), shape)
    else:
        used = _used_on_first_call(keras, lambda: cls(*args), shape)
    assert used == set(BUILD_NAMES.get(name, ()))


def test_namer_counts_like_keras(keras: Any) -> None:
    from keras.src.utils.naming import auto_name

    keras.backend.clear_session()
    ours = Namer()
    for cls in ["Dense", "Dense", "Conv2D", "Dense", "MaxPooling2D", "Conv2D"]:
        assert ours.auto(cls) == auto_name(cls)
