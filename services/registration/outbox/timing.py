"""Pauses of the relay: exponential backoff, and waits that end early on a wake-up or a stop."""

from __future__ import annotations

import asyncio
import contextlib


class Backoff:
    def __init__(self, initial_s: float, max_s: float) -> None:
        self.initial_s, self.max_s = initial_s, max_s
        self.attempt = 0

    def next_delay(self) -> float:
        self.attempt += 1
        return min(self.initial_s * 2.0 ** (self.attempt - 1), self.max_s)

    def reset(self) -> None:
        self.attempt = 0


async def wait_any(*events: asyncio.Event, timeout_s: float) -> None:
    """Return when any event is set or the timeout passes, whichever comes first."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*waiters, return_exceptions=True)
