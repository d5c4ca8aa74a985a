"""What a census lookup answers, and the port every census source implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from schemas.census import CensusStatus, Novedad, VotingPlace
from schemas.events import MAX_RAW_RESPONSE_CHARS


def _now() -> datetime:
    return datetime.now(UTC)


def clip_raw(raw: str | bytes | None) -> str | None:
    """Keep a reply for operators: text, at most MAX_RAW_RESPONSE_CHARS, no NUL characters."""
    if raw is None:
        return None
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return text[:MAX_RAW_RESPONSE_CHARS].replace("\x00", "\ufffd")


@dataclass(frozen=True, slots=True)
class LookupResult:
    """One answer of the census for one cédula; `status.is_final` tells whether to retry."""

    status: CensusStatus
    source: str
    voting_place: VotingPlace | None = None
    novedad: Novedad | None = None
    reason: str | None = None
    raw_response: str | None = None
    fetched_at: datetime = field(default_factory=_now)
    # The host's reply was not recognised (the page or API changed): counts toward its circuit.
    unclassified: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw_response", clip_raw(self.raw_response))

    @classmethod
    def failure(
        cls, status: CensusStatus, source: str, reason: str, raw: str | bytes | None = None
    ) -> LookupResult:
        """An ERROR, TIMEOUT or BLOCKED answer with its operator-readable reason."""
        return cls(status=status, source=source, reason=reason, raw_response=clip_raw(raw))

    @classmethod
    def unrecognised(cls, source: str, reason: str, raw: str | bytes | None) -> LookupResult:
        """An ERROR for a reply no reader recognises: the site may have changed its page."""
        return cls(
            status=CensusStatus.ERROR,
            source=source,
            reason=reason,
            raw_response=clip_raw(raw),
            unclassified=True,
        )


FirstRequestHook = Callable[[], None]
TurnWait = Callable[[], Awaitable[None]]


class CensusSource(Protocol):
    """A variant of the Registraduría's lookup site; `lookup` raises only on cancellation (and
    `TurnLost`, from `until_turn`).

    `until_turn`, awaited after the page is prepared and before its first request, returns when
    the host's turn has come (the page is ready by then, so the turn is not spent opening it).
    `on_first_request` is called once, when the lookup's first request to the site is sent: the
    host's politeness budget counts its turns from that moment.
    """

    name: str

    async def lookup(
        self,
        cedula: str,
        on_first_request: FirstRequestHook | None = None,
        until_turn: TurnWait | None = None,
    ) -> LookupResult: ...
