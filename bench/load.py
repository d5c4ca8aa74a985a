"""A small closed-loop HTTP load generator: N connections, each sending its next request as soon
as the previous one is answered, for a fixed time."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies_s: list[float] = field(default_factory=list)  # of successful requests only
    statuses: Counter[int | str] = field(default_factory=Counter)

    def add(self, other: LoadResult) -> None:
        self.seconds += other.seconds
        self.latencies_s.extend(other.latencies_s)
        self.statuses.update(other.statuses)

    @property
    def ok(self) -> int:
        return len(self.latencies_s)

    @property
    def failed(self) -> int:
        return self.statuses.total() - self.ok

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies_s:
            return 0.0
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


@dataclass(frozen=True)
class Load:
    """POST `body(n)` to `url` over `connections`; every n comes from `numbers`, never twice."""

    body: Callable[[int], dict[str, Any]]
    numbers: itertools.count[int]
    connections: int
    headers: dict[str, str]
    ok_status: int


async def closed_loop(url: str, load: Load, seconds: float) -> LoadResult:
    """Keep every connection busy for `seconds`; latencies of the `ok_status` answers."""
    result = LoadResult()
    connections, body, numbers = load.connections, load.body, load.numbers
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=60.0, headers=load.headers) as client:
        deadline = time.monotonic() + seconds

        async def connection() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.post(url, json=body(next(numbers)))
                except httpx.HTTPError as exc:
                    result.statuses[type(exc).__name__] += 1
                    continue
                result.statuses[response.status_code] += 1
                if response.status_code == load.ok_status:
                    result.latencies_s.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(connection() for _ in range(connections)))
        result.seconds = time.perf_counter() - started
    return result
