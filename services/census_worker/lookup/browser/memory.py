"""Chromium's memory: the resident memory of its browser process and every descendant, from /proc.

Each page shared by n processes counts 1/n in each (the proportional set size, PSS), so the sum
is what the tree really holds. Summed RSS would count Chromium's shared pages once per process:
with a renderer per lookup slot that sum doubles the real figure (2.1 GB for 0.75 GB at 8 slots,
bench/README.md) and would recycle a healthy browser, warm pages and all, every check.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

import structlog
from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

log = structlog.get_logger(__name__)

_MB = 1024 * 1024


def _parents() -> dict[int, int]:
    """pid → parent pid of every live process."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    return parents


def process_tree(root: int) -> set[int]:
    """`root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, ()))
    return tree


def tree_rss_mb(root: int) -> float:
    """Resident memory (MB, proportional: PSS) of `root` and its descendants; 0 when `root` is
    gone. A process whose smaps_rollup cannot be read counts its whole RSS."""
    page_size = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in process_tree(root):
        try:
            total += _pss_kb(pid) * 1024
        except (OSError, ValueError):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_size
            except (OSError, IndexError, ValueError):
                continue  # ended while we looked
    return total / _MB


def _pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise ValueError("no Pss line")


async def browser_pid(browser: Browser) -> int | None:
    """The pid of the browser process, as Chromium itself reports it over CDP."""
    session = await browser.new_browser_cdp_session()
    try:
        info = await session.send("SystemInfo.getProcessInfo")
    finally:
        await session.detach()
    return next((p["id"] for p in info.get("processInfo", []) if p.get("type") == "browser"), None)


class MemoryWatch:
    """Says when Chromium has outgrown `max_rss_mb`; reads /proc at most every `interval_s`."""

    def __init__(
        self, max_rss_mb: int, interval_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_rss_mb, self._interval_s, self._clock = max_rss_mb, interval_s, clock
        self._checked_at: float | None = None
        self._pid_of: tuple[Browser, int | None] | None = None
        self.last_rss_mb: float | None = None

    async def over_limit(self, browser: Browser, timeout_s: float) -> bool:
        now = self._clock()
        if self._max_rss_mb <= 0 or (
            self._checked_at is not None and now - self._checked_at < self._interval_s
        ):
            return False
        self._checked_at = now
        pid = await self._pid(browser, timeout_s)
        if pid is None:
            return False
        self.last_rss_mb = rss_mb = await asyncio.to_thread(tree_rss_mb, pid)
        if rss_mb <= self._max_rss_mb:
            return False
        log.info("browser_over_memory_limit", rss_mb=round(rss_mb), limit_mb=self._max_rss_mb)
        return True

    async def _pid(self, browser: Browser, timeout_s: float) -> int | None:
        if self._pid_of is None or self._pid_of[0] is not browser:
            try:
                async with asyncio.timeout(timeout_s):
                    self._pid_of = (browser, await browser_pid(browser))
            except (PlaywrightError, TimeoutError) as exc:
                log.warning("browser_pid_unknown", error=str(exc)[:300])
                self._pid_of = (browser, None)
        return self._pid_of[1]
