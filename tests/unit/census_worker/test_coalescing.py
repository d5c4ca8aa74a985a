"""Coalescing: one lookup per cédula at a time, and a recent final answer reused."""

from __future__ import annotations

import asyncio

from schemas.census import CensusStatus
from services.census_worker.adapters.coalescing import CoalescingSource
from tests.support.fakes import ScriptedSource, active, failed


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


async def test_concurrent_requests_for_one_cedula_share_one_lookup() -> None:
    gate = asyncio.Event()
    inner = ScriptedSource(gate=gate)
    source = CoalescingSource(inner, window_s=30.0)

    tasks = [asyncio.create_task(source.lookup("1102812122")) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*tasks)

    assert inner.calls == ["1102812122"]
    assert {r.status for r in results} == {CensusStatus.ACTIVE}


async def test_a_recent_final_answer_is_reused_within_the_window_only() -> None:
    clock = FakeClock()
    inner = ScriptedSource()
    source = CoalescingSource(inner, window_s=30.0, clock=clock)

    await source.lookup("52123456")
    clock.now += 29
    await source.lookup("52123456")
    clock.now += 2
    await source.lookup("52123456")

    assert inner.calls == ["52123456", "52123456"]


async def test_failures_are_not_reused() -> None:
    inner = ScriptedSource([failed(), active()])
    source = CoalescingSource(inner, window_s=30.0)

    assert (await source.lookup("52123456")).status is CensusStatus.TIMEOUT
    assert (await source.lookup("52123456")).status is CensusStatus.ACTIVE


async def test_waiters_look_up_themselves_when_the_shared_lookup_is_cancelled() -> None:
    gate = asyncio.Event()
    inner = ScriptedSource(gate=gate)
    source = CoalescingSource(inner, window_s=30.0)

    owner = asyncio.create_task(source.lookup("52123456"))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(source.lookup("52123456"))
    await asyncio.sleep(0)
    owner.cancel()
    await asyncio.sleep(0)
    gate.set()

    assert (await waiter).status is CensusStatus.ACTIVE
    assert len(inner.calls) == 2
