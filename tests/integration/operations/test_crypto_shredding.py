"""Deletion really erases (Ley 1581): sign up → census answer → delete → rebuild, then every
topic read from its start with a raw consumer, the web database and the registration database
dumped: the person's name, phone and cédula are nowhere readable.

The registration API and its outbox relay are the real ones; the census answer is sealed the way
the worker seals it (`SealedRequests`), with the key the worker would be given.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Any

from aiokafka.structs import ConsumerRecord
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import EVENT_TYPES, UserRegistered
from schemas.personal import ERASED_NAME
from schemas.sealing import open_event, seal_event, sealed_key_id
from schemas.topics import ACCOUNTS, ALL_TOPICS
from services.common.db import make_engine
from services.common.person_keys import PersonKeyring
from services.common.settings import KafkaSettings
from services.kafka_admin.clients import kafka_clients, partitions_of
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from services.web.projection.opening import RecordOpener
from services.web.projection.projector import Projector
from services.web.projection.rebuild import WEB_MIGRATIONS, ReadModelRebuild
from tests.integration.operations.test_rebuild import project_everything
from tests.integration.registration.conftest import RunningRelay, make_settings, open_client
from tests.integration.registration.support import as_actor, eventually, register, unsent
from tests.support.events import validated
from tests.support.kafka import publish, read_topic


async def dump(engine: AsyncEngine) -> str:
    """Every row of every table of every schema, as text."""
    async with engine.connect() as conn:
        tables = await conn.execute(
            text(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE "
                "table_schema NOT IN ('pg_catalog', 'information_schema') "
                "AND table_type = 'BASE TABLE'"
            )
        )
        rows = []
        for schema, table in list(tables):
            query = text(f'SELECT t::text FROM "{schema}"."{table}" t')
            rows += [row[0] for row in await conn.execute(query)]
        return "\n".join(rows)


def raw(record: ConsumerRecord) -> bytes:
    headers = b"".join(name.encode() + value for name, value in record.headers or ())
    return (record.key or b"") + (record.value or b"") + headers


async def sign_up_and_answer(api: Any, bootstrap: str) -> dict[str, Any]:
    """A person with a name and phone of their own, and a census answer sealed with their key."""
    person = await register(
        api,
        nombre=f"Zoraida Quiñónez {unique_word()}",
        telefono=f"31{secrets.randbelow(10**8):08d}",
    )
    assert await eventually(lambda: unsent_is_zero(api))
    keys = PersonKeyring(api)
    (record,) = [
        r for r in await read_topic(bootstrap, ACCOUNTS.name) if r.key == person["id"].encode()
    ]
    key_id = sealed_key_id(record.value)
    assert key_id is not None
    await keys.prefetch([key_id])
    registered, _ = open_event(record.value, EVENT_TYPES, keys.lookup)
    assert isinstance(registered, UserRegistered)
    answer = validated(registered)
    data_key = keys.lookup(key_id)
    assert data_key is not None
    key, value, _ = seal_event(answer, data_key)
    await publish(bootstrap, answer.destination, key, value)
    return person


def unique_word() -> str:
    """Letters only (names allow no digits), unlikely to be anyone else's."""
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10)).capitalize()


async def unsent_is_zero(api: Any) -> bool:
    return await unsent(api) == 0


async def test_a_deleted_person_leaves_no_readable_trace_after_a_rebuild(
    kafka_bootstrap: str,
    create_database: Callable[[str], str],
    web_db: tuple[str, AsyncEngine],
) -> None:
    _, web = web_db
    settings = make_settings(create_database("registration_shred"), kafka_bootstrap)
    relay = None
    async with await open_client(settings) as api:
        relay = RunningRelay(settings)
        try:
            person = await sign_up_and_answer(api, kafka_bootstrap)
            opener = RecordOpener(PersonKeyring(api))
            await project_everything(kafka_bootstrap, Projector(web, opener))
            async with web.connect() as conn:
                shown = await conn.scalar(
                    text("SELECT nombre FROM users WHERE user_id = :id"), {"id": person["id"]}
                )
                answers = await conn.scalar(
                    text("SELECT count(*) FROM census_status WHERE user_id = :id"), person
                )
            assert shown == person["nombre"] and answers == 1

            deleted = await api.delete(f"/api/users/{person['id']}", headers=as_actor(person["id"]))
            assert deleted.status_code == 204, deleted.text
            assert await eventually(lambda: unsent_is_zero(api))
            await project_everything(kafka_bootstrap, Projector(web, opener))

            kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
            async with kafka_clients(kafka) as (admin, consumer):
                partitions = await partitions_of(admin, [spec.name for spec in PROJECTED_TOPICS])
                rebuild = ReadModelRebuild(
                    web, consumer, WEB_MIGRATIONS, 200, RecordOpener(PersonKeyring(api))
                )
                await rebuild.run(partitions, lambda _: None)
        finally:
            await relay.close()

    async with web.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT nombre, telefono, cedula FROM users WHERE user_id = :id"), person
            )
        ).one()
    assert row.nombre == ERASED_NAME and row.telefono == "" and not row.cedula.isdigit()

    personal = [person["cedula"], person["nombre"], person["telefono"]]
    for spec in ALL_TOPICS:
        for record in await read_topic(kafka_bootstrap, spec.name):
            for value in personal:
                assert value.encode() not in raw(record), f"{value!r} readable in {spec.name}"
    registration = make_engine(settings.database_url, pool_size=1)
    try:
        dumps = {"web": await dump(web), "registration": await dump(registration)}
    finally:
        await registration.dispose()
    for where, text_dump in dumps.items():
        for value in personal:
            assert value not in text_dump, f"{value!r} readable in the {where} database"
    await asyncio.sleep(0)
