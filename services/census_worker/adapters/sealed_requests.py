"""Sealed requests in, sealed answers out: the worker opens a request with its person's key
(from the registration API, `services/common/person_keys.py`) and seals what it publishes about
that person with the same key, so no cédula travels in clear on census topics either.

A request that came in clear (written before sealing existed) is answered in clear, as before;
one whose key was deleted is not looked up at all: the person asked to be forgotten.
"""

from __future__ import annotations

from collections import OrderedDict
from uuid import UUID

from aiokafka.structs import ConsumerRecord

from schemas.envelope import Event, EventDecodeError
from schemas.events import EVENT_TYPES
from schemas.sealing import is_sealable, key_id_of, open_event, seal_event, sealed_key_id
from services.common.kafka_publisher import RecordPublisher
from services.common.person_keys import KeysUnavailable, PersonKeyring

REMEMBERED_KEYS = 10_000  # people with a lookup in flight in one process: far fewer


class SealedRequests:
    """`keys` None: no registration API configured (no REGISTRATION_SERVICE_TOKEN): a sealed
    request is then refused as unreadable (to the dead letters, redriven once it is set)."""

    def __init__(self, keys: PersonKeyring | None, publisher: RecordPublisher) -> None:
        self._keys = keys
        self._publisher = publisher
        self._sealing: OrderedDict[UUID, bytes] = OrderedDict()

    async def open(self, record: ConsumerRecord) -> Event | None:
        """The request's event, None when its person was deleted; EventDecodeError for bad
        input, KeysUnavailable (delivered again later) when the key cannot be had now."""
        body = record.value or b""
        key_id = sealed_key_id(body)
        if key_id is not None:
            if self._keys is None:
                raise EventDecodeError("sealed request, but no registration API to get its key")
            await self._keys.prefetch([key_id])
        event, erased = open_event(body, EVENT_TYPES, self._lookup)
        if erased:
            return None
        if key_id is not None and self._keys is not None:
            self._remember(key_id, self._keys.lookup(key_id))
        return event

    async def publish(self, event: Event) -> None:
        """Sealed with the key its request came with; in clear when that came in clear."""
        key = self._sealing.get(key_id_of(event)) if is_sealable(event) else None
        if key is None:
            await self._publisher.publish(event)
        else:
            await self._publisher.publish_record(event.destination, seal_event(event, key))

    def _lookup(self, user_id: UUID) -> bytes | None:
        if self._keys is None:
            raise KeysUnavailable("no registration API to fetch keys from")
        return self._keys.lookup(user_id)

    def _remember(self, user_id: UUID, key: bytes | None) -> None:
        if key is None:
            return
        self._sealing[user_id] = key
        self._sealing.move_to_end(user_id)
        while len(self._sealing) > REMEMBERED_KEYS:
            self._sealing.popitem(last=False)
