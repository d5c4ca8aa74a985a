"""What the worker is asked to do: one lookup of one cédula, whatever event asked for it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from schemas.envelope import Event
from schemas.events import UserRegistered, ValidationRequested


@dataclass(frozen=True)
class LookupRequest:
    user_id: UUID
    cedula: str
    request_id: UUID
    correlation_id: UUID
    attempt: int = 1

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
                attempt=attempt,
            )
        return None
