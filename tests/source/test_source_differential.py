"""The corpus with its settings changed: modelmath agrees with Keras running each variant.

Each corpus script gets a few seeded variants with plausible edits a student makes: a
size, a kernel, a stride or a unit count inside a layer call replaced by another small
int, ``padding``, activations, data formats or merge modes swapped, a flag flipped. Keras
runs every variant in one separate process (``oracle_runner.py``); modelmath reads each as
text. Where Keras builds the model, every row and total must equal Keras's; where Keras
refuses it, modelmath must refuse it too, saying where. (Run with more variants by hand,
this found a shared layer called on a wider input, a nested model called on other shapes
than it was built for, and ``padding='causal'`` outside Conv1D: see
test_source_shared_calls.py and test_source_mutations.py.)
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from test_source_corpus import CORPUS, assert_script_matches, keras_runs

import modelmath
from modelmath.errors import ModelMathError

VARIANTS = 3  # per corpus script
_INT = re.compile(r"(?<![\w.'\"])\d+(?![\w.])")
_SWAPS = {
    "same": ["valid", "causal"], "valid": ["same", "causal"], "causal": ["same", "valid"],
    "relu": ["tanh"],
    "max": ["avg"], "channels_last": ["channels_first"], "concat": ["sum", "mul"],
    "sum": ["concat"], "bilinear": ["nearest"], "nearest": ["bilinear"],
}  # fmt: skip
_WORD = re.compile(r"""(['"])(""" + "|".join(_SWAPS) + r""")\1""")
_FLAG = re.compile(r"\b(True|False)\b")


def _call_spans(src: str) -> list[tuple[int, int]]:
    """Where the arguments of each call of a capitalized name (a layer, Input) lie."""
    spans = []
    for m in re.finditer(r"\b[A-Z]\w*\(", src):
        depth = 0
        for j in range(m.end() - 1, min(len(src), m.end() + 400)):
            depth += {"(": 1, ")": -1}.get(src[j], 0)
            if depth == 0:
                spans.append((m.end(), j))
                break
    return spans


def _vary(src: str, rng: random.Random) -> str:
    """``src`` with one plausible edit (or unchanged when the edit finds nothing)."""
    kind = rng.randrange(4)
    if kind < 2:
        spans = _call_spans(src)
        ints = [n for n in _INT.finditer(src) if any(a <= n.start() < b for a, b in spans)]
        if ints:
            n = rng.choice(ints)
            v = int(n.group())
            new = rng.choice([1, 2, 3, 4, 5, 7, 8, 16, max(1, v - 1), v + 1, 2 * v, max(1, v // 2)])
            return src[: n.start()] + str(new) + src[n.end() :]
    elif kind == 2:
        words = list(_WORD.finditer(src))
        if words:
            m = rng.choice(words)
            word = m.group(1) + rng.choice(_SWAPS[m.group(2)]) + m.group(1)
            return src[: m.start()] + word + src[m.end() :]
    else:
        flags = list(_FLAG.finditer(src))
        if flags:
            m = rng.choice(flags)
            return src[: m.start()] + ("False" if m.group() == "True" else "True") + src[m.end() :]
    return src


def _variants(tmp: Path) -> list[Path]:
    out = []
    for script in CORPUS:
        rng = random.Random(f"differential {script.stem}")
        src = script.read_text()
        for n in range(VARIANTS):
            varied = src
            for _ in range(rng.choice([1, 1, 2])):
                varied = _vary(varied, rng)
            if varied != src:
                path = tmp / f"{script.stem}__{n}.py"
                path.write_text(varied)
                out.append(path)
    return out


def test_varied_scripts_agree_with_keras(keras: Any, tmp_path: Path) -> None:
    paths = _variants(tmp_path)
    assert len(paths) >= 2 * len(CORPUS), "too few variants: the edits found nothing to change"
    oracle = keras_runs(paths, timeout=900)
    wrong: list[str] = []
    built = 0
    for path in paths:
        raw = oracle[str(path)]
        keras_builds = not isinstance(raw, dict) and bool(raw)
        try:
            ours = modelmath.summaries(str(path))
        except ModelMathError as err:
            if keras_builds:
                wrong.append(f"{path.name}: Keras builds it, modelmath refuses: {err}")
            elif not err.where:
                wrong.append(f"{path.name}: an error that says not where: {err}")
            continue
        if not keras_builds:
            wrong.append(f"{path.name}: Keras refuses it ({raw}), modelmath answers")
            continue
        built += 1
        try:
            assert_script_matches(ours, raw, path.name)
        except AssertionError as err:
            wrong.append(f"{path.name}: {err}")
    assert not wrong, "\n".join(wrong)
    assert built >= len(paths) // 2, f"only {built} of {len(paths)} variants built"
