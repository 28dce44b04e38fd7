"""Every corpus script: modelmath's static reading equals real Keras running the script.

Keras runs all scripts in one separate process (oracle_runner.py); modelmath reads each
file as text. Rows (name, type, output shapes, parameters) and totals must all match.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from checks import assert_matches_keras
from keras_oracle import KerasRow, KerasTruth

import modelmath
from modelmath.model_summary import Summary
from modelmath.rules import find_rule

HERE = Path(__file__).resolve().parent
CORPUS = sorted((HERE / "corpus").glob("*.py"))


def keras_runs(scripts: list[Path], timeout: float = 600) -> dict[str, Any]:
    """What Keras says for each script (its summaries' truths, or {"error": ...}), from one
    separate process, by the scripts' paths as strings."""
    proc = subprocess.run(
        [sys.executable, str(HERE / "oracle_runner.py"), *map(str, scripts)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def assert_script_matches(ours: list[Summary], raw: list[dict[str, Any]], label: str) -> None:
    """modelmath's summaries of a script equal Keras's, model by model, row by row."""
    assert [s.name for s in ours] == [t["model_name"] for t in raw], f"{label}: models differ"
    for summary, truth in zip(ours, raw):
        assert_matches_keras(summary, to_truth(truth, summary), f"{label}:{summary.name}")


@pytest.fixture(scope="session")
def oracle(keras: Any) -> dict[str, Any]:
    """What Keras says for every corpus script, from one separate process."""
    return keras_runs(CORPUS)


def to_truth(raw: dict[str, Any], ours: Summary) -> KerasTruth:
    rows = []
    by_name = {r.name: r for r in ours.rows}
    for r in raw["rows"]:
        outputs = tuple(tuple(s) for s in r["outputs"])
        if raw["subclassed"] and not outputs and r["name"] in by_name:
            # Keras prints "?" for a subclassed model's output shapes; modelmath knows them.
            outputs = by_name[r["name"]].output_values
        rows.append(KerasRow(r["name"], r["op"], outputs, r["params"]))
    return KerasTruth(
        tuple(rows), raw["total"], raw["trainable"], raw["non_trainable"], raw["total_bytes"]
    )


def missing_rules(raw: list[dict[str, Any]], script: Path) -> list[str]:
    """Keras ops modelmath has no rule for yet. Classes the script defines are not among
    them: modelmath reads their call(), so a mismatch there is a failure, not an xfail."""
    own = set(re.findall(r"^class\s+(\w+)", script.read_text(), flags=re.MULTILINE))
    return sorted({r["op"] for t in raw for r in t["rows"] if find_rule(r["op"]) is None} - {
        "InputLayer", "Functional", "Sequential", *own
    })  # fmt: skip


@pytest.mark.parametrize("script", CORPUS, ids=[p.stem for p in CORPUS])
def test_script_matches_keras(script: Path, oracle: dict[str, Any]) -> None:
    raw = oracle[str(script)]
    assert not isinstance(raw, dict), f"Keras could not run {script.name}: {raw}"
    assert raw, f"{script.name} calls no summary()"
    missing = missing_rules(raw, script)
    try:
        assert_script_matches(modelmath.summaries(script), raw, script.name)
    except (AssertionError, modelmath.ModelMathError):
        if missing:
            pytest.xfail(f"no rule yet for {', '.join(missing)}")
        raise


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
