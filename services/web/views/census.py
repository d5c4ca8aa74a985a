"""A census record as the pages show it: label and badge, the voting place, what happened in plain
Spanish and what comes next, whether it is stuck waiting (with how long), and for admins only the
technical reason and the raw answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from schemas.census import CensusStatus
from services.web.clock import Clock
from services.web.queries.census import NOVEDAD_KEYS, PLACE_KEYS
from services.web.views.explanations import Explanation, explain
from services.web.views.formatting import duration
from services.web.views.labels import badge_class, status_label

WAITING = (CensusStatus.PENDING, CensusStatus.PROCESSING)
CANCELLED = (CensusStatus.CANCELLED_DECEASED, CensusStatus.CANCELLED_OTHER)


@dataclass(frozen=True)
class CensusView:
    status: CensusStatus
    label: str
    badge: str
    place: dict[str, str] | None
    novedad: dict[str, str | None] | None
    fetched_at: datetime | None
    explanation: Explanation  # for everyone: never the technical reason
    error_message: str | None  # the worker's technical reason: admins only
    attempt: int
    next_retry_at: datetime | None
    updated_at: datetime | None
    stuck_for: str | None  # «2 h 5 min» when stuck waiting, else None
    raw_response: str | None
    source: str | None

    @property
    def failed(self) -> bool:
        return self.status.is_failure

    @property
    def cancelled(self) -> bool:
        return self.status in CANCELLED

    @property
    def waiting(self) -> bool:
        return self.status in WAITING


def census_view(row: Any, clock: Clock) -> CensusView:
    """From a `user_with_census` row (or any mapping with the same keys)."""
    status = CensusStatus(row.get("status") or CensusStatus.PENDING.value)
    updated_at = row.get("census_updated_at") or row.get("registered_at")
    waited = clock.now() - updated_at if updated_at else timedelta(0)
    stuck_for = duration(waited) if status in WAITING and waited > clock.stuck_after else None
    next_retry_at = row.get("next_retry_at")
    return CensusView(
        status=status,
        label=status_label(status),
        badge=badge_class(status),
        place={k: row.get(k) for k in PLACE_KEYS} if row.get("departamento") else None,
        novedad={k: row.get(k) for k in NOVEDAD_KEYS} if row.get("novedad") else None,
        fetched_at=row.get("fetched_at"),
        explanation=explain(status, clock.now(), next_retry_at, stuck_for, clock.stuck_after),
        error_message=row.get("error_message"),
        attempt=row.get("attempt") or 0,
        next_retry_at=next_retry_at,
        updated_at=updated_at,
        stuck_for=stuck_for,
        raw_response=row.get("raw_response"),
        source=row.get("source"),
    )
