"""An operator's resume of a census host: close its circuit for every worker and wake the lookups
waiting here (the others wake on the NOTIFY the store sends)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

import structlog

from schemas.events import CensusHostResumeRequested
from services.census_worker.domain.turns import Resumed
from services.census_worker.service_layer.open_circuits import OpenCircuits

log = structlog.get_logger(__name__)


class CircuitStore(Protocol):
    async def resume(self, host: str, requested_at: datetime) -> Resumed:
        """Close the host's circuit if it opened no later than `requested_at`."""


class ResumeHost:
    def __init__(
        self, store: CircuitStore, circuits: OpenCircuits, wake: Callable[[str | None], None]
    ) -> None:
        self._store, self._circuits, self._wake = store, circuits, wake

    async def __call__(self, command: CensusHostResumeRequested) -> Resumed:
        host, operator = command.data.host, command.data.operator
        outcome = await self._store.resume(host, command.occurred_at)
        if outcome is Resumed.CLOSED:
            self._circuits.closed(host)
            self._wake(host)
            log.warning("census.circuit_resumed", host=host, operator=operator)
        else:  # a replayed or late command: nothing to do, but say so
            log.info(
                "census.resume_ignored",
                host=host,
                operator=operator,
                outcome=outcome.value,
                requested_at=command.occurred_at.isoformat(),
                event_id=str(command.event_id),
            )
        return outcome
