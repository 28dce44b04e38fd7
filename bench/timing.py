"""Stdlib-only helpers shared by the in-process child scripts (no framework imports here)."""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

#: Modules whose presence in an in-process modelmath run would spoil its memory figure.
FRAMEWORKS = ("keras", "torch", "tensorflow", "jax")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by one call of ``fn`` (after a full collection), and its result."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def repeat(fn: Callable[[], Any], repeats: int) -> list[float]:
    """timeit-style: the seconds of ``repeats`` separate calls of ``fn``."""
    return [timed(fn)[0] for _ in range(repeats)]


def loaded_frameworks() -> list[str]:
    """Which deep-learning frameworks this process has imported."""
    return [name for name in FRAMEWORKS if name in sys.modules]


def emit(result: dict[str, Any]) -> None:
    """Hand the result to the parent: one JSON line on stdout, the last thing printed."""
    sys.stdout.write("\n" + json.dumps(result) + "\n")


def parse_emitted(stdout: str) -> dict[str, Any]:
    """The JSON line that :func:`emit` wrote (the last non-empty line of ``stdout``)."""
    last = [line for line in stdout.splitlines() if line.strip()][-1]
    data: dict[str, Any] = json.loads(last)
    return data
