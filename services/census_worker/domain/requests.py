"""What the worker is asked to do: one lookup of one cédula, whatever event asked for it, and
which earlier answer of the census may stand in for that lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from schemas.envelope import Event
from schemas.events import UserRegistered, ValidationReason, ValidationRequested

# A person asked for a new look at the census: their own refresh, or their leader's.
ASKED_BY_A_PERSON = frozenset({ValidationReason.REFRESH, ValidationReason.BULK_REFRESH})


@dataclass(frozen=True)
class LookupRequest:
    user_id: UUID
    cedula: str
    request_id: UUID
    correlation_id: UUID
    requested_at: datetime
    attempt: int = 1
    explicit: bool = False  # a person asked for this lookup (see `ASKED_BY_A_PERSON`)

    @classmethod
    def from_event(cls, event: Event, attempt: int = 1) -> LookupRequest | None:
        """UserRegistered is the first validation of a user; ValidationRequested every later one.

        Other events on the consumed topics (profile or role changes) ask for nothing: None.
        """
        if isinstance(event, UserRegistered | ValidationRequested):
            return cls(
                user_id=event.data.user_id,
                cedula=event.data.cedula,
                request_id=event.event_id,
                correlation_id=event.correlation_id,
                requested_at=event.occurred_at,
                attempt=attempt,
                explicit=isinstance(event, ValidationRequested)
                and event.data.reason in ASKED_BY_A_PERSON,
            )
        return None

    def accepts_answers_since(self, now: datetime, fresh_for: timedelta) -> datetime:
        """The oldest final answer that may stand in for this lookup. A re-check nobody asked
        for (a sign-up of a cédula already answered, a revalidation, any retry or redrive of
        those) takes one from the last `fresh_for`; a person's explicit request only one given
        after they asked (a retry of it, or a redelivery after the answer was stored)."""
        return self.requested_at if self.explicit else now - fresh_for
