"""Records as the projector reads them: sealed ones opened with their person's key, and those
whose key was deleted made harmless (`schemas/sealing.py`).

An erased sign-up still makes its user row (so referrals stay counted under their leader), under
`erased_cedula` and «Cuenta eliminada»; any other erased record becomes an `ErasedRecord`, which
no handler writes anything for. Never a failure, never a dead letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Literal
from uuid import UUID

from aiokafka.structs import ConsumerRecord
from pydantic import BaseModel, ConfigDict

from schemas.envelope import Event, EventDecodeError
from schemas.events import EVENT_TYPES, UserProfileUpdated, UserRegistered
from schemas.personal import erased_cedula
from schemas.sealing import open_event, sealed_key_id
from services.common.person_keys import PersonKeyring


class ErasedData(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: UUID


class ErasedRecord(Event):
    """Stands for a record of a deleted person (never on Kafka: not in the registry)."""

    type: Literal["ErasedRecord"] = "ErasedRecord"
    version: Literal[1] = 1
    data: ErasedData
    topic: ClassVar[str] = ""
    key_field: ClassVar[str] = "user_id"


class RecordOpener:
    """`keys` None: no registration API configured (no REGISTRATION_SERVICE_TOKEN): a sealed
    record is then refused as unreadable (dead-lettered live, skipped and counted by a rebuild),
    never erased, so fixing the setting and redriving or rebuilding brings it back."""

    def __init__(self, keys: PersonKeyring | None) -> None:
        self.keys = keys

    async def prepare(self, records: Iterable[ConsumerRecord]) -> None:
        """Fetch the keys the records need (one call per batch); KeysUnavailable if it fails."""
        if self.keys is not None:
            wanted = (sealed_key_id(record.value or b"") for record in records)
            await self.keys.prefetch(key for key in wanted if key is not None)

    def open(self, record: ConsumerRecord) -> Event:
        """The record's event; EventDecodeError when it is not one (a dead letter)."""
        lookup = self.keys.lookup if self.keys is not None else _no_keys
        event, erased = open_event(record.value or b"", EVENT_TYPES, lookup)
        if not erased:
            return event
        if isinstance(event, UserRegistered):
            data = event.data.model_copy(update={"cedula": erased_cedula(event.data.user_id)})
            return event.model_copy(update={"data": data})
        if isinstance(event, UserProfileUpdated):
            return event  # «Cuenta eliminada», no phone: what the row shows anyway
        user_id = event.data.user_id  # type: ignore[attr-defined]  # every sealed event names it
        return event.caused(ErasedRecord, producer=event.producer, data=ErasedData(user_id=user_id))

    def forget(self, user_id: UUID) -> None:
        if self.keys is not None:
            self.keys.forget(user_id)


def _no_keys(user_id: UUID) -> bytes | None:
    raise EventDecodeError("sealed record, but no registration API to fetch its key from")
