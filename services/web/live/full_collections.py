"""A web process's full garbage collections on a timer instead of CPython's own trigger.

Each open stream keeps ~180 objects the cycle collector tracks (its connection, request, task and
queue), and a full collection walks them all while the event loop waits: 1.2-1.7 s of CPU at
10,000 streams. CPython starts one whenever the objects promoted to the oldest generation since
the last one pass a quarter of it, and every wake-up of a stream (a keep-alive, a change) promotes
a few: at 10,000 streams that was every ~2 minutes, each a stall of every browser's events
(issue 18). Here the young generations are collected as always, and the oldest only every
`WEB_GC_FULL_COLLECTION_S`: the only garbage that waits longer is cyclic garbage old enough to
have reached it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time

import structlog

log = structlog.get_logger(__name__)
NEVER = 2**31 - 1  # a threshold the count of young collections never reaches


async def collect_fully_every(interval_s: float, stop: asyncio.Event) -> None:
    """Until `stop` is set, a full collection every `interval_s` and none in between; 0 leaves
    CPython's own policy. The thresholds are restored at the end (tests share one process)."""
    if interval_s <= 0:
        return
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)
            if not stop.is_set():
                _collect()
    finally:
        gc.set_threshold(young, middle, oldest)


def _collect() -> None:
    started = time.perf_counter()
    unreachable = gc.collect()
    duration_ms = round((time.perf_counter() - started) * 1000)
    log.info("live.full_collection", duration_ms=duration_ms, unreachable=unreachable)
