"""Chromium processes started from this test process, read from /proc (no psutil)."""

from __future__ import annotations

import os
from pathlib import Path


def _parent_and_name(pid: int) -> tuple[int, str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
    return (int(ppid), name) if state != "Z" else None


def chromium_processes(root: int | None = None) -> set[int]:
    """Live chromium pids descending from `root` (this process by default)."""
    root = root or os.getpid()
    table = {
        int(p.name): _parent_and_name(int(p.name))
        for p in Path("/proc").iterdir()
        if p.name.isdigit()
    }
    live = {pid: entry for pid, entry in table.items() if entry is not None}

    def descends(pid: int) -> bool:
        seen: set[int] = set()
        while pid in live and pid not in seen:
            seen.add(pid)
            pid = live[pid][0]
            if pid == root:
                return True
        return False

    return {pid for pid, (_, name) in live.items() if name.startswith("chrom") and descends(pid)}


def browser_main_processes(pids: set[int]) -> set[int]:
    """The browser processes among `pids`: those whose parent is not Chromium itself."""
    mains = set()
    for pid in pids:
        entry = _parent_and_name(pid)
        parent = _parent_and_name(entry[0]) if entry else None
        if entry and not (parent and parent[1].startswith("chrom")):
            mains.add(pid)
    return mains
