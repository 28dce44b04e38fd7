"""In-process Keras: ``model_from_json(text)`` plus ``model.summary(print_fn=...)``.

    KERAS_BACKEND=torch python -m bench.inproc_keras CONFIG_JSON --repeats 3

Runs in its own process so that the modelmath figures come from a process that never
imported Keras or torch. The import of Keras is timed apart and left out of the per-call
figures, as is the first (cold) rebuild. ``summary()`` alone, on an already built model,
is timed apart too: it shows what Keras's own table rendering costs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bench.timing import emit, repeat, timed


def summarise(model: Any) -> list[str]:
    """Keras's ``model.summary()``, its text captured instead of printed."""
    lines: list[str] = []
    model.summary(print_fn=lines.append)
    return lines


def time_summary(model: Any, repeats: int) -> list[float]:
    """Seconds of ``repeats`` calls of ``summary()`` alone, on the model already built."""
    return repeat(lambda: summarise(model), repeats)


def rebuild_and_summarise(keras: Any, text: str) -> Any:
    """Keras's own path from config text to a summary."""
    model = keras.models.model_from_json(text)
    summarise(model)
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
    summary_s = time_summary(model, args.repeats)
    del model
    emit(
        {
            "import_s": import_s,
            "cold_s": cold_s,
            "total_params": total,
            "summary_only_s": summary_s,
            "rebuild_summary_s": repeat(lambda: rebuild_and_summarise(keras, text), args.repeats),
        }
    )


if __name__ == "__main__":
    main()
