"""The machine a run happened on, and how loaded it was meanwhile (benchmarks share 2 cores)."""

from __future__ import annotations

import os
import platform
import threading
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def describe() -> dict[str, Any]:
    cores, memory = os.cpu_count() or 0, _memory_gib()
    return {
        "nproc": cores,
        "memory_gib": round(memory, 1),
        "cpu": _cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "summary": f"{cores} CPU, {memory:.0f} GiB",
    }


class LoadWatch:
    """Samples the 1-minute load average every `interval_s` in a thread while the run lasts."""

    def __init__(self, interval_s: float = 5.0) -> None:
        self._interval_s = interval_s
        self._samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="load-watch", daemon=True)

    def __enter__(self) -> LoadWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            self._samples.append(os.getloadavg()[0])
            if self._stop.wait(self._interval_s):
                return

    def summary(self) -> dict[str, float]:
        samples = self._samples or [os.getloadavg()[0]]
        return {
            "load1_min": round(min(samples), 2),
            "load1_mean": round(sum(samples) / len(samples), 2),
            "load1_max": round(max(samples), 2),
        }
