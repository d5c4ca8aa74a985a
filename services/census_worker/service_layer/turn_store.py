"""Ports of the turn scheduler: the store it books through (a census host's budget shared by every
worker: PostgreSQL in `adapters.host_budget`, a fake in the tests) and the observer of its metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Booking, HostAnswered, HostView, Lane


class TurnStore(Protocol):
    async def ensure_hosts(self, hosts: Sequence[str]) -> None:
        """Create the rows of hosts seen for the first time."""

    async def view(self, hosts: Sequence[str]) -> list[HostView]:
        """Where each host's next turn stands."""

    async def book(self, host: str) -> Booking | None:
        """Book the host's next turn; None while someone else holds it (or its circuit is open)."""

    async def confirm(self, host: str) -> Booking | None:
        """This process's booking as it stands now; None when it was lost."""

    async def release(self, host: str, lane: Lane, used: bool) -> bool:
        """End the booking; a used turn starts the interval now. False: it was not ours."""

    async def answered(self, host: str, result: LookupResult) -> HostAnswered:
        """Record a used turn's answer: a BLOCKED one cools the host down, unclassifiable ones
        in a row open its circuit."""


class TurnObserver(Protocol):
    """What the scheduler reports for the metrics."""

    def waited(self, lane: Lane, seconds: float) -> None: ...
    def took_over(self, host: str) -> None: ...
    def used(self, host: str) -> None: ...
    def cooled_down(self, host: str, seconds: float) -> None: ...
    def circuit_opened(self, host: str) -> None: ...


class NoObserver:
    def waited(self, lane: Lane, seconds: float) -> None:
        pass

    def took_over(self, host: str) -> None:
        pass

    def used(self, host: str) -> None:
        pass

    def cooled_down(self, host: str, seconds: float) -> None:
        pass

    def circuit_opened(self, host: str) -> None:
        pass
