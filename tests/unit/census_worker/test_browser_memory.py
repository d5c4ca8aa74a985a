"""Reading a process tree's memory from /proc, and how often the memory watch looks."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from services.census_worker.lookup.browser import memory as browser_memory
from services.census_worker.lookup.browser.memory import MemoryWatch, process_tree, tree_rss_mb


def test_process_tree_holds_the_root_and_its_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = process_tree(os.getpid())
    finally:
        child.kill()
        child.wait()

    assert {os.getpid(), child.pid} <= tree


def test_tree_rss_of_this_process_is_positive_and_of_a_dead_pid_zero() -> None:
    assert tree_rss_mb(os.getpid()) > 1
    assert tree_rss_mb(2**22 + 1) == 0  # above the kernel's pid_max default: never a live pid


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fake browser pid and RSS: every /proc read is recorded, and reports 600 MB."""
    reads: list[int] = []

    async def pid(_browser: Any) -> int:
        return 4242

    def rss(root: int) -> float:
        reads.append(root)
        return 600.0

    monkeypatch.setattr(browser_memory, "browser_pid", pid)
    monkeypatch.setattr(browser_memory, "tree_rss_mb", rss)
    return reads


async def test_over_the_limit_is_reported(measured: list[int]) -> None:
    watch = MemoryWatch(max_rss_mb=500, interval_s=0)

    assert await watch.over_limit(object(), timeout_s=1)  # type: ignore[arg-type]
    assert watch.last_rss_mb == 600 and measured == [4242]


async def test_under_the_limit_is_not(measured: list[int]) -> None:
    watch = MemoryWatch(max_rss_mb=1500, interval_s=0)

    assert not await watch.over_limit(object(), timeout_s=1)  # type: ignore[arg-type]


async def test_memory_is_read_at_most_once_per_interval(measured: list[int]) -> None:
    clock, browser = Clock(), object()
    watch = MemoryWatch(max_rss_mb=500, interval_s=30, clock=clock)

    first = await watch.over_limit(browser, timeout_s=1)  # type: ignore[arg-type]
    clock.now += 10
    second = await watch.over_limit(browser, timeout_s=1)  # type: ignore[arg-type]
    clock.now += 25
    third = await watch.over_limit(browser, timeout_s=1)  # type: ignore[arg-type]

    assert (first, second, third) == (True, False, True)
    assert len(measured) == 2


async def test_zero_limit_never_reads_memory(measured: list[int]) -> None:
    watch = MemoryWatch(max_rss_mb=0, interval_s=0)

    assert not await watch.over_limit(object(), timeout_s=1)  # type: ignore[arg-type]
    assert measured == []
