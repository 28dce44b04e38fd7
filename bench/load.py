"""Load on the local page: C concurrent requests of the seed summary against
``modelmath serve``, in rounds; every response must be a 200 with the summary in it.

    .venv/bin/python bench/load.py --concurrency 200 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_CONFIG = ROOT / "examples" / "seed_config.json"


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    requests: int
    failures: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    throughput: float  # requests per second over all rounds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("modelmath serve did not start")


async def _round(url: str, body: dict[str, str], concurrency: int) -> list[tuple[bool, float]]:
    import httpx

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def one() -> tuple[bool, float]:
            start = time.perf_counter()
            r = await client.post(url + "/", data=body)
            ok = r.status_code == 200 and 'data-value="448"' in r.text
            return ok, time.perf_counter() - start

        return await asyncio.gather(*(one() for _ in range(concurrency)))


def run_load(concurrency: int = 200, rounds: int = 5) -> LoadResult:
    """Start the server, send the rounds, stop it."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("modelmath")
    server = subprocess.Popen([str(exe), "serve", "--port", str(port)])
    try:
        _wait_ready(url)
        body = {
            "config_json": json.dumps(json.loads(SEED_CONFIG.read_text())),
            "config_name": "seed.keras",
        }
        results: list[tuple[bool, float]] = []
        start = time.perf_counter()
        for _ in range(rounds):
            results += asyncio.run(_round(url, body, concurrency))
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    times = sorted(t for _, t in results)
    return LoadResult(
        concurrency=concurrency,
        requests=len(results),
        failures=sum(1 for ok, _ in results if not ok),
        p50_ms=times[len(times) // 2] * 1000,
        p99_ms=times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
        max_ms=times[-1] * 1000,
        throughput=len(results) / elapsed,
    )


def markdown(result: LoadResult) -> list[str]:
    return [
        "## Local page under load (`modelmath serve`)",
        "",
        f"{result.concurrency} concurrent POSTs of the seed summary per round, "
        f"{result.requests} requests in all, one uvicorn worker on this machine.",
        "",
        "| requests | failed | p50 | p99 | max | throughput |",
        "| --: | --: | --: | --: | --: | --: |",
        f"| {result.requests} | {result.failures} | {result.p50_ms:.0f} ms | "
        f"{result.p99_ms:.0f} ms | {result.max_ms:.0f} ms | {result.throughput:.0f} req/s |",
        "",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args(argv)
    result = run_load(args.concurrency, args.rounds)
    sys.stdout.write("\n".join(markdown(result)))
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
