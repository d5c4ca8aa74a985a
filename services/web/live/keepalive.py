"""The keep-alive of every open stream, from one task: a sweep a few times per interval queues a
comment for each stream idle that long (one timer for all, not a `wait_for` per stream)."""

from __future__ import annotations

import asyncio
import contextlib

from services.web.live.hub import Hub

SWEEPS_PER_INTERVAL = 4  # an idle stream hears a comment within 1¼ intervals of its last write
MAX_SWEEP_S = 1.0


async def keep_streams_alive(hub: Hub, interval_s: float, stop: asyncio.Event) -> None:
    """Until `stop` is set, queue a keep-alive for each stream nothing was sent to for
    `interval_s` (`WEB_SSE_HEARTBEAT_S`)."""
    sweep_s = min(MAX_SWEEP_S, interval_s / SWEEPS_PER_INTERVAL)
    while not stop.is_set():
        hub.keep_alive(interval_s)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), sweep_s)
