"""Memory sampled and CPU metered around one benchmark variant's lookups."""

from __future__ import annotations

import contextlib

from bench.cpu import CpuMeter
from bench.lookups import Tally
from bench.memory import MemorySampler


class Meters(contextlib.ExitStack):
    """Memory sampled and CPU metered while the block runs; `tally` gives the progress."""

    def __init__(self, tally: Tally, excluded: tuple[int, ...]) -> None:
        super().__init__()
        self.memory = MemorySampler(lambda: tally.done, excluded)
        self.cpu = CpuMeter(excluded)

    def __enter__(self) -> Meters:
        self.enter_context(self.memory)
        self.enter_context(self.cpu)
        return self
