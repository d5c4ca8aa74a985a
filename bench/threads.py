"""CPU time of every thread of this process tree between two snapshots, by process kind and
thread name (Chromium names its threads: CrBrowserMain, Chrome_IOThread, VizCompositorThread,
ThreadPoolForeg…): which part of a process does the work."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from bench.cpu import _kind
from services.census_worker.lookup.browser.memory import process_tree

_TICK = os.sysconf("SC_CLK_TCK")


def _threads(excluded: tuple[int, ...]) -> dict[tuple[int, int], tuple[str, float]]:
    """(pid, tid) → ("kind/thread name", CPU seconds so far) of every live thread."""
    pids = process_tree(os.getpid())
    for root in excluded:
        pids -= process_tree(root)
    out: dict[tuple[int, int], tuple[str, float]] = {}
    for pid in pids:
        kind = _kind(pid) or "other"
        try:
            tids = [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]
        except OSError:
            continue
        for tid in tids:
            try:
                stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            out[pid, tid] = (f"{kind}/{name}", (int(fields[11]) + int(fields[12])) / _TICK)
    return out


class ThreadMeter:
    """`with ThreadMeter(excluded) as meter:` then `meter.seconds`: CPU seconds by
    "kind/thread", for threads alive at the end (a renderer that ended is not in it)."""

    def __init__(self, excluded: tuple[int, ...] = ()) -> None:
        self.excluded = excluded
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def __enter__(self) -> ThreadMeter:
        self._start = _threads(self.excluded)
        return self

    def __exit__(self, *_: object) -> None:
        for key, (name, seconds) in _threads(self.excluded).items():
            self.seconds[name] += seconds - self._start.get(key, (name, 0.0))[1]
