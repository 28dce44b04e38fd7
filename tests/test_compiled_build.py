"""The compiled build (setup.py: the PyTorch path's hot modules built by Cython from their
unchanged source) is the pure-Python package, faster: the same summaries, to the character
and in JSON, from the same models; and every module setup.py lists was built (its
extensions are optional, so a module that failed to compile would otherwise go unseen).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "modelmath"


def _compiled_list() -> list[str]:
    """setup.py's COMPILED, read as text (setup.py runs setup() when imported)."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED":
            return list(ast.literal_eval(node.value))
    raise AssertionError("setup.py has no COMPILED list")


def _built() -> list[Path]:
    return sorted(SRC.rglob("*.so"))


needs_build = pytest.mark.skipif(
    not _built(), reason="a pure-Python build (no C compiler, or MODELMATH_PURE_PYTHON=1)"
)

# Summaries of a few models through each path a compiled module is on: PyTorch
# convolutions, a transformer layer and a recurrent layer (copy, trace, rules, rows,
# text), and a Keras file (rules and formulas shared with Keras).
_SCRIPT = """
import json, sys, torch
from torch import nn
import modelmath, modelmath.torch_analysis as analysis
torch.manual_seed(0)
cnn = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.BatchNorm2d(8), nn.ReLU(),
                    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 8 * 8, 10)).eval()
layer = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True).eval()
rnn = nn.LSTM(16, 24, num_layers=2, bidirectional=True, batch_first=True)
out = {"file": analysis.__file__}
for name, model, size in (("cnn", cnn, (2, 3, 32, 32)), ("layer", layer, (2, 7, 32)),
                          ("rnn", rnn, (2, 5, 16))):
    s = modelmath.summary(model, input_size=size)
    out[name] = [str(s), json.dumps(s.to_json(), sort_keys=True)]
k = modelmath.summary(sys.argv[1])
out["keras"] = [str(k), json.dumps(k.to_json(), sort_keys=True)]
print(json.dumps(out))
"""


def _run(path: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(path)}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(ROOT / "examples" / "seed.keras")],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@needs_build
def test_every_listed_module_was_built() -> None:
    built = {p.relative_to(SRC.parent).as_posix().split(".", 1)[0] + ".py" for p in _built()}
    assert set(_compiled_list()) == built


@needs_build
def test_the_compiled_build_prints_what_the_pure_python_one_prints(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pure = tmp_path / "pure"
    shutil.copytree(SRC, pure / "modelmath", ignore=shutil.ignore_patterns("*.so", "*.c"))
    compiled, plain = _run(SRC.parent), _run(pure)
    assert str(compiled.pop("file")).endswith(".so")
    assert str(plain.pop("file")).endswith(".py")
    assert compiled.keys() == plain.keys()
    for name in compiled:
        assert compiled[name] == plain[name], name


def test_no_two_test_modules_share_a_name() -> None:
    """pytest refuses a second test module of the same file name (it would import the
    first one again) unless PY_IGNORE_IMPORTMISMATCH is set, as the root conftest sets it
    for the compiled build: this keeps that guard."""
    names = [p.name for p in (ROOT / "tests").rglob("*.py") if "corpus" not in p.parts]
    twice = sorted({n for n in names if names.count(n) > 1} - {"conftest.py"})
    assert not twice, twice
