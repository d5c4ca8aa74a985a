"""When a web process runs a full garbage collection: on growth of what stays allocated, not on
CPython's own trigger.

Each open stream keeps ~180 objects the cycle collector tracks (its connection, request, task
chain and queue), and a full collection walks them all while the event loop waits: 1.2-1.7 s of
CPU at 10,000 streams. CPython starts one when the objects promoted to the oldest generation since
the last one pass a quarter of it, and every wake-up of a stream (a keep-alive, a change) promotes
a few that die at the next wake-up: at 10,000 streams a full collection every ~2 minutes, each a
stall of every browser's events (issue 18). Here the young generations are collected as always,
and the oldest when the interpreter's allocated blocks have grown by `WEB_GC_FULL_GROWTH` since
the last full collection: garbage that does pile up (the cycles of closed connections) still
starts one, churn does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import time

import structlog

log = structlog.get_logger(__name__)
NEVER = 2**31 - 1  # a threshold the count of young collections never reaches
CHECK_S = 1.0  # reading the allocated blocks takes well under a millisecond


async def collect_fully_on_growth(
    growth: float, stop: asyncio.Event, check_s: float = CHECK_S
) -> None:
    """Until `stop` is set, a full collection whenever the allocated blocks pass `growth` times
    what the last one left (1 or less leaves CPython's own policy). The thresholds are restored at
    the end (tests run several apps in one process)."""
    if growth <= 1:
        return
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    try:
        left = sys.getallocatedblocks()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), check_s)
            if sys.getallocatedblocks() > left * growth and not stop.is_set():
                left = _collect()
    finally:
        gc.set_threshold(young, middle, oldest)


def _collect() -> int:
    """A full collection, logged with its duration (the pause every stream waited); the blocks
    still allocated after it."""
    started = time.perf_counter()
    unreachable = gc.collect()
    duration_ms = round((time.perf_counter() - started) * 1000)
    left = sys.getallocatedblocks()
    log.info("live.full_collection", duration_ms=duration_ms, unreachable=unreachable, blocks=left)
    return left
