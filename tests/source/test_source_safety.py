"""Nothing in a script is executed or imported; hostile scripts are stopped quickly."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import modelmath
from modelmath.errors import ModelMathError
from modelmath.frontends.keras_source import graphs_from_source

MODEL = """
from keras import layers, Model
inp = layers.Input(shape=(4,))
model = Model(inp, layers.Dense(2)(inp))
model.summary()
"""


def read(src: str, **kw: object) -> list[object]:
    return graphs_from_source(textwrap.dedent(src), "t.py", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        "os.system('touch {p}')",
        "open('{p}', 'w').write('x')",
        "eval(\"open('{p}', 'w')\")",
        "exec(\"open('{p}', 'w')\")",
        "__import__('os').system('touch {p}')",
        "subprocess.run(['touch', '{p}'])",
        "subprocess.Popen('touch {p}', shell=True)",
        "pathlib.Path('{p}').write_text('x')",
        "shutil.copy(__file__, '{p}')",
        "getattr(os, 'system')('touch {p}')",
        "compile('x', '{p}', 'exec')",
        "urllib.request.urlopen('http://127.0.0.1:9/{p}')",
        "socket.create_connection(('127.0.0.1', 9))",
    ],
    ids=lambda c: c.split("(")[0],
)
def test_side_effects_never_happen(call: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    src = (
        "import os, subprocess, pathlib, shutil, socket, urllib.request\n"
        + call.format(p=sentinel)
        + "\n"
        + textwrap.dedent(MODEL)
    )
    [graph] = read(src)
    assert not sentinel.exists()
    assert graph.name == "functional"  # type: ignore[attr-defined]


def test_sandbox_escapes_refused(tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    attempts = [
        "().__class__.__bases__[0].__subclasses__()",
        "'{0.__class__}'.format(1)",
        "(lambda: 0).__globals__",
        f"[c for c in ().__class__.__base__.__subclasses__()]; open({str(sentinel)!r}, 'w')",
    ]
    for src in attempts:
        with pytest.raises(ModelMathError):
            read(src + "\n" + MODEL)
    assert not sentinel.exists()


def test_nothing_is_imported() -> None:
    """A script importing modules modelmath has never loaded leaves sys.modules unchanged."""
    src = "import antigravity, this, tkinter, numpy as np, tensorflow as tf\n" + MODEL
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from modelmath.frontends.keras_source import graphs_from_source
            before = set(sys.modules)
            graphs_from_source({src!r}, "t.py")
            new = sorted(m for m in set(sys.modules) - before
                         if m.split(".")[0] in ("antigravity", "this", "tkinter", "numpy",
                                                "tensorflow", "keras", "webbrowser"))
            print(new)
        """)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "loop",
    [
        "while True:\n    pass",
        "i = 0\nwhile i >= 0:\n    i += 1",
        "for i in range(10**12):\n    pass",
        "def f():\n    return f()\nf()",
        "x = sum(range(10**12))",
        "x = [i for i in range(10**12)]",
        "def g(n):\n    while True:\n        n = n + 1\ng(0)",
    ],
    ids=[
        "while_true", "counter", "huge_range", "recursion", "sum_range", "comprehension",
        "loop_in_function",
    ],
)
def test_endless_work_is_stopped_within_a_second(loop: str) -> None:
    start = time.monotonic()
    with pytest.raises(ModelMathError) as info:
        read(loop + "\n" + MODEL)
    assert time.monotonic() - start < 1.0
    message = str(info.value)
    assert "t.py:" in message
    assert "endless" in message


@pytest.mark.parametrize(
    "src",
    [
        "x = [0] * 10**10",
        "x = 'a' * 10**10",
        "x = 2 ** 10**9",
        "x = 1 << 10**9",
        "x = f'{1:1000000000}'",
        "x = '%1000000000d' % 1",
        "x = 'ab'.zfill(10**10)",
        "x = 'ab'.center(10**9)",
    ],
)
def test_huge_values_are_refused_before_they_are_built(src: str) -> None:
    start = time.monotonic()
    with pytest.raises(ModelMathError):
        read(src + "\n" + MODEL)
    assert time.monotonic() - start < 1.0


def test_deep_nesting_is_bounded() -> None:
    with pytest.raises(ModelMathError, match="nest"):
        read("x = " + "[" * 150 + "]" * 150 + "\n" + MODEL)
    with pytest.raises(ModelMathError, match="nest"):
        read("x = " + "-" * 5000 + "1\n" + MODEL)
    with pytest.raises(ModelMathError, match="nest"):
        read("x = " + "[" * 100_000 + "]" * 100_000)


def test_source_size_is_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text("# padding\n" * 200_000 + MODEL)
    with pytest.raises(ModelMathError, match="larger than"):
        modelmath.summaries(big)
