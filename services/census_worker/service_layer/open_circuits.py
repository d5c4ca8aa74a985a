"""Which census hosts' circuits this process last saw open, so nothing is spent on them meanwhile:
the captcha pool of a paused host solves nothing ahead (`PausedWhileOpen`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from services.census_worker.domain.turns import HostView


class OpenCircuits:
    """Kept up to date by the scheduler's reads, the periodic report's and resume commands."""

    def __init__(self) -> None:
        self._open: set[str] = set()

    def __contains__(self, host: object) -> bool:
        return host in self._open

    def seen(self, views: Iterable[HostView]) -> None:
        for view in views:
            (self._open.add if view.circuit_open else self._open.discard)(view.host)

    def replace(self, hosts: Iterable[str]) -> None:
        self._open = set(hosts)

    def opened(self, host: str) -> None:
        self._open.add(host)

    def closed(self, host: str) -> None:
        self._open.discard(host)


class Demand(Protocol):
    """The captcha token pool's demand (`lookup.captcha.demand`), seen structurally."""

    def took(self) -> None: ...
    def solved(self, seconds: float) -> None: ...
    def target(self, size: int) -> int: ...


class PausedWhileOpen:
    """A host's token demand that drops to nothing while the host's circuit is open."""

    def __init__(self, demand: Demand, host: str, circuits: OpenCircuits) -> None:
        self._demand, self._host, self._circuits = demand, host, circuits

    def took(self) -> None:
        self._demand.took()

    def solved(self, seconds: float) -> None:
        self._demand.solved(seconds)

    def target(self, size: int) -> int:
        return 0 if self._host in self._circuits else self._demand.target(size)
