"""CPU time spent by this process tree between two snapshots, split by kind of process
(python, Playwright's driver, Chromium's browser, renderer, GPU and utility processes).

Renderers come and go with every browser context; their time lands in the zygote that forked
and reaped them, so a zygote's children's time is counted as renderer time.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from services.census_worker.lookup.browser.memory import process_tree

_TICK = os.sysconf("SC_CLK_TCK")


def _kind(pid: int) -> str | None:
    """What the process is; None for a zombie (ended, not yet reaped: no command line)."""
    if pid == os.getpid():
        return "python"
    try:
        args = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").split()
    except OSError:
        return None
    if not args:
        return None
    chromium_type = next((a.split("=", 1)[1] for a in args if a.startswith("--type=")), None)
    if chromium_type is not None:
        return {"gpu-process": "gpu"}.get(chromium_type, chromium_type)
    name = Path(args[0]).name
    return "driver" if name == "node" else "browser" if "chrom" in name else name


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds) of `pid`."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return int(fields[1]), (utime + stime) / _TICK, (cutime + cstime) / _TICK


def _snapshot(excluded: tuple[int, ...]) -> dict[int, tuple[str, float, float]]:
    pids = process_tree(os.getpid())
    for root in excluded:
        pids -= process_tree(root)
    stats = {pid: stat for pid in pids if (stat := _stat(pid)) is not None}
    kinds = {pid: _kind(pid) for pid in stats}
    out = {}
    for pid, (parent, own, children) in stats.items():
        kind = kinds[pid] or _CHILD_KIND.get(kinds.get(parent) or "", "other")  # a zombie
        out[pid] = (kind, own, children)
    return out


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


_CHILD_KIND = {"zygote": "renderer", "python": "driver", "driver": "browser"}


@dataclass
class CpuMeter:
    """`with CpuMeter(excluded) as cpu: …` then `cpu.seconds` (by kind), `cpu.wall_s` and
    `cpu.machine_busy` (share of all cores busy, whoever used them)."""

    excluded: tuple[int, ...] = ()

    def __enter__(self) -> CpuMeter:
        self._start = _snapshot(self.excluded)
        self._machine = _machine_busy()
        self._started = time.monotonic()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall_s = time.monotonic() - self._started
        end, machine = _snapshot(self.excluded), _machine_busy()
        seconds: Counter[str] = Counter()
        for pid, (kind, own, children) in end.items():
            _, own0, children0 = self._start.get(pid, (kind, 0.0, 0.0))
            seconds[kind] += own - own0
            seconds[_CHILD_KIND.get(kind, kind)] += children - children0
        self.seconds = {k: round(v, 2) for k, v in seconds.most_common() if v > 0}
        busy, total = (b - a for a, b in zip(self._machine, machine, strict=True))
        self.machine_busy = busy / total if total else 0.0

    @property
    def total_s(self) -> float:
        return sum(self.seconds.values())


def tree_cpu_s(root: int) -> float:
    """CPU seconds used so far by `root` and its descendants (live ones, and those reaped)."""
    stats = (_stat(pid) for pid in process_tree(root))
    return sum(own + children for _, own, children in filter(None, stats))
