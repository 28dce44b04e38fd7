"""In-process modelmath: from a config dict already in memory to a finished text summary.

    python -m bench.inproc_modelmath CONFIG_JSON --mode time --repeats 20
    python -m bench.inproc_modelmath CONFIG_JSON --mode memory

This process never imports Keras or a tensor library, so its peak memory is modelmath's
own (plus the interpreter and the parsed config). ``time`` mode times
``modelmath.summary(config)`` and ``render_text`` separately for the explained table and
for Keras's plain table; ``memory`` mode reports tracemalloc's peak with tracing started
before ``import modelmath`` (so lazy imports count), and again for a second, warm call.
"""

from __future__ import annotations

import argparse
import json
import tracemalloc
from pathlib import Path
from typing import Any

from bench.timing import emit, loaded_frameworks, repeat, timed


def _summary_and_text(config: dict[str, Any], explain: bool) -> tuple[Any, str]:
    import modelmath
    from modelmath.renderers.table import TableOptions
    from modelmath.renderers.text import render_text

    summary = modelmath.summary(config)
    return summary, render_text(summary, TableOptions(explain=explain))


def time_mode(config: dict[str, Any], repeats: int) -> dict[str, Any]:
    """Cold first call (imports included), then ``repeats`` warm calls per table kind."""
    import modelmath
    from modelmath.renderers.table import TableOptions
    from modelmath.renderers.text import render_text

    cold, (summary, _) = timed(lambda: _summary_and_text(config, explain=True))
    plain = TableOptions(explain=False)
    result: dict[str, Any] = {
        "cold_s": cold,
        "total_params": summary.totals.total.value,
        "analyse_s": repeat(lambda: modelmath.summary(config), repeats),
        "render_explained_s": repeat(lambda: render_text(summary), repeats),
        "render_plain_s": repeat(lambda: render_text(summary, plain), repeats),
        "explained_s": repeat(lambda: render_text(modelmath.summary(config)), repeats),
        "plain_s": repeat(lambda: render_text(modelmath.summary(config), plain), repeats),
    }
    result["frameworks_loaded"] = loaded_frameworks()
    return result


def memory_mode(config: dict[str, Any]) -> dict[str, Any]:
    """tracemalloc peak of the first call (with imports) and of a second, warm call."""
    tracemalloc.start()
    _summary_and_text(config, explain=True)
    _summary_and_text(config, explain=False)
    first_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    _summary_and_text(config, explain=True)
    _summary_and_text(config, explain=False)
    warm_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "tracemalloc_first_mib": first_peak / 2**20,
        "tracemalloc_warm_mib": warm_peak / 2**20,
        "frameworks_loaded": loaded_frameworks(),
    }


def main() -> None:
    """Parse the config into memory, then run one mode and emit its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("config_json", type=Path)
    parser.add_argument("--mode", choices=("time", "memory"), default="time")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    config = json.loads(args.config_json.read_text())
    emit(time_mode(config, args.repeats) if args.mode == "time" else memory_mode(config))


if __name__ == "__main__":
    main()
