"""Cédulas the simulator answers "found" for, and a driver that keeps N lookups in flight."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from infra.registraduria_sim import OutcomeKind, outcome_for
from schemas.census import CensusStatus
from services.census_worker.domain.model import CensusSource, LookupResult


def found_cedulas(seed: int = 7) -> Iterator[str]:
    """Distinct 10-digit cédulas, each one the simulator answers with a voting place."""
    rng = random.Random(seed)
    seen: set[str] = set()
    while True:
        cedula = str(rng.randrange(1_000_000_000, 9_999_999_999))
        if cedula not in seen and outcome_for(cedula).kind is OutcomeKind.FOUND:
            seen.add(cedula)
            yield cedula


def take(cedulas: Iterator[str], count: int) -> list[str]:
    return [next(cedulas) for _ in range(count)]


@dataclass
class Tally:
    """Answers counted as they arrive: only ACTIVE (a voting place) is a success."""

    active: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def done(self) -> int:
        return self.active + self.failures.total()

    def count(self, ok: bool, status: str = "failed") -> None:
        if ok:
            self.active += 1
        else:
            self.failures[status] += 1

    def count_result(self, result: LookupResult) -> None:
        self.count(result.status is CensusStatus.ACTIVE, str(result.status))


async def drive(
    source: CensusSource, cedulas: Sequence[str], concurrency: int, tally: Tally | None
) -> float:
    """Look every cédula up with `concurrency` tasks pulling from one queue; seconds taken."""
    queue = iter(cedulas)

    async def lookups() -> None:
        for cedula in queue:  # the tasks share the iterator: each cédula is looked up once
            result = await source.lookup(cedula)
            if tally is not None:
                tally.count_result(result)

    started = time.perf_counter()
    await asyncio.gather(*(lookups() for _ in range(concurrency)))
    return time.perf_counter() - started
