"""The benchmark's figures as Markdown tables, with the bars from issue 2 marked PASS/FAIL."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.proc import ChildRun

END_TO_END_BAR = 10.0  # Keras time / modelmath time, end to end
IN_PROCESS_BAR = 50.0  # Keras time / modelmath time, in process
MEMORY_BAR_MB = 80.0  # modelmath peak memory, every model (MB = 10**6 bytes)
TIMED_MODELS = ("resnet50", "efficientnetb7")  # the models the time bars apply to

#: End-to-end variants: key → how the table labels it.
E2E_KERAS, E2E_PLAIN, E2E_EXPLAINED = "keras", "modelmath --no-explain", "modelmath"


@dataclass
class ModelResult:
    """Everything measured for one model."""

    name: str
    layers: int
    keras_total: int
    e2e: dict[str, list[ChildRun]] = field(default_factory=dict)
    mm_inproc: dict[str, Any] = field(default_factory=dict)
    mm_inproc_rss_mb: float = 0.0
    mm_memory: dict[str, Any] = field(default_factory=dict)
    keras_inproc: dict[str, Any] = field(default_factory=dict)
    keras_inproc_rss_mb: float = 0.0
    totals_seen: dict[str, int | None] = field(default_factory=dict)

    def e2e_seconds(self, variant: str) -> float:
        """Median wall time of the end-to-end runs of ``variant``."""
        return statistics.median(run.seconds for run in self.e2e[variant])

    def e2e_rss_mb(self, variant: str) -> float:
        """Largest peak RSS over the end-to-end runs of ``variant``."""
        return max(run.maxrss_mb for run in self.e2e[variant])

    def mm_peak_mb(self) -> float:
        """modelmath's peak memory: the largest RSS of any process that ran only modelmath."""
        return max(
            self.e2e_rss_mb(E2E_PLAIN), self.e2e_rss_mb(E2E_EXPLAINED), self.mm_inproc_rss_mb
        )

    def totals_agree(self) -> bool:
        """Did every run report Keras's own total parameter count?"""
        return all(seen == self.keras_total for seen in self.totals_seen.values())


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return statistics.median(values)


def seconds(value: float) -> str:
    """A duration, in the unit that keeps three significant figures readable."""
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def ratio(keras: float, modelmath: float) -> str:
    """Keras time / modelmath time, as ``12.3×``."""
    return f"{keras / modelmath:,.1f}×"


def verdict(name: str, value: float, bar: float) -> str:
    """PASS/FAIL for a time ratio against ``bar``; a dash where the issue sets no bar."""
    if name not in TIMED_MODELS:
        return "—"
    return f"{'PASS' if value >= bar else 'FAIL'} (≥{bar:g}×)"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table; the first column left-aligned, the rest right-aligned."""
    align = [":--"] + ["--:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def end_to_end_table(results: Sequence[ModelResult]) -> list[str]:
    """Wall time from spawn to exit, median of N, with the ratio against Keras."""
    header = [
        "model",
        "layers",
        "Keras",
        "modelmath --no-explain",
        "ratio",
        "bar",
        "modelmath (explained)",
        "ratio",
        "bar",
    ]
    rows = []
    for r in results:
        keras = r.e2e_seconds(E2E_KERAS)
        plain, explained = r.e2e_seconds(E2E_PLAIN), r.e2e_seconds(E2E_EXPLAINED)
        rows.append(
            [
                r.name,
                str(r.layers),
                seconds(keras),
                seconds(plain),
                ratio(keras, plain),
                verdict(r.name, keras / plain, END_TO_END_BAR),
                seconds(explained),
                ratio(keras, explained),
                verdict(r.name, keras / explained, END_TO_END_BAR),
            ]
        )
    return table(header, rows)


def in_process_table(results: Sequence[ModelResult]) -> list[str]:
    """Config in memory → finished summary text, median of warm calls, ratio against Keras."""
    header = [
        "model",
        "Keras rebuild + summary()",
        "modelmath plain table",
        "ratio",
        "bar",
        "modelmath explained",
        "ratio",
        "bar",
    ]
    rows = []
    for r in results:
        keras = median(r.keras_inproc["rebuild_summary_s"])
        plain, explained = median(r.mm_inproc["plain_s"]), median(r.mm_inproc["explained_s"])
        rows.append(
            [
                r.name,
                seconds(keras),
                seconds(plain),
                ratio(keras, plain),
                verdict(r.name, keras / plain, IN_PROCESS_BAR),
                seconds(explained),
                ratio(keras, explained),
                verdict(r.name, keras / explained, IN_PROCESS_BAR),
            ]
        )
    return table(header, rows)


def memory_table(results: Sequence[ModelResult]) -> list[str]:
    """Peak memory of every process, in MB (10**6 bytes), and the bar for modelmath."""
    header = [
        "model",
        "Keras end to end",
        "Keras in process",
        "modelmath --no-explain",
        "modelmath (explained)",
        "modelmath in process",
        "tracemalloc first / warm",
        "bar (< 80 MB)",
    ]
    rows = []
    for r in results:
        peak = r.mm_peak_mb()
        rows.append(
            [
                r.name,
                f"{r.e2e_rss_mb(E2E_KERAS):,.0f}",
                f"{r.keras_inproc_rss_mb:,.0f}",
                f"{r.e2e_rss_mb(E2E_PLAIN):.1f}",
                f"{r.e2e_rss_mb(E2E_EXPLAINED):.1f}",
                f"{r.mm_inproc_rss_mb:.1f}",
                f"{r.mm_memory['tracemalloc_first_mib'] * 2**20 / 1e6:.1f} / "
                f"{r.mm_memory['tracemalloc_warm_mib'] * 2**20 / 1e6:.1f}",
                f"{'PASS' if peak < MEMORY_BAR_MB else 'FAIL'} ({peak:.1f})",
            ]
        )
    return table(header, rows)


def breakdown_table(results: Sequence[ModelResult]) -> list[str]:
    """Where the time goes, for both tools: imports, cold first call, warm parts."""
    header = [
        "model",
        "Keras import",
        "Keras cold rebuild",
        "Keras summary() alone",
        "Keras e2e min–max",
        "modelmath cold call",
        "modelmath.summary()",
        "render plain",
        "render explained",
        "modelmath e2e min–max",
        "totals agree",
    ]
    rows = []
    for r in results:
        k = [run.seconds for run in r.e2e[E2E_KERAS]]
        m = [run.seconds for run in r.e2e[E2E_PLAIN]]
        rows.append(
            [
                r.name,
                seconds(r.keras_inproc["import_s"]),
                seconds(r.keras_inproc["cold_s"]),
                seconds(median(r.keras_inproc["summary_only_s"])),
                f"{seconds(min(k))}–{seconds(max(k))}",
                seconds(r.mm_inproc["cold_s"]),
                seconds(median(r.mm_inproc["analyse_s"])),
                seconds(median(r.mm_inproc["render_plain_s"])),
                seconds(median(r.mm_inproc["render_explained_s"])),
                f"{seconds(min(m))}–{seconds(max(m))}",
                f"yes ({r.keras_total:,})" if r.totals_agree() else f"NO: {r.totals_seen}",
            ]
        )
    return table(header, rows)


def render(
    results: Sequence[ModelResult],
    machine: Sequence[tuple[str, str]],
    command: str,
    settings: dict[str, Any],
) -> str:
    """The whole report as Markdown."""
    out = ["# modelmath vs Keras: benchmark", "", f"Command: `{command}`", ""]
    out += [f"- **{label}**: {value}" for label, value in machine]
    out += [f"- **{label}**: {value}" for label, value in settings.items()]
    out += ["", "## End to end (one process each, start to exit; median wall time)", ""]
    out += end_to_end_table(results)
    out += [
        "",
        "Keras: `python bench/keras_summary.py MODEL.json` (import keras, "
        "`model_from_json`, `model.summary()`); modelmath: `modelmath MODEL.keras`.",
        "",
    ]
    out += ["## In process (config already in memory → finished summary; median of warm calls)", ""]
    out += in_process_table(results)
    out += [
        "",
        "modelmath: `modelmath.summary(config_dict)` + `render_text(summary)`, in a "
        "process that never imports Keras or torch; Keras: `model_from_json(text)` + "
        "`model.summary(print_fn=...)`, in its own process.",
        "",
    ]
    out += ["## Peak memory (max RSS per process via os.wait4, MB = 10^6 bytes)", ""]
    out += memory_table(results)
    out += ["", "## Where the time goes", ""]
    out += breakdown_table(results)
    return "\n".join(out) + "\n"
