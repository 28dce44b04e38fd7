"""modelmath against torchinfo on the same PyTorch models, built the same way.

    .venv/bin/python -m bench.torch_vs_torchinfo            # everything, ~4 minutes
    .venv/bin/python -m bench.torch_vs_torchinfo --repeats 3

ResNet-50 and ViT-L/16 (the bar's models) are written here (torchvision does not import
beside torch 2.13.0) with their standard dimensions and real (random) weights, in eval
mode, input (1, 3, 224, 224); beside them two models of the transformers zoo, GPT-2 small
and BERT-base, built from their default configs (random weights, no download), given 128
token ids. Each tool and model runs in a fresh child process, so peaks do not mix:

- torchinfo: ``str(torchinfo.summary(model, input_size=..., verbose=0))``, the real
  forward pass as torchinfo runs it by default (CPU), with torch's default thread count
  and again with one thread; the faster of the two is the figure modelmath is held to
  (on a busy 2-core machine torch's two threads can be far slower than one);
- modelmath: ``str(modelmath.summary(model, input_size=...))``, the whole explained
  summary rendered as text.

Times: the first call in the process (one-time imports and warm-up included), then the
best and the median of at least ``--repeats`` calls, each after a full garbage
collection, going on until ``--seconds`` of calls have passed (each tool alike: this
machine's speed moves between two levels about every second, and five calls of a fast
tool would fall inside one spell, where a slow tool's calls outlast it); each tool runs in
``--processes`` fresh processes (interleaved with the others), and the figure is the
median of their bests, since one process's speed moves by about 10 % with where its
memory lies. Memory:
how far the resident set rises during a call above where it stood when the call began
(peak reset before each call through /proc/self/clear_refs): for the first call, which
includes imports the tool makes on first use, and the largest of the later calls. The bar
(issue 6, point 7) is modelmath ≥ 10× faster than torchinfo on the best times.

Then modelmath alone on a family of decoders built on the meta device (no weights
anywhere), the same depth at growing width up to tens of billions of parameters, and the
70-billion-parameter decoder of ``bench/torch_70b.py``: its peak memory must not grow with
the parameter count. And for each model the time of each phase of modelmath (the trace, by
the symbolic tracer where it knows every operation, the rules, the text), beside the meta
tracer and a bare meta forward pass of the same model without any instrument, to show
where the time goes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1, 3, 224, 224)
BAR = 10.0


class Bottleneck(nn.Module):
    def __init__(self, cin: int, mid: int, stride: int) -> None:
        super().__init__()
        out = mid * 4
        self.conv1, self.bn1 = nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3, self.bn3 = nn.Conv2d(mid, out, 1, bias=False), nn.BatchNorm2d(out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = (
            nn.Sequential(nn.Conv2d(cin, out, 1, stride, bias=False), nn.BatchNorm2d(out))
            if stride != 1 or cin != out
            else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet50(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1, self.relu = nn.BatchNorm2d(64), nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin, stages = 64, []
        for i, (mid, n) in enumerate(((64, 3), (128, 4), (256, 6), (512, 3))):
            blocks = []
            for j in range(n):
                blocks.append(Bottleneck(cin, mid, 2 if (j == 0 and i > 0) else 1))
                cin = mid * 4
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool, self.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(2048, 1000)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class ViT(nn.Module):
    """ViT-L/16: 24 layers of width 1024, 16 heads, MLP 4096, 224×224 images."""

    def __init__(self, d: int = 1024, layers: int = 24, heads: int = 16, mlp: int = 4096) -> None:
        super().__init__()
        self.conv_proj = nn.Conv2d(3, d, 16, 16)
        self.class_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embedding = nn.Parameter(torch.zeros(1, 197, d))
        layer = nn.TransformerEncoderLayer(d, heads, mlp, 0.0, F.gelu, 1e-6, True, True)
        self.encoder = nn.TransformerEncoder(layer, layers, nn.LayerNorm(d, eps=1e-6),
                                             enable_nested_tensor=False)  # fmt: skip
        self.head = nn.Linear(d, 1000)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = self.conv_proj(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.class_token.expand(x.shape[0], -1, -1), t], 1) + self.pos_embedding
        return self.head(self.encoder(t)[:, 0])


def _gpt2() -> nn.Module:
    """GPT-2 small (124 M) from transformers, built from its default config."""
    import transformers

    return transformers.GPT2LMHeadModel(transformers.GPT2Config())  # type: ignore[no-any-return]


def _bert() -> nn.Module:
    """BERT-base (110 M) from transformers, built from its default config."""
    import transformers

    return transformers.BertModel(transformers.BertConfig())  # type: ignore[no-any-return]


MODELS: dict[str, Callable[[], nn.Module]] = {
    "resnet50": ResNet50,
    "vit_l_16": ViT,
    "gpt2 (transformers)": _gpt2,
    "bert-base (transformers)": _bert,
}
# The bar's models take images; the model-zoo ones take 128 token ids.
ZOO_TOKENS = 128


def _inputs(name: str) -> dict[str, Any]:
    """The keyword arguments both tools are given for ``name``'s input."""
    if name in ("resnet50", "vit_l_16"):
        return {"input_size": SIZE}
    return {"input_data": [torch.zeros(1, ZOO_TOKENS, dtype=torch.long)]}


# Decoders of bench/torch_70b.py on meta: (d, layers, heads, kv heads, ffn). The first four
# keep the depth and grow the width (parameters ×~1000, rows unchanged); the last is the
# 70B model itself, 80 layers deep.
FAMILY: dict[str, tuple[int, int, int, int, int]] = {
    "decoder d=512 ×4": (512, 4, 8, 8, 1408),
    "decoder d=2048 ×4": (2048, 4, 16, 8, 5632),
    "decoder d=8192 ×4": (8192, 4, 64, 8, 28672),
    "decoder d=32768 ×4": (32768, 4, 256, 8, 114688),
    "llama-2-70B ×80": (8192, 80, 64, 8, 28672),
}
TOKENS = 2048


def _status_mib(field: str) -> float:
    """A ``Vm*`` line of /proc/self/status (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measured(call: Callable[[], Any]) -> tuple[float, float]:
    """(seconds, MiB): one call's time, after a full collection, and how far the process's
    resident set rose above where it stood when the call began (the peak is reset first
    through /proc/self/clear_refs, so earlier peaks do not hide or inflate it)."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_mib("VmRSS")
    t0 = time.perf_counter()
    call()
    seconds = time.perf_counter() - t0
    return seconds, _status_mib("VmHWM") - before


def _timings(call: Callable[[], Any], repeats: int, seconds: float = 0.0) -> dict[str, float]:
    """The first call, then at least ``repeats`` calls, going on until ``seconds`` of calls
    have passed: a fast tool's few calls would otherwise fall within one of the machine's
    slow spells, which a slow tool's calls outlast (see --seconds)."""
    first, first_mib = measured(call)
    runs = [measured(call) for _ in range(repeats)]
    while sum(t for t, _ in runs) < seconds:
        runs.append(measured(call))
    times = [t for t, _ in runs]
    return {
        "first": first,
        "best": min(times),
        "median": statistics.median(times),
        "first_mib": first_mib,
        "mib": max(m for _, m in runs),
        "calls": len(runs),
    }


# -- children ----------------------------------------------------------------------------
def child_speed(
    tool: str, name: str, repeats: int, threads: int | None, seconds: float
) -> dict[str, Any]:
    """Build the model with real weights, then time one tool on it and watch its peak."""
    if threads:
        torch.set_num_threads(threads)
    model = MODELS[name]().eval()
    params = sum(p.numel() for p in model.parameters())
    call: Callable[[], Any]
    if tool == "torchinfo":
        import torchinfo

        def call() -> Any:
            return str(torchinfo.summary(model, **_inputs(name), verbose=0))
    else:
        import modelmath

        def call() -> Any:
            return str(modelmath.summary(model, **_inputs(name)))

    out = _timings(call, repeats, seconds)
    return {**out, "params": params, "threads": torch.get_num_threads()}


def child_family(name: str) -> dict[str, Any]:
    """modelmath alone on a decoder built on meta: peak RSS growth and time."""
    import modelmath
    from bench.torch_70b import Decoder

    d, layers, heads, kv, ffn = FAMILY[name]
    with torch.device("meta"):
        model = Decoder(32000, d, layers, heads, kv, ffn)
    params = sum(p.numel() for p in model.parameters())
    found: list[Any] = []

    def call() -> None:
        s = modelmath.summary(model, input_size=(1, TOKENS), dtypes=[torch.long])
        str(s)
        found.append(s)

    out = _timings(call, 2)
    s = found[-1]
    assert int(s.totals.params.value) == params, "modelmath's count differs from torch's"
    return {**out, "params": params, "layers": layers, "rows": len(s.rows)}


def child_phases(name: str, repeats: int, seconds: float = 0.0) -> dict[str, Any]:
    """modelmath's phases on one model (the best of at least ``repeats`` rounds, going on
    until ``seconds`` have passed, as the speed table's calls): the trace (by the tracer
    ``trace`` picks, its light copy included), the rules, the text; beside them the meta
    tracer alone and a bare meta forward pass, for comparison."""
    from modelmath.frontends.torch_module import trace
    from modelmath.torch_analysis import summarize

    model = MODELS[name]().eval()
    keys = ("trace", "rules", "text", "meta_trace", "bare_meta_forward")
    phases: dict[str, list[float]] = {k: [] for k in keys}
    with torch.device("meta"):
        on_meta = MODELS[name]().eval()
    given = _inputs(name)
    x = (
        torch.empty(SIZE, device="meta")
        if "input_size" in given
        else torch.zeros(1, ZOO_TOKENS, dtype=torch.long, device="meta")
    )
    str(summarize(trace(model, **given)))  # warm-up
    trace(model, **given, tracer="meta")
    with torch.no_grad():
        on_meta(x)
    gc.disable()
    start = time.perf_counter()
    rounds = 0
    while rounds < repeats or time.perf_counter() - start < seconds:
        rounds += 1
        t0 = time.perf_counter()
        traced = trace(model, **given)
        t1 = time.perf_counter()
        s = summarize(traced)
        t2 = time.perf_counter()
        str(s)
        t3 = time.perf_counter()
        trace(model, **given, tracer="meta")
        t4 = time.perf_counter()
        with torch.no_grad():
            on_meta(x)
        t5 = time.perf_counter()
        for key, seconds in zip(keys, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            phases[key].append(seconds)
        gc.enable()
        gc.collect()
        gc.disable()
    gc.enable()
    out: dict[str, Any] = {k: min(v) for k, v in phases.items()}
    out["modules"] = sum(1 for _ in model.modules())
    out["rows"] = len(s.rows)
    out["tracer"] = traced.traced_by
    return out


def _across(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One tool's runs in several processes as one: the median of each process's best and
    first call (a process's speed moves by about 10 % with its memory layout), the largest
    memory rise."""
    return {
        **runs[0],
        "best": statistics.median(r["best"] for r in runs),
        "first": statistics.median(r["first"] for r in runs),
        "bests": [r["best"] for r in runs],
        "first_mib": max(r["first_mib"] for r in runs),
        "mib": max(r["mib"] for r in runs),
    }


def _child(opts: argparse.Namespace, *args: str) -> dict[str, Any]:
    """One measurement in a fresh process, given the same settings as this one."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    settings = ["--repeats", str(opts.repeats), "--seconds", str(opts.seconds)]
    out = subprocess.run(
        [sys.executable, "-m", "bench.torch_vs_torchinfo", *settings, "--child", *args],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(f"child {args} failed:\n{out.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


# -- the report --------------------------------------------------------------------------
def _machine() -> str:
    from bench.machine import cpu_model, ram_gib, version

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, {ram_gib():.0f} GiB RAM; "
        f"torch {version('torch')}, torchinfo {version('torchinfo')}, Python "
        f"{sys.version.split()[0]}; modelmath {_build()}; load average at start {load:.2f}"
    )


def _build() -> str:
    """Which build of modelmath runs: how many of its modules are compiled (setup.py)."""
    import modelmath

    compiled = list(Path(modelmath.__file__).parent.rglob("*.so"))
    return f"{len(compiled)} modules compiled" if compiled else "pure Python"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--processes", type=int, default=3, help="fresh processes per tool and model")
    ap.add_argument(
        "--seconds", type=float, default=3.0,
        help="each tool's calls in a process go on for at least this long (this machine's "
        "speed moves between two levels about every second: so every tool meets both)",
    )  # fmt: skip
    ap.add_argument(
        "--models", nargs="+", choices=list(MODELS), default=list(MODELS), metavar="MODEL",
        help=f"the models to time (default: all of {', '.join(MODELS)})",
    )  # fmt: skip
    ap.add_argument(
        "--speed-only", action="store_true",
        help="the speed table only (no memory family, no phases)",
    )  # fmt: skip
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.child:
        kind, *rest = opts.child
        if kind == "speed":
            tool, name, threads = rest
            result = child_speed(tool, name, opts.repeats, int(threads) or None, opts.seconds)
        elif kind == "family":
            result = child_family(rest[0])
        else:
            result = child_phases(rest[0], opts.repeats, opts.seconds)
        print(json.dumps(result))
        return

    print("$ .venv/bin/python -m bench.torch_vs_torchinfo" +
          (f" --repeats {opts.repeats}" if opts.repeats != 5 else "") +
          (f" --processes {opts.processes}" if opts.processes != 3 else "") +
          (f" --seconds {opts.seconds:g}" if opts.seconds != 3.0 else "") +
          (f" --models {' '.join(opts.models)}" if opts.models != list(MODELS) else "") +
          (" --speed-only" if opts.speed_only else ""))  # fmt: skip
    print(_machine())
    print()
    rows = []
    for name in opts.models:
        # Rounds of the three, interleaved, so that a drift of the machine's load reaches
        # each tool alike.
        runs: list[list[dict[str, Any]]] = [[], [], []]
        for _ in range(opts.processes):
            runs[0].append(_child(opts, "speed", "torchinfo", name, "0"))
            runs[1].append(_child(opts, "speed", "torchinfo", name, "1"))
            runs[2].append(_child(opts, "speed", "modelmath", name, "0"))
        ti, ti1, mm = (_across(r) for r in runs)
        rows.append((name, ti, ti1, mm))

    print(
        f"Speed: seconds per summary: in each of {opts.processes} fresh processes the best of "
        f"at least {opts.repeats} calls made over at"
    )
    print(
        f"least {opts.seconds:g} s (each tool alike), and the median of those (the first call "
        "of a fresh process in"
    )
    print(
        "brackets, the median too). torchinfo: default threads / 1 thread; the faster is the bar's."
    )
    print()
    print("| model | params | torchinfo | torchinfo, 1 thread | modelmath | speed-up | ≥10× |")
    print("|---|---:|---:|---:|---:|---:|:-:|")
    for name, ti, ti1, mm in rows:
        best_ti = min(ti["best"], ti1["best"])
        ratio = best_ti / mm["best"]
        print(
            f"| {name} | {ti['params'] / 1e6:.1f} M "
            f"| {ti['best']:.3f} s ({ti['first']:.2f}) | {ti1['best']:.3f} s ({ti1['first']:.2f}) "
            f"| {mm['best']:.3f} s ({mm['first']:.2f}) | {ratio:.1f}× "
            f"| {'PASS' if ratio >= BAR else 'FAIL'} |"
        )
    print()
    print("Each process's best, milliseconds (torchinfo / modelmath):")
    print()
    for name, ti, _, mm in rows:
        print(f"- {name}: " + ", ".join(f"{b * 1e3:.1f}" for b in ti["bests"]) + " / "
              + ", ".join(f"{b * 1e3:.1f}" for b in mm["bests"]))  # fmt: skip
    print()
    if opts.speed_only:
        return
    print("Memory: how far the resident set rises during a call (model already built):")
    print("first call (with the imports a tool makes on first use) / later calls.")
    print()
    print("| model | torchinfo | torchinfo, 1 thread | modelmath |")
    print("|---|---:|---:|---:|")
    for name, ti, ti1, mm in rows:
        cells = [f"{r['first_mib']:.0f} / {r['mib']:.0f} MiB" for r in (ti, ti1, mm)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()

    print(f"modelmath's peak memory against parameter count (decoders built on meta, "
          f"{TOKENS} tokens; no weights exist anywhere), first / later call:")  # fmt: skip
    print()
    print("| model | params | rows | modelmath memory rise | time |")
    print("|---|---:|---:|---:|---:|")
    family = {name: _child(opts, "family", name) for name in FAMILY}
    for name, r in family.items():
        print(f"| {name} | {r['params'] / 1e9:.2f} B | {r['rows']} "
              f"| {r['first_mib']:.0f} / {r['mib']:.0f} MiB "
              f"| {r['first']:.2f} / {r['best']:.2f} s |")  # fmt: skip
    same_depth = [r for n, r in family.items() if "×4" in n]
    growth = [max(r["first_mib"], r["mib"]) for r in same_depth]
    span = same_depth[-1]["params"] / same_depth[0]["params"]
    flat = max(growth) - min(growth) <= 16
    big = family["llama-2-70B ×80"]
    print()
    print(f"Same depth, parameters ×{span:,.0f}: memory rise {min(growth):.0f}–{max(growth):.0f} "
          f"MiB → {'PASS (flat)' if flat else 'FAIL (grows)'}. The 80-layer 70B model has "
          f"{big['rows'] / same_depth[-1]['rows']:.0f}× the rows and rises {big['mib']:.0f} MiB: "
          "memory follows the number of rows, not of parameters.")  # fmt: skip
    print()

    print(f"Where modelmath's time goes (each phase's best of at least {opts.repeats} rounds over "
          f"at least {opts.seconds:g} s, the collector off; milliseconds):")  # fmt: skip
    print()
    print(
        "| model | modules | rows | tracer | trace | rules | text | total "
        "| meta tracer instead | bare meta forward, no instruments |"
    )
    print("|---|---:|---:|:-:|---:|---:|---:|---:|---:|---:|")
    for name in opts.models:
        p = _child(opts, "phases", name)
        total = p["trace"] + p["rules"] + p["text"]
        print(f"| {name} | {p['modules']} | {p['rows']} | {p['tracer']} | {p['trace'] * 1e3:.1f} "
              f"| {p['rules'] * 1e3:.1f} | {p['text'] * 1e3:.1f} | {total * 1e3:.1f} "
              f"| {p['meta_trace'] * 1e3:.1f} | {p['bare_meta_forward'] * 1e3:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
