"""A web process runs a full garbage collection when what stays allocated grows, never on
CPython's own trigger (which counts the objects every stream's wake-up promotes)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from services.web.live.full_collections import NEVER, collect_fully_on_growth


@contextmanager
def _full_collections() -> Iterator[list[int]]:
    full: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(count)
    try:
        yield full
    finally:
        gc.callbacks.remove(count)


async def test_growth_starts_a_full_collection_and_the_thresholds_come_back() -> None:
    before = gc.get_threshold()
    stop = asyncio.Event()
    with _full_collections() as full:
        task = asyncio.create_task(collect_fully_on_growth(1.25, stop, check_s=0.01))
        await asyncio.sleep(0.05)
        assert gc.get_threshold() == (*before[:2], NEVER)  # young generations as before
        assert not full  # nothing grew
        grown = [[n] for n in range(2_000_000)]  # far more than a quarter of a test process
        await asyncio.sleep(0.1)
        assert full
        stop.set()
        await asyncio.wait_for(task, 1)
    del grown
    assert gc.get_threshold() == before


async def test_a_growth_of_one_leaves_pythons_own_policy() -> None:
    before = gc.get_threshold()
    await asyncio.wait_for(collect_fully_on_growth(1, asyncio.Event()), 1)
    assert gc.get_threshold() == before
