"""Events for the web tests: referrals of a given leader, answers, requests at a chosen time."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from aiokafka.structs import ConsumerRecord

from schemas.census import CensusStatus
from schemas.events import (
    CedulaValidated,
    CedulaValidatedData,
    UserRegistered,
    UserRegisteredData,
    ValidationFailed,
    ValidationFailedData,
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
)
from services.web.projection.projector import Projector
from tests.support.events import SINCELEJO, record

# Hand-built records get offsets of their own (partition 0 of each topic), far above any test's.
_offsets = itertools.count(1_000_000)


async def project(projector: Projector, *events: object) -> None:
    for event in events:
        await projector.project(as_record(event))


def as_record(event: object) -> ConsumerRecord:
    """A record of its own offset, above every earlier one (so it is never taken as seen)."""
    return record(event, offset=next(_offsets))  # type: ignore[arg-type]


def referral(
    referrer_id: UUID | None,
    nombre: str = "Ana María Pérez",
    cedula: str | None = None,
    at: datetime | None = None,
) -> UserRegistered:
    at = at or datetime.now(UTC)
    return UserRegistered(
        producer="tests",
        occurred_at=at,
        data=UserRegisteredData(
            user_id=uuid4(),
            cedula=cedula or str(20_000_000 + secrets.randbelow(70_000_000)),
            nombre=nombre,
            telefono="3001234567",
            referrer_id=referrer_id,
            referral_code=secrets.token_hex(4).upper(),
            registered_at=at,
        ),
    )


def answered(registered: UserRegistered, status: CensusStatus = CensusStatus.ACTIVE):  # type: ignore[no-untyped-def]
    data = registered.data
    lookup = {
        "user_id": data.user_id,
        "cedula": data.cedula,
        "request_id": registered.event_id,
        "attempt": 1,
        "source": "wsp",
    }
    if status.is_failure:
        return ValidationFailed(
            producer="tests",
            data=ValidationFailedData(
                **lookup,
                status=status,
                reason="La página tardó demasiado",
                will_retry=True,
                next_attempt_at=datetime.now(UTC) + timedelta(minutes=5),
                raw_response="<html>respuesta cruda</html>",
                failed_at=datetime.now(UTC),
            ),
        )
    return CedulaValidated(
        producer="tests",
        data=CedulaValidatedData(
            **lookup,
            status=status,
            voting_place=SINCELEJO if status is CensusStatus.ACTIVE else None,
            fetched_at=datetime.now(UTC),
        ),
    )


def requested(user_id: UUID, cedula: str, at: datetime) -> ValidationRequested:
    """A re-check asked for at `at` (so the status has been PENDING since then)."""
    return ValidationRequested(
        producer="tests",
        occurred_at=at,
        data=ValidationRequestedData(
            user_id=user_id, cedula=cedula, reason=ValidationReason.REFRESH
        ),
    )
