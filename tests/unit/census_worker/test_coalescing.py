"""Coalescing: one lookup per cédula at a time in a process, nothing remembered after it."""

from __future__ import annotations

import asyncio

from schemas.census import CensusStatus
from services.census_worker.adapters.coalescing import CoalescingSource
from tests.support.fakes import ScriptedSource, active, failed


async def test_concurrent_requests_for_one_cedula_share_one_lookup() -> None:
    gate = asyncio.Event()
    inner = ScriptedSource(gate=gate)
    source = CoalescingSource(inner)

    tasks = [asyncio.create_task(source.lookup("1102812122")) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*tasks)

    assert inner.calls == ["1102812122"]
    assert {r.status for r in results} == {CensusStatus.ACTIVE}


async def test_an_answer_is_not_remembered_once_its_lookup_is_over() -> None:
    inner = ScriptedSource([failed(), active()])
    source = CoalescingSource(inner)

    assert (await source.lookup("52123456")).status is CensusStatus.TIMEOUT
    assert (await source.lookup("52123456")).status is CensusStatus.ACTIVE


async def test_waiters_look_up_themselves_when_the_shared_lookup_is_cancelled() -> None:
    gate = asyncio.Event()
    inner = ScriptedSource(gate=gate)
    source = CoalescingSource(inner)

    owner = asyncio.create_task(source.lookup("52123456"))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(source.lookup("52123456"))
    await asyncio.sleep(0)
    owner.cancel()
    await asyncio.sleep(0)
    gate.set()

    assert (await waiter).status is CensusStatus.ACTIVE
    assert len(inner.calls) == 2
