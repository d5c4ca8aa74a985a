"""Memory of this process and everything it started (the Playwright driver and Chromium),
sampled in a thread while a benchmark runs.

RSS counts a page shared by several processes (Chromium's code, shared memory) once per process,
so the sum overstates; PSS splits each shared page between its sharers and adds up to the truth.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from services.census_worker.lookup.browser.memory import process_tree

_MB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb(pids: Iterable[int]) -> float:
    """Summed resident set of `pids`."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue  # ended while we looked
    return total / _MB


def pss_mb(pids: Iterable[int]) -> float:
    """Summed proportional set size of `pids`."""
    total_kb = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        line = next((line for line in rollup.splitlines() if line.startswith("Pss:")), None)
        total_kb += int(line.split()[1]) if line else 0
    return total_kb / 1024


@dataclass(frozen=True, slots=True)
class Sample:
    at_s: float
    progress: int  # lookups (or requests) completed when the sample was taken
    rss_mb: float
    pss_mb: float


@dataclass
class MemorySampler:
    """Samples the RSS of this process's tree, minus the trees of `excluded` pids (servers the
    benchmark started that are not the thing measured), every `interval_s`."""

    progress: Callable[[], int]
    excluded: tuple[int, ...] = ()
    interval_s: float = 0.5
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._started = time.monotonic()

    def __enter__(self) -> MemorySampler:
        self._take()  # the state at the very start
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._take()  # the state at the very end

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._take()

    def _take(self) -> None:
        pids = process_tree(os.getpid())
        for root in self.excluded:
            pids -= process_tree(root)
        at = time.monotonic() - self._started
        self.samples.append(Sample(at, self.progress(), rss_mb(pids), pss_mb(pids)))

    @property
    def peak_rss_mb(self) -> float:
        return max((s.rss_mb for s in self.samples), default=0.0)

    @property
    def peak_pss_mb(self) -> float:
        return max((s.pss_mb for s in self.samples), default=0.0)

    def window_mean_mb(self, start: int, end: int) -> float | None:
        """Mean RSS of the samples taken while progress was in [start, end)."""
        inside = [s.rss_mb for s in self.samples if start <= s.progress < end]
        return sum(inside) / len(inside) if inside else None
