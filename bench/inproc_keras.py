"""In-process Keras: ``model_from_json(text)`` plus ``model.summary(print_fn=...)``.

    KERAS_BACKEND=torch python -m bench.inproc_keras CONFIG_JSON --repeats 3

Runs in its own process so that the modelmath figures come from a process that never
imported Keras or torch. The import of Keras is timed apart and left out of the per-call
figures, as is the first (cold) rebuild.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bench.timing import emit, repeat, timed


def rebuild_and_summarise(keras: Any, text: str) -> Any:
    """Keras's own path from config text to a summary; the lines are captured, not printed."""
    lines: list[str] = []
    model = keras.models.model_from_json(text)
    model.summary(print_fn=lines.append)
    return model


def main() -> None:
    """Import Keras, rebuild once cold, then time ``repeats`` warm rebuilds + summaries."""
    parser = argparse.ArgumentParser()
    parser.add_argument("config_json", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = args.config_json.read_text()

    import_s, keras = timed(lambda: __import__("keras"))
    cold_s, model = timed(lambda: rebuild_and_summarise(keras, text))
    total = int(model.count_params())
    del model
    emit(
        {
            "import_s": import_s,
            "cold_s": cold_s,
            "total_params": total,
            "rebuild_summary_s": repeat(lambda: rebuild_and_summarise(keras, text), args.repeats),
        }
    )


if __name__ == "__main__":
    main()
