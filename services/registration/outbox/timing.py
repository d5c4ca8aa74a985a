"""Pauses of the relay: exponential backoff (shared), and waits that end early on a wake-up or a
stop."""

from __future__ import annotations

import asyncio
import contextlib

from services.common.backoff import Backoff

__all__ = ["Backoff", "wait_any"]


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
