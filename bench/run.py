"""Benchmark modelmath against Keras on the same models, in one run, on one machine.

    .venv/bin/python bench/run.py                 # seed, ResNet50, EfficientNetB7, VGG16; N=5
    .venv/bin/python bench/run.py --quick         # smoke run: N=1, seed and ResNet50
    .venv/bin/python bench/run.py --models seed vgg16 --repeats 9

Each model is built once with Keras (torch backend) and cached in bench/.cache/ as a
``.keras`` archive and the ``model.to_json()`` text. Then, for each model:

1. end to end, one process each from start to exit (median of N, after one warm-up run):
   ``modelmath MODEL.keras --no-explain`` and ``modelmath MODEL.keras`` against
   ``python bench/keras_summary.py MODEL.json`` (import Keras, ``model_from_json``,
   ``summary()``); peak memory is each child's own max RSS, from ``os.wait4``;
2. in process, from the config already in memory to a finished summary text:
   ``modelmath.summary(config)`` + ``render_text`` in a process that never imports Keras
   or torch, against Keras's ``model_from_json`` + ``summary()`` in its own process.

Then the seed program as a script (bench/script.py): ``modelmath seed.py`` read as text
against ``python seed.py`` with Keras. Then 200 concurrent requests of the seed summary
against ``modelmath serve``, in rounds (bench/load.py), for the page's p50/p99 latency.

The report (Markdown, with PASS/FAIL against the bars of issue 2) is printed and written
to bench/results.md. This harness is not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(ROOT))

from bench.machine import describe, load_average  # noqa: E402
from bench.prepare import MODELS, Prepared, ensure_prepared  # noqa: E402
from bench.proc import ChildRun, run_checked  # noqa: E402
from bench.report import (  # noqa: E402
    E2E_EXPLAINED,
    E2E_KERAS,
    E2E_PLAIN,
    ModelResult,
    render,
)
from bench.timing import parse_emitted  # noqa: E402

BENCH = ROOT / "bench"
DEFAULT_MODELS = ("seed", "resnet50", "efficientnetb7", "vgg16")
QUICK_MODELS = ("seed", "resnet50")
TOTAL_LINE = re.compile(r"Total params:\s*([\d,]+)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="+", choices=sorted(MODELS), help="models to run")
    p.add_argument("--no-load", action="store_true", help="skip the load test of `modelmath serve`")
    p.add_argument(
        "--no-script", action="store_true", help="skip the seed script (read as text) timing"
    )
    p.add_argument(
        "-n",
        "--repeats",
        type=int,
        default=5,
        help="end-to-end runs per tool and model; the median is reported (5)",
    )
    p.add_argument(
        "--inproc-repeats",
        type=int,
        default=20,
        help="warm in-process modelmath calls per measurement (20)",
    )
    p.add_argument(
        "--keras-inproc-repeats",
        type=int,
        default=3,
        help="warm in-process Keras rebuilds per model (3)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: N=1, 3 in-process calls, seed and ResNet50 only",
    )
    p.add_argument("--cache", type=Path, default=BENCH / ".cache", help="prepared models")
    p.add_argument("--refresh", action="store_true", help="rebuild the cached models")
    p.add_argument(
        "--output",
        type=Path,
        default=BENCH / "results.md",
        help="where to write the Markdown report",
    )
    args = p.parse_args(argv)
    if args.quick:
        args.repeats, args.inproc_repeats, args.keras_inproc_repeats = 1, 3, 1
        args.models = args.models or list(QUICK_MODELS)
    args.models = args.models or list(DEFAULT_MODELS)
    return args


def keras_env() -> dict[str, str]:
    """The environment of every Keras child: torch backend."""
    return os.environ | {"KERAS_BACKEND": "torch"}


def modelmath_executable() -> str:
    """The ``modelmath`` console script of the interpreter running this harness."""
    beside = Path(sys.executable).parent / "modelmath"
    found = str(beside) if beside.exists() else shutil.which("modelmath")
    if not found:
        raise SystemExit("bench: no `modelmath` command found; pip install -e . first")
    return found


def end_to_end_commands(item: Prepared) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Variant → (command, environment) for the end-to-end runs of one model."""
    mm = modelmath_executable()
    keras_cmd = [sys.executable, str(BENCH / "keras_summary.py"), str(item.json_file)]
    return {
        E2E_KERAS: (keras_cmd, keras_env()),
        E2E_PLAIN: ([mm, str(item.keras_file), "--no-explain"], dict(os.environ)),
        E2E_EXPLAINED: ([mm, str(item.keras_file)], dict(os.environ)),
    }


def total_in(text: str) -> int | None:
    """The ``Total params`` figure a summary printed, or None."""
    match = TOTAL_LINE.search(text)
    return int(match.group(1).replace(",", "")) if match else None


def measure_end_to_end(item: Prepared, repeats: int, result: ModelResult) -> None:
    """One warm-up run of each variant, then ``repeats`` rounds, interleaved so drift in
    machine load affects all variants alike."""
    commands = end_to_end_commands(item)
    runs: dict[str, list[ChildRun]] = {variant: [] for variant in commands}
    for round_ in range(repeats + 1):
        for variant, (cmd, env) in commands.items():
            run = run_checked(cmd, env=env, cwd=ROOT)
            if round_:
                runs[variant].append(run)
            result.totals_seen[f"e2e {variant}"] = total_in(run.stdout)
    result.e2e = runs


def measure_in_process(item: Prepared, args: argparse.Namespace, result: ModelResult) -> None:
    """The three in-process children: modelmath timing, modelmath memory, Keras timing."""
    python = sys.executable
    mm_cmd = [python, "-m", "bench.inproc_modelmath", str(item.json_file)]
    timing = run_checked(
        [*mm_cmd, "--repeats", str(args.inproc_repeats)], env=dict(os.environ), cwd=ROOT
    )
    result.mm_inproc, result.mm_inproc_rss_mb = parse_emitted(timing.stdout), timing.maxrss_mb
    memory = run_checked([*mm_cmd, "--mode", "memory"], env=dict(os.environ), cwd=ROOT)
    result.mm_memory = parse_emitted(memory.stdout)
    for figures in (result.mm_inproc, result.mm_memory):
        if figures["frameworks_loaded"]:
            raise RuntimeError(f"modelmath in-process run imported {figures['frameworks_loaded']}")
    keras_cmd = [
        python,
        "-m",
        "bench.inproc_keras",
        str(item.json_file),
        "--repeats",
        str(args.keras_inproc_repeats),
    ]
    keras = run_checked(keras_cmd, env=keras_env(), cwd=ROOT)
    result.keras_inproc, result.keras_inproc_rss_mb = parse_emitted(keras.stdout), keras.maxrss_mb
    result.totals_seen["in-process modelmath"] = result.mm_inproc["total_params"]
    result.totals_seen["in-process keras"] = result.keras_inproc["total_params"]


def count_layers(json_file: Path) -> int:
    """Layers in the top-level config (Keras's summary rows)."""
    return len(json.loads(json_file.read_text())["config"]["layers"])


def benchmark(item: Prepared, args: argparse.Namespace) -> ModelResult:
    """Every measurement for one prepared model."""
    result = ModelResult(item.name, count_layers(item.json_file), item.total_params)
    print(f"{item.name}: end to end ...", file=sys.stderr, flush=True)
    measure_end_to_end(item, args.repeats, result)
    print(f"{item.name}: in process ...", file=sys.stderr, flush=True)
    measure_in_process(item, args, result)
    return result


def command_line() -> str:
    """How this run was started, with paths relative to the repository root."""

    def rel(path: str) -> str:
        return os.path.relpath(path, ROOT) if Path(path).is_absolute() else path

    return shlex.join([rel(sys.executable), rel(sys.argv[0]), *sys.argv[1:]])


def main(argv: Sequence[str] | None = None) -> int:
    """Prepare, measure, report."""
    args = parse_args(argv)
    # Byte-compile modelmath as `pip install` does for a wheel (an editable install is not,
    # and PYTHONDONTWRITEBYTECODE would make every run compile it again).
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "modelmath"), quiet=1)
    prepared = ensure_prepared(args.models, args.cache, refresh=args.refresh)
    load_before = load_average()
    results = [benchmark(item, args) for item in prepared]
    settings = {
        "Repeats": f"end to end N={args.repeats} (median, after 1 warm-up); in process "
        f"{args.inproc_repeats} modelmath / {args.keras_inproc_repeats} Keras warm calls "
        "(median, after 1 cold call)",
        "Load average (1/5/15 min) before / after": f"{load_before} / {load_average()}",
        "Byte code": "modelmath's modules byte-compiled first, as `pip install` does (Keras's "
        "already are, in site-packages)",
    }
    report = render(results, describe(ROOT), command_line(), settings)
    if not args.no_script:
        from bench.script import markdown as script_markdown
        from bench.script import measure as measure_script

        print("seed.py: end to end ...", file=sys.stderr, flush=True)
        section = script_markdown(measure_script(max(args.repeats, 3)))
        report = report.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    if not args.no_load:
        from bench.load import markdown, run_load

        report = report.rstrip("\n") + "\n\n" + "\n".join(markdown(run_load())) + "\n"
    sys.stdout.write(report)
    args.output.write_text(report)
    print(f"\nwritten to {os.path.relpath(args.output, ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
