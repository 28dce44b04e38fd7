"""Differential testing: random valid models, built in real Keras and summarized by
modelmath from the live model and from its saved config, must agree on every row.

Keras's refusals are rejected (not counted). In `make fuzz` a failing model is written to
regressions/ as its to_json() config, which test_regressions.py replays from then on.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The rule tests' checking helper (tests/rules/layer_check.py); no conftest.py here, since
# a second module named conftest would shadow tests/conftest.py for other test files.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "rules"))

from typing import Any

import pytest
from fuzz_settings import BASE_SEED, PER_SHARD, SAVE_COUNTEREXAMPLES, SHARDS
from hypothesis import HealthCheck, given, reject, seed, settings
from hypothesis import strategies as st
from layer_check import check_model
from random_models import random_model

REGRESSIONS = Path(__file__).parent / "regressions"
BUILD_COUNT: dict[int, int] = {}


def _build(data: st.DataObject, keras: Any) -> Any:
    keras.backend.clear_session(free_memory=False)
    try:
        return random_model(data.draw, keras)
    except Exception:  # Keras refuses configs with many error types
        reject()  # Keras refused this configuration: not a valid model


@pytest.mark.parametrize("shard", range(SHARDS))
def test_random_models_match_keras(keras: Any, shard: int) -> None:
    checked = 0

    @seed(BASE_SEED + shard)
    @settings(
        max_examples=PER_SHARD,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        nonlocal checked
        model = _build(data, keras)
        try:
            check_model(model, f"shard {shard}")
        except Exception:
            if SAVE_COUNTEREXAMPLES:
                # Overwritten on each failure: the last one written is the shrunk example.
                REGRESSIONS.mkdir(exist_ok=True)
                (REGRESSIONS / f"seed{BASE_SEED + shard}.json").write_text(model.to_json())
            raise
        checked += 1

    run()
    assert checked > 0
