"""Sign-ups per client address through the real API, relay and Kafka: a few are looked up at once,
the next ones reach Kafka as a UserRegistered that asks for no lookup plus a ValidationRequested
on the bulk lane, and past the limit the address is refused with Retry-After."""

from __future__ import annotations

import json
from collections.abc import Callable

from schemas.events import CENSUS_LOOKUP_HEADER, DEFERRED_LOOKUP
from schemas.topics import ACCOUNTS, BULK_VALIDATION_REQUESTS
from services.common.client_address import CLIENT_ADDRESS_HEADER
from tests.integration.registration.conftest import RunningRelay, make_settings, open_client
from tests.integration.registration.support import eventually, read_topic, unsent
from tests.support.accounts import sign_up_form


async def test_an_address_signs_up_a_few_at_once_then_on_the_bulk_lane_then_not_at_all(
    kafka_bootstrap: str, fresh_db: str, start_relay: Callable[..., RunningRelay]
) -> None:
    settings = make_settings(
        fresh_db,
        kafka_bootstrap,
        sign_ups_per_address_hour=3,
        sign_ups_looked_up_now_per_address=1,
    )
    start_relay(settings)
    headers = {CLIENT_ADDRESS_HEADER: "190.24.5.7"}
    async with await open_client(settings) as client:
        answers = [
            await client.post("/api/users", json=sign_up_form(), headers=headers) for _ in range(4)
        ]
        assert await eventually(lambda: _nothing_unsent(client))
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert int(answers[3].headers["Retry-After"]) > 0
    assert "desde esta conexión" in answers[3].json()["detail"]
    ids = [a.json()["id"] for a in answers[:3]]
    accounts = {
        record.key.decode(): dict((k, v.decode()) for k, v in record.headers)
        for record in await read_topic(kafka_bootstrap, ACCOUNTS)
        if record.key is not None and record.key.decode() in ids  # other tests' records too
    }
    lookups_deferred = [accounts[i].get(CENSUS_LOOKUP_HEADER) == DEFERRED_LOOKUP for i in ids]
    assert lookups_deferred == [False, True, True]
    bulk = {
        body["data"].get("user_id")
        for record in await read_topic(kafka_bootstrap, BULK_VALIDATION_REQUESTS)
        if isinstance((body := _json(record.value)).get("data"), dict)
    }
    assert bulk >= set(ids[1:])
    assert ids[0] not in bulk


async def _nothing_unsent(client) -> bool:  # type: ignore[no-untyped-def]
    return await unsent(client) == 0


def _json(value: bytes | None) -> dict:
    try:
        body = json.loads(value or b"")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
