"""Fakes for pure unit tests: a scripted census source, an in-memory event publisher and an
in-memory store of census answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from uuid import UUID

from schemas.census import CensusStatus
from schemas.envelope import Event
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.fresh_answers import FreshAnswers
from tests.support.events import SINCELEJO


def active() -> LookupResult:
    return LookupResult(status=CensusStatus.ACTIVE, source="fake", voting_place=SINCELEJO)


def failed(status: CensusStatus = CensusStatus.TIMEOUT) -> LookupResult:
    return LookupResult.failure(status, "fake", f"scripted {status.value}")


class ScriptedSource:
    """Answers from a script (then keeps repeating the last answer) and records the lookups.

    It stands for a census source (second argument: the first-request hook, called at once, once
    `until_turn` returned) or for the use case's census (second argument: the lane, recorded in
    `lanes`).
    With `cedula`, only that cédula follows the script; any other is simply ACTIVE (topics shared
    by a test session may hold other tests' requests).
    """

    name = "fake"

    def __init__(
        self,
        answers: Iterable[LookupResult] = (),
        gate: asyncio.Event | None = None,
        cedula: str | None = None,
    ) -> None:
        self._answers = list(answers) or [active()]
        self._gate = gate
        self._cedula = cedula
        self.calls: list[str] = []
        self.lanes: list[Lane] = []

    async def lookup(
        self,
        cedula: str,
        hook_or_lane: object = None,
        until_turn: Callable[[], Awaitable[None]] | None = None,
    ) -> LookupResult:
        if until_turn is not None:
            await until_turn()
        self.calls.append(cedula)
        if isinstance(hook_or_lane, Lane):
            self.lanes.append(hook_or_lane)
        elif callable(hook_or_lane):
            hook_or_lane()  # the first request to the site goes out at once
        if self._gate is not None:
            await self._gate.wait()
        if self._cedula is not None and cedula != self._cedula:
            return active()
        return self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]


class MemoryPublisher:
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def publish(self, event: Event) -> None:
        self.events.append(event)

    def types(self) -> list[str]:
        return [event.type for event in self.events]


class FullDemand:
    """A captcha token pool's demand that always wants the pool full (its `size`)."""

    def took(self) -> None:
        pass

    def solved(self, seconds: float) -> None:
        pass

    def target(self, size: int) -> int:
        return size


class FixedDemand(FullDemand):
    """A demand for `tokens` tokens (at most the pool's size)."""

    def __init__(self, tokens: int) -> None:
        self.tokens = tokens

    def target(self, size: int) -> int:
        return min(size, self.tokens)


class MemoryAnswers:
    """The answer store's rules in memory: the newest answer per cédula wins."""

    def __init__(self) -> None:
        self.kept: dict[str, LookupResult] = {}
        self.owners: dict[str, UUID | None] = {}

    async def remember(
        self, cedula: str, result: LookupResult, user_id: UUID | None = None
    ) -> None:
        kept = self.kept.get(cedula)
        if kept is None or kept.fetched_at < result.fetched_at:
            self.kept[cedula], self.owners[cedula] = result, user_id

    async def forget(self, user_id: UUID) -> int:
        theirs = [cedula for cedula, owner in self.owners.items() if owner == user_id]
        for cedula in theirs:
            del self.kept[cedula], self.owners[cedula]
        return len(theirs)

    async def latest_since(self, cedula: str, since: datetime) -> LookupResult | None:
        kept = self.kept.get(cedula)
        return kept if kept is not None and kept.fetched_at >= since else None


def no_fresh_answers() -> FreshAnswers:
    """Every request that nobody answered since it was asked is looked up."""
    return FreshAnswers(MemoryAnswers(), timedelta(0))
