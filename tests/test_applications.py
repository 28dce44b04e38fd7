"""Every model in keras.applications (weights=None): every row and the totals equal Keras's,
through the live-model path and the saved-config path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from checks import assert_matches_keras, config_of
from keras_oracle import (
    KerasRow,
    KerasTruth,
    application_names,
    build_application,
    summary_text,
    truth,
)

import modelmath
from modelmath.renderers.table import TableOptions
from modelmath.renderers.text import render_text

# NASNetMobile refuses the torch backend (a Keras bug); it is built on JAX in a subprocess.
JAX_ONLY = {"NASNetMobile"}


def _names() -> list[str]:
    try:
        return application_names()
    except ImportError:  # pragma: no cover - Keras missing: the fixture skips with a reason
        return ["ResNet50"]


@pytest.mark.parametrize("name", [n for n in _names() if n not in JAX_ONLY])
def test_application_live_and_saved_config(keras, name: str, tmp_path: Path) -> None:
    model = build_application(name)
    expected = truth(model)
    assert_matches_keras(modelmath.summary(model), expected, f"{name} (live)")
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(config_of(model)))
    from_file = modelmath.summary(path)
    assert_matches_keras(from_file, expected, f"{name} (config file)")
    # Keras prints through a Console as wide as the terminal: make it wide enough.
    os.environ["COLUMNS"] = "300"
    ours = render_text(from_file, TableOptions(explain=False, width=120))
    assert ours == summary_text(model, line_length=120)


_JAX_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from keras_oracle import truth, build_application
m = build_application({name!r})
t = truth(m)
print(json.dumps({{"config": json.loads(m.to_json()), "truth": {{
    "rows": [[r.name, r.op, r.outputs, r.params] for r in t.rows],
    "total": t.total, "trainable": t.trainable, "non_trainable": t.non_trainable,
    "total_bytes": t.total_bytes}}}}))
"""


@pytest.mark.parametrize("name", sorted(JAX_ONLY))
def test_application_on_jax(keras, name: str) -> None:
    pytest.importorskip("jax", reason="NASNetMobile builds only on the JAX backend")
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    script = _JAX_SCRIPT.format(tests=str(Path(__file__).parent), name=name)
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    t = data["truth"]
    expected = KerasTruth(
        tuple(KerasRow(n, op, tuple(tuple(s) for s in outs), p) for n, op, outs, p in t["rows"]),
        t["total"],
        t["trainable"],
        t["non_trainable"],
        t["total_bytes"],
    )
    assert_matches_keras(modelmath.summary(data["config"]), expected, f"{name} (config, jax)")
