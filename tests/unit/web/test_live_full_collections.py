"""A web process's full garbage collections run on a timer, never on CPython's own trigger."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from services.web.live.full_collections import NEVER, collect_fully_every


async def test_full_collections_come_only_from_the_timer_and_the_thresholds_come_back() -> None:
    before = gc.get_threshold()
    full: list[int] = []

    def count_full(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    stop = asyncio.Event()
    gc.callbacks.append(count_full)
    try:
        task = asyncio.create_task(collect_fully_every(0.01, stop))
        await asyncio.sleep(0)
        assert gc.get_threshold() == (*before[:2], NEVER)  # young generations as before
        await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(task, 1)
    finally:
        gc.callbacks.remove(count_full)
    assert full  # the timer collected the oldest generation
    assert gc.get_threshold() == before


async def test_an_interval_of_zero_leaves_pythons_own_policy() -> None:
    before = gc.get_threshold()
    await asyncio.wait_for(collect_fully_every(0, asyncio.Event()), 1)
    assert gc.get_threshold() == before
