"""The worker opens a sealed request with its person's key and seals the answers with the same
key; a request in clear is answered in clear; a deleted person's request is not looked up."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
from aiokafka.structs import ConsumerRecord

from schemas.envelope import Event, encode_event
from schemas.events import EVENT_TYPES
from schemas.sealing import new_key, open_event, seal_event
from services.census_worker.adapters.sealed_requests import SealedRequests
from services.common.person_keys import PersonKeyring
from tests.support.events import user_registered, validated

KEY = new_key()


class Published:
    def __init__(self) -> None:
        self.clear: list[Event] = []
        self.sealed: list[tuple[str, tuple[bytes, bytes, dict[str, str]]]] = []

    async def publish(self, event: Event) -> None:
        self.clear.append(event)

    async def publish_record(self, topic: str, record: tuple[bytes, bytes, dict[str, str]]) -> None:
        self.sealed.append((topic, record))


def keyring(keys: dict[UUID, bytes]) -> PersonKeyring:
    import base64

    def answer(request: httpx.Request) -> httpx.Response:
        asked = [UUID(u) for u in request.url.params.get_list("user_id")]
        found = {str(u): base64.b64encode(keys[u]).decode() for u in asked if u in keys}
        return httpx.Response(200, json={"keys": found})

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://reg.test")
    return PersonKeyring(http)


def as_record(value: bytes) -> Any:
    return ConsumerRecord("accounts.events", 0, 0, 0, 0, b"k", value, None, 1, len(value), [])


async def test_a_sealed_request_is_opened_and_its_answer_sealed_with_the_same_key() -> None:
    registered, published = user_registered(cedula="52123470"), Published()
    sealed = SealedRequests(keyring({registered.data.user_id: KEY}), published)  # type: ignore[arg-type]  # a fake publisher
    opened = await sealed.open(as_record(seal_event(registered, KEY)[1]))
    assert opened == registered
    await sealed.publish(validated(registered))
    ((_, (key, value, _)),) = published.sealed
    assert b"52123470" not in key + value
    assert open_event(value, EVENT_TYPES, lambda _: KEY)[0].data.cedula == "52123470"  # type: ignore[attr-defined]  # a CedulaValidated


async def test_a_deleted_persons_request_is_not_looked_up() -> None:
    registered = user_registered(cedula="52123471")
    sealed = SealedRequests(keyring({}), Published())  # type: ignore[arg-type]  # a fake publisher
    assert await sealed.open(as_record(seal_event(registered, KEY)[1])) is None


async def test_a_request_in_clear_is_answered_in_clear() -> None:
    registered, published = user_registered(cedula="52123472"), Published()
    sealed = SealedRequests(None, published)  # type: ignore[arg-type]  # a fake publisher
    assert await sealed.open(as_record(encode_event(registered)[1])) == registered
    await sealed.publish(validated(registered))
    assert len(published.clear) == 1 and not published.sealed
