"""The rebuild benchmark's sealed records and their keys: every event with personal fields is
sealed with its person's key, as the registration relay and the census worker now publish them
(97 % of a campaign's events), and the keys are served by the registration API itself (its own
database, `/api/person-keys`), which the rebuild asks a batch at a time as `censo ops rebuild`
does. BENCH_REBUILD_CLEAR=1 produces every record in clear instead (as before sealing).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from bench.infra import Served, clean_env, new_database, serving
from infra.local.postgres import PostgresCluster
from schemas.envelope import Event, encode_event
from schemas.sealing import is_sealable, key_id_of, new_key, seal_event
from services.common.db import make_engine
from services.common.person_keys import PersonKeyring
from services.registration.adapters.orm import person_keys
from services.web.adapters.registration_client import make_http_client
from services.web.projection.opening import RecordOpener
from tests.support.infra import free_port

Record = tuple[bytes, bytes, dict[str, str]]  # key, value, headers
STORE_CHUNK = 5_000


def sealing_on() -> bool:
    return os.environ.get("BENCH_REBUILD_CLEAR", "") not in ("1", "true")


class CampaignKeys:
    """Each person's key, made at their first sealed event; `unstored` until `store` ran."""

    def __init__(self, sealing: bool) -> None:
        self.sealing = sealing
        self.token = secrets.token_urlsafe(24)
        self._keys: dict[UUID, bytes] = {}
        self._unstored: list[UUID] = []

    def record(self, event: Event) -> Record:
        if not (self.sealing and is_sealable(event)):
            return encode_event(event)
        person = key_id_of(event)
        key = self._keys.get(person)
        if key is None:
            key = self._keys[person] = new_key()
            self._unstored.append(person)
        return seal_event(event, key)

    async def store(self, database_url: str) -> None:
        """Write the keys made since the last call into the registration database."""
        engine = make_engine(database_url, pool_size=1)
        now = datetime.now(UTC)
        try:
            async with engine.begin() as conn:
                for start in range(0, len(self._unstored), STORE_CHUNK):
                    chunk = self._unstored[start : start + STORE_CHUNK]
                    rows = [
                        {"user_id": u, "data_key": self._keys[u], "created_at": now} for u in chunk
                    ]
                    await conn.execute(person_keys.insert(), rows)
        finally:
            await engine.dispose()
        self._unstored.clear()


@contextmanager
def serving_keys(workdir: Path, pg: PostgresCluster, token: str) -> Iterator[tuple[Served, str]]:
    """The registration API on its own database (migrated at start); and that database's URL."""
    url, port = new_database(pg, "bench_registration"), free_port()
    settings = {"DATABASE_URL": url, "PORT": str(port), "SERVICE_TOKEN": token}
    env = clean_env(
        ("REGISTRATION_", "LOG_", "KAFKA_"),
        {**{f"REGISTRATION_{k}": v for k, v in settings.items()}, "LOG_LEVEL": "WARNING"},
    )
    with serving(["-m", "bench.registration_server"], env, workdir / "registration.log", port) as s:
        yield s, url


@asynccontextmanager
async def opener(keys_url: str | None, token: str) -> AsyncIterator[RecordOpener]:
    """As `censo ops rebuild` opens records: a keyring on the registration API (none: clear)."""
    if keys_url is None:
        yield RecordOpener(None)
        return
    async with make_http_client(keys_url, token, 30.0) as http:
        yield RecordOpener(PersonKeyring(http))
