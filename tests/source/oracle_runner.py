"""Run corpus scripts with real Keras (torch backend, meta device) and print what Keras says.

    python tests/source/oracle_runner.py a.py b.py   →   JSON: {path: [truth, ...] | {"error": ...}}

Each script is executed (it is our own, trusted file) in a fresh Keras session with
``Model.summary`` replaced by a recorder, so the truths come in the order the script calls
``summary()``, as modelmath reads them. ``tensorflow`` is a shim that points ``tf.keras``
at Keras 3, so TF-style spellings run without TensorFlow.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import runpy
import sys
import types
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("KERAS_TORCH_DEVICE", "meta")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import keras  # noqa: E402
from keras_oracle import truth  # noqa: E402


def install_tensorflow_shim() -> None:
    tf = types.ModuleType("tensorflow")
    tf.keras = keras  # type: ignore[attr-defined]
    sys.modules["tensorflow"] = tf
    sys.modules["tensorflow.keras"] = keras
    for sub in ("layers", "models", "backend", "regularizers", "optimizers", "utils",
                "activations", "initializers", "losses", "callbacks", "ops"):  # fmt: skip
        sys.modules[f"tensorflow.keras.{sub}"] = getattr(keras, sub)


def run(path: str) -> object:
    keras.backend.clear_session()
    # Keras changes behaviour when it sees `tensorflow` imported (GRU asks tf for
    # TensorShape), so the shim is there only for scripts that import it.
    for name in [n for n in sys.modules if n == "tensorflow" or n.startswith("tensorflow.")]:
        del sys.modules[name]
    if "tensorflow" in Path(path).read_text():
        install_tensorflow_shim()
    seen: list[object] = []
    original = keras.Model.summary

    def record(self: keras.Model, *args: object, **kwargs: object) -> None:
        row = dataclasses.asdict(truth(self))
        row["model_name"] = self.name
        row["subclassed"] = not isinstance(
            self, (keras.src.models.Functional, keras.src.models.Sequential)
        )
        seen.append(row)

    keras.Model.summary = record  # type: ignore[method-assign]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(path, run_name="__main__")
    except Exception as err:  # reported per script, the others still run
        return {"error": f"{type(err).__name__}: {err}"}
    finally:
        keras.Model.summary = original  # type: ignore[method-assign]
    return seen


def main(paths: list[str]) -> None:
    print(json.dumps({p: run(p) for p in paths}))


if __name__ == "__main__":
    main(sys.argv[1:])
