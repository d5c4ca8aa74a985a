"""The keyring readers open sealed events with: one call per batch, deletions remembered for
good, existing keys asked again after their time, and no erasing when the API cannot answer."""

from __future__ import annotations

import base64
from uuid import UUID, uuid4

import httpx
import pytest

from services.common.person_keys import KeysUnavailable, PersonKeyring

ALIVE, GONE = uuid4(), uuid4()
KEY = b"k" * 32


class Registration:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.keys = {ALIVE: KEY}
        self.failing = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.failing:
            return httpx.Response(503)
        asked = request.url.params.get_list("user_id")
        self.calls.append(asked)
        found = {
            u: base64.b64encode(self.keys[UUID(u)]).decode() for u in asked if UUID(u) in self.keys
        }
        return httpx.Response(200, json={"keys": found})


def keyring(api: Registration, now: list[float]) -> PersonKeyring:
    http = httpx.AsyncClient(transport=httpx.MockTransport(api), base_url="http://reg.test")
    return PersonKeyring(http, ttl_s=60, clock=lambda: now[0])


async def test_one_call_answers_a_whole_batch_and_a_missing_key_reads_as_deleted() -> None:
    api, now = Registration(), [0.0]
    keys = keyring(api, now)
    await keys.prefetch([ALIVE, GONE, ALIVE])
    assert keys.lookup(ALIVE) == KEY and keys.lookup(GONE) is None
    await keys.prefetch([ALIVE, GONE])
    assert len(api.calls) == 1


async def test_a_deleted_key_is_never_asked_again_and_a_live_one_is_after_its_time() -> None:
    api, now = Registration(), [0.0]
    keys = keyring(api, now)
    await keys.prefetch([ALIVE, GONE])
    del api.keys[ALIVE]  # deleted meanwhile, by another process
    now[0] = 61.0
    await keys.prefetch([ALIVE, GONE])
    assert api.calls[-1] == [str(ALIVE)]
    assert keys.lookup(ALIVE) is None


async def test_forgetting_a_deleted_account_takes_effect_at_once() -> None:
    api, now = Registration(), [0.0]
    keys = keyring(api, now)
    await keys.prefetch([ALIVE])
    keys.forget(ALIVE)
    assert keys.lookup(ALIVE) is None


async def test_an_api_that_cannot_answer_erases_nothing() -> None:
    api, now = Registration(), [0.0]
    api.failing = True
    keys = keyring(api, now)
    with pytest.raises(KeysUnavailable):
        await keys.prefetch([ALIVE])
    with pytest.raises(KeysUnavailable):
        keys.lookup(ALIVE)
