"""How many random models a run checks: a fixed, reproducible number in CI, scaled up by
MODELMATH_FUZZ_EXAMPLES for `make fuzz`."""

from __future__ import annotations

import os

# CI: SHARDS × EXAMPLES_PER_SHARD generated models per run, spread over pytest-xdist workers.
SHARDS = int(os.environ.get("MODELMATH_FUZZ_SHARDS", "8"))
EXAMPLES = int(os.environ.get("MODELMATH_FUZZ_EXAMPLES", "1000"))
PER_SHARD = max(1, -(-EXAMPLES // SHARDS))
# `make fuzz` sets a random base seed; CI uses a fixed one so every run checks the same models.
BASE_SEED = int(os.environ.get("MODELMATH_FUZZ_SEED", "20260101"))
SAVE_COUNTEREXAMPLES = os.environ.get("MODELMATH_FUZZ_SAVE", "") == "1"
