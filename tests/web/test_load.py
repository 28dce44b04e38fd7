"""Load: 200 concurrent requests of the seed summary against the local server, none failing.
Latency percentiles are printed (and measured for the README by bench/load.py), not asserted."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from project_paths import EXAMPLES
from server import running_server

CONCURRENCY = 200


async def _hammer(url: str, config: str) -> list[tuple[int, float, str]]:
    import httpx

    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one() -> tuple[int, float, str]:
            start = time.perf_counter()
            r = await client.post(url + "/", data={"config_json": config,
                                                   "config_name": "seed.keras"})
            return r.status_code, time.perf_counter() - start, r.text

        return await asyncio.gather(*(one() for _ in range(CONCURRENCY)))


def test_200_concurrent_seed_summaries() -> None:
    pytest.importorskip("httpx")
    config = json.dumps(json.loads((EXAMPLES / "seed_config.json").read_text()))
    with running_server() as url:
        results = asyncio.run(_hammer(url, config))
    assert [s for s, _, _ in results] == [200] * CONCURRENCY
    assert all('data-value="448"' in text for _, _, text in results)
    times = sorted(t for _, t, _ in results)
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    print(f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
