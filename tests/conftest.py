"""Shared test helpers. Keras runs on torch with weights on the meta device (no memory)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("KERAS_TORCH_DEVICE", "meta")
sys.path.insert(0, str(Path(__file__).parent))

import pytest


@pytest.fixture(scope="session")
def keras():  # type: ignore[no-untyped-def]
    """Real Keras 3, the oracle. Skipped with a reason where it is not installed."""
    return pytest.importorskip(
        "keras", reason="Keras 3 is the oracle for these tests; `make test` installs it"
    )


@pytest.fixture(autouse=True)
def _fresh_keras_names() -> None:
    """Keras numbers automatic names per session (conv2d, conv2d_1, …): start each test
    afresh so names do not depend on which tests ran before in the same process. Without
    Keras's full garbage collection: once a worker has imported Keras, that collection ran
    before every later test, about 0.3 s each over the heap of a worker that has built
    models (most of the PyTorch suite's time)."""
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session(free_memory=False)
