"""Build each benchmark model once and cache it as a ``.keras`` archive and a config JSON.

The parent (``run.py``) never imports Keras; it calls :func:`ensure_prepared`, which runs
this module as a child process with ``KERAS_BACKEND=torch`` for every model not yet cached::

    KERAS_BACKEND=torch python -m bench.prepare resnet50 bench/.cache
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_PROGRAM = ROOT / "examples" / "seed.py"

#: Benchmark name → keras.applications constructor (None: the seed example program).
MODELS: dict[str, str | None] = {
    "seed": None,
    "resnet50": "ResNet50",
    "efficientnetb7": "EfficientNetB7",
    "vgg16": "VGG16",
}


@dataclass(frozen=True)
class Prepared:
    """The cached inputs of one model: the saved archive and the ``model.to_json()`` text."""

    name: str
    keras_file: Path
    json_file: Path

    @property
    def total_params(self) -> int:
        """Keras's own total parameter count, recorded when the model was built."""
        meta = json.loads(self.keras_file.with_suffix(".meta.json").read_text())
        return int(meta["total_params"])


def paths(name: str, cache: Path) -> Prepared:
    """Where the cached files of ``name`` live."""
    return Prepared(name, cache / f"{name}.keras", cache / f"{name}.json")


def ensure_prepared(names: list[str], cache: Path, *, refresh: bool = False) -> list[Prepared]:
    """Build (in a Keras child process) every model whose cached files are missing."""
    cache.mkdir(parents=True, exist_ok=True)
    prepared = [paths(name, cache) for name in names]
    for item in prepared:
        meta = item.keras_file.with_suffix(".meta.json")
        if refresh or not (item.keras_file.exists() and item.json_file.exists() and meta.exists()):
            print(f"preparing {item.name} (Keras, torch backend) ...", file=sys.stderr, flush=True)
            env = os.environ | {"KERAS_BACKEND": "torch"}
            cmd = [sys.executable, "-m", "bench.prepare", item.name, str(cache)]
            subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return prepared


def build_model(name: str) -> Any:
    """The Keras model called ``name`` (weights=None for keras.applications)."""
    import runpy

    import keras

    constructor = MODELS[name]
    if constructor is None:
        return runpy.run_path(str(SEED_PROGRAM), run_name="seed")["model"]
    return getattr(keras.applications, constructor)(weights=None)


def save(name: str, cache: Path) -> None:
    """Build ``name`` and write its archive, its config JSON and Keras's total count."""
    model = build_model(name)
    target = paths(name, cache)
    model.save(target.keras_file)
    target.json_file.write_text(model.to_json())
    meta = {"total_params": int(model.count_params())}
    target.keras_file.with_suffix(".meta.json").write_text(json.dumps(meta) + "\n")


def main(argv: list[str]) -> int:
    """``python -m bench.prepare NAME CACHE_DIR``."""
    name, cache = argv
    if os.environ.get("KERAS_BACKEND") != "torch":
        print("bench.prepare: set KERAS_BACKEND=torch", file=sys.stderr)
        return 2
    save(name, Path(cache))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
