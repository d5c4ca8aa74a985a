"""Builders of realistic events and consumer records for tests."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from uuid import UUID, uuid4

from aiokafka.structs import ConsumerRecord

from schemas.census import CensusStatus, VotingPlace
from schemas.envelope import Event, encode_event
from schemas.events import (
    CedulaValidated,
    CedulaValidatedData,
    UserRegistered,
    UserRegisteredData,
    ValidationFailed,
    ValidationFailedData,
    ValidationStarted,
    ValidationStartedData,
)

SINCELEJO = VotingPlace(
    departamento="SUCRE",
    municipio="SINCELEJO",
    puesto="IE SAN JOSE C I P",
    direccion="CL 22 No. 10A-380",
    mesa="13",
)
_offsets = itertools.count()


def user_registered(cedula: str = "1102812122", user_id: UUID | None = None) -> UserRegistered:
    return UserRegistered(
        producer="tests",
        data=UserRegisteredData(
            user_id=user_id or uuid4(),
            cedula=cedula,
            nombre="Ana María Pérez",
            telefono="3001234567",
            referral_code=uuid4().hex[:8].upper(),
            registered_at=datetime.now(UTC),
        ),
    )


def started(registered: UserRegistered) -> ValidationStarted:
    data = registered.data
    return registered.caused(
        ValidationStarted,
        producer="tests",
        data=ValidationStartedData(
            user_id=data.user_id,
            cedula=data.cedula,
            request_id=registered.event_id,
            attempt=1,
            source="wsp",
        ),
    )


def refused_by_postgresql(cedula: str, field: str, value: str) -> tuple[bytes, bytes]:
    """Key and body of a CedulaValidated the schema accepts but a column refuses: `field` is a
    path in its data (`voting_place.puesto`) set to `value` (a NUL character, a long text)."""
    answer = validated(user_registered(cedula))
    body = json.loads(answer.model_dump_json())
    *parents, name = field.split(".")
    target = body["data"]
    for parent in parents:
        target = target[parent]
    target[name] = value
    return answer.key, json.dumps(body).encode()


def validated(registered: UserRegistered, place: VotingPlace = SINCELEJO) -> CedulaValidated:
    data = registered.data
    return registered.caused(
        CedulaValidated,
        producer="tests",
        data=CedulaValidatedData(
            user_id=data.user_id,
            cedula=data.cedula,
            request_id=registered.event_id,
            attempt=1,
            source="wsp",
            status=CensusStatus.ACTIVE,
            voting_place=place,
            fetched_at=datetime.now(UTC),
        ),
    )


def failed_event(
    registered: UserRegistered, status: CensusStatus = CensusStatus.ERROR, will_retry: bool = False
) -> ValidationFailed:
    data = registered.data
    return registered.caused(
        ValidationFailed,
        producer="tests",
        data=ValidationFailedData(
            user_id=data.user_id,
            cedula=data.cedula,
            request_id=registered.event_id,
            attempt=1,
            source="wsp",
            status=status,
            reason="scripted failure",
            will_retry=will_retry,
            failed_at=datetime.now(UTC),
        ),
    )


def record(event: Event, offset: int | None = None, partition: int = 0) -> ConsumerRecord:
    """A consumer record as aiokafka would deliver it."""
    key, value, headers = encode_event(event)
    return ConsumerRecord(
        topic=event.destination,
        partition=partition,
        offset=next(_offsets) if offset is None else offset,
        timestamp=int(event.occurred_at.timestamp() * 1000),
        timestamp_type=0,
        key=key,
        value=value,
        checksum=None,
        serialized_key_size=len(key),
        serialized_value_size=len(value),
        headers=[(name, text.encode()) for name, text in headers.items()],
    )
