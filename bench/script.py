"""The student's script, end to end: ``modelmath seed.py`` against ``python seed.py``.

    .venv/bin/python -m bench.script --repeats 9

The script is the seed program as a question would paste it (``model.summary()`` at the
end). modelmath reads it as text in a process that never imports a framework; Keras runs
it (torch backend). Median wall time from spawn to exit after one warm-up run, and each
process's own peak RSS. The bar (issue 3): modelmath under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.proc import ChildRun, run_checked  # noqa: E402

BAR_SECONDS = 0.150


def seed_script() -> str:
    """examples/seed.py as a student writes it: the model, then ``model.summary()``."""
    body = (ROOT / "examples" / "seed.py").read_text().split('if __name__ == "__main__":')[0]
    return body.rstrip() + "\nmodel.summary()\n"


def _commands(script: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    modelmath = Path(sys.executable).parent / "modelmath"
    return {
        "modelmath seed.py": ([str(modelmath), str(script)], dict(os.environ)),
        "modelmath seed.py --no-explain": (
            [str(modelmath), str(script), "--no-explain"],
            dict(os.environ),
        ),
        "python seed.py (Keras)": (
            [sys.executable, str(script)],
            os.environ | {"KERAS_BACKEND": "torch"},
        ),
    }


def measure(repeats: int) -> dict[str, list[ChildRun]]:
    """Interleaved rounds (one warm-up) of each command on the same script file."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "seed.py"
        script.write_text(seed_script())
        commands = _commands(script)
        runs: dict[str, list[ChildRun]] = {name: [] for name in commands}
        for round_ in range(repeats + 1):
            for name, (cmd, env) in commands.items():
                run = run_checked(cmd, env=env, cwd=ROOT)
                if "9,494,561" not in run.stdout:
                    raise RuntimeError(f"{name}: no 'Total params: 9,494,561' in its output")
                if round_:
                    runs[name].append(run)
    return runs


def markdown(runs: dict[str, list[ChildRun]]) -> list[str]:
    """The report section."""
    lines = [
        "## A script read as text (issue 3): the seed program end to end",
        "",
        "| command | median | min–max | peak RSS (MB) | bar |",
        "| :-- | --: | --: | --: | --: |",
    ]
    for name, done in runs.items():
        seconds = [r.seconds for r in done]
        median = statistics.median(seconds)
        bar = "—"
        if name.startswith("modelmath"):
            bar = f"{'PASS' if median < BAR_SECONDS else 'FAIL'} (< 150 ms)"
        lines.append(
            f"| `{name}` | {median * 1000:.1f} ms | {min(seconds) * 1000:.1f}–"
            f"{max(seconds) * 1000:.1f} ms | {max(r.maxrss_mb for r in done):.1f} | {bar} |"
        )
    lines += [
        "",
        f"Median of {len(next(iter(runs.values())))} runs after one warm-up; every run "
        "printed Total params: 9,494,561. modelmath reads the file as text and never "
        "imports a framework (its modules byte-compiled, as `pip install` leaves them); "
        "Keras runs it with KERAS_BACKEND=torch.",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "modelmath"), quiet=1)  # as pip install does
    print("\n".join(markdown(measure(args.repeats))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
