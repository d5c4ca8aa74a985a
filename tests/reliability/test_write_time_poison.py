"""Records every consumer decodes but the web's database refuses (a NUL character in a voting
place, a source longer than its column), among valid ones on the same partitions, while the whole
system runs: each is tried a few times, then parked once in the web's dead-letter topic with a
reason that names no value; the records behind it are projected, and a sign-up made meanwhile
goes all the way through."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from schemas import topics
from schemas.envelope import encode_event
from services.common.failures import header
from tests.reliability.support import (
    ScenarioResult,
    cedulas,
    query,
    register,
    size,
    wait_until,
)
from tests.support.events import refused_by_postgresql, user_registered, validated
from tests.support.kafka import publish, read_topic
from tests.support.stack import Stack, stack_env

pytestmark = pytest.mark.chaos_only  # about a minute even at its quick size


REFUSALS = (  # (field of CedulaValidated.data, value): what PostgreSQL refuses to store
    ("voting_place.puesto", "IE SAN JOSE\x00C I P"),
    ("source", "consultacenso-variante-2"),
)
FINAL = ("ACTIVE", "NOT_FOUND", "CANCELLED_DECEASED", "CANCELLED_OTHER", "BLOCKED", "ERROR")


@pytest.fixture
def stack(reliability_kafka: str, create_database: Callable[[str], str], tmp_path: Path) -> Stack:
    env = stack_env(reliability_kafka, create_database) | {
        "WORKER_MIN_INTERVAL_S": "0",
        "CENSUS_FRESH_FOR": "0",
        "WORKER_METRICS_PORT": "0",
    }
    return Stack(env, tmp_path)


async def test_write_time_poison(scenario: ScenarioResult, stack: Stack) -> None:
    """Records the database refuses, on a running system"""
    count = int(size("write_poison_records", 4, 40))
    bootstrap, web_group = stack.env["KAFKA_BOOTSTRAP_SERVERS"], stack.env["WEB_PROJECTOR_GROUP_ID"]
    await stack.start_groups_at_end()
    names = cedulas(count + 1, start=8_000_000 + secrets.randbelow(900_000))
    signed_up, poisoned = names[0], names[1:]
    started = time.monotonic()
    stack.start_all()
    try:
        bad_keys = set()
        for n, cedula in enumerate(poisoned):
            bad_key, bad_body = refused_by_postgresql(cedula, *REFUSALS[n % len(REFUSALS)])
            bad_keys.add(bad_key)
            await publish(bootstrap, topics.CENSUS_RESULTS.name, bad_key, bad_body)
            behind = user_registered(cedula)  # a valid account and answer behind the refused one
            await publish(bootstrap, topics.ACCOUNTS.name, *encode_event(behind)[:2])
            await publish(
                bootstrap, topics.CENSUS_RESULTS.name, *encode_event(validated(behind))[:2]
            )
        with httpx.Client() as client:
            response = register(
                client,
                stack.url("registration"),
                stack.env["REGISTRATION_SERVICE_TOKEN"],
                signed_up,
            )
        assert response.status_code == 201, response.text

        async def web_caught_up() -> dict[str, str] | None:
            # The worker looks the accounts behind up too: its answer may be the newest.
            rows = await query(
                stack.env["WEB_DATABASE_URL"],
                "SELECT cedula, status FROM census_status WHERE cedula = ANY(:names)",
                names=names,
            )
            statuses = {r["cedula"]: r["status"] for r in rows}
            return statuses if all(statuses.get(c) in FINAL for c in names) else None

        await wait_until(web_caught_up, 180, "the records behind the refused ones projected")

        async def parked() -> list:
            records = await read_topic(bootstrap, topics.WEB_DLT.name)
            mine = [r for r in records if header(r, "failure_consumer_group") == web_group]
            return mine if len(mine) >= count else []

        dlt = await wait_until(parked, 120, f"{count} refused records parked")
        web_log = stack.services["web"].log_file.read_text(errors="replace")
        stopped = [
            n for n, s in stack.services.items() if s.process and s.process.poll() is not None
        ]
        assert not stopped, f"{stopped} stopped on their own"
    finally:
        stack.stop_all()

    assert len(dlt) == count  # each parked once: no loop, no second parking
    assert {r.key for r in dlt} == bad_keys
    for record in dlt:
        assert header(record, "failure_kind") == "RecordFault"
        reason = header(record, "failure_message") or ""
        assert reason.split()[1][:2] in {"22", "23"}  # SQLSTATE: the data itself
        assert not any(c in reason for c in names)
        assert not any(value in reason for _, value in REFUSALS)
    assert "IE SAN JOSE\\x00" not in web_log and "variante-2" not in web_log
    scenario.injected = (
        f"{count} CedulaValidated records on census.results that decode but that PostgreSQL "
        "refuses (NUL character in the puesto; a source longer than its column), each followed "
        "on its partition by a valid account and answer; a sign-up through the registration API "
        "meanwhile"
    )
    scenario.checked = (
        "each refused record parked once in the web DLT (RecordFault, SQLSTATE class 22/23, no "
        "value or cédula in the reason or the web's log); every account behind one projected "
        "with a final census status; the sign-up looked up and projected; no service stopped"
    )
    scenario.sent = 3 * count + 1
    scenario.delivered = len(dlt) + 2 * count + 1
    scenario.sizes = {"write_poison_records": count}
    scenario.notes = f"all parked and projected in {time.monotonic() - started:.0f} s"
