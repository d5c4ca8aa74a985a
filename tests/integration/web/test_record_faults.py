"""A record the projector decodes but the database refuses (text PostgreSQL cannot hold, a value
too long for its column) is tried a few times with pauses, then parked with a reason that names
no value, while the records behind it on the partition are projected; the database away for a
moment is only ever waited out."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from schemas import topics
from schemas.envelope import encode_event
from services.common.db import make_engine
from services.common.db_faults import describe
from services.common.failures import header
from services.common.settings import KafkaSettings
from services.web.adapters.tables import census_status
from services.web.bootstrap import running_services
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from services.web.metrics import WebMetrics
from tests.integration.web.conftest import web_settings
from tests.support.events import refused_by_postgresql, user_registered, validated
from tests.support.kafka import publish, start_group_at_end
from tests.support.kafka_wait import watching

pytestmark = pytest.mark.usefixtures("kafka_bootstrap")


@pytest.mark.parametrize(
    ("field", "value"),
    [("voting_place.puesto", "IE SAN JOSE\x00C I P"), ("source", "consultacenso-variante-2")],
    ids=["nul_character", "longer_than_its_column"],
)
async def test_a_record_the_database_refuses_is_parked_and_the_partition_flows(
    kafka_bootstrap: str, create_database: Callable[[str], str], field: str, value: str
) -> None:
    group = f"web-{secrets.token_hex(4)}"
    await start_group_at_end(kafka_bootstrap, group, [spec.name for spec in PROJECTED_TOPICS])
    settings = web_settings(
        create_database("web_faults"),
        consume=True,
        projector_group_id=group,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
    )
    cedula = str(40_000_000 + secrets.randbelow(9_000_000))
    bad_key, bad_body = refused_by_postgresql(cedula, field, value)
    after = user_registered(cedula)
    async with (
        watching(kafka_bootstrap, topics.WEB_DLT.name) as dlt,
        running_services(settings, _sessions(), WebMetrics(), None) as services,
    ):
        await publish(kafka_bootstrap, topics.CENSUS_RESULTS.name, bad_key, bad_body)
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(after)[:2])
        behind = validated(after)
        await publish(kafka_bootstrap, topics.CENSUS_RESULTS.name, *encode_event(behind)[:2])
        parked = await dlt.wait_for(lambda seen: any(r.key == bad_key for r in seen), 60)
        engine = services.engine
        async with engine.connect() as conn:
            for _ in range(300):
                row = (
                    await conn.execute(
                        select(census_status.c.status).where(census_status.c.cedula == cedula)
                    )
                ).first()
                if row is not None and row.status == "ACTIVE":
                    break
                await conn.execute(text("SELECT pg_sleep(0.1)"))
                await conn.commit()
    record = next(r for r in parked if r.key == bad_key)
    assert header(record, "failure_kind") == "RecordFault"
    reason = header(record, "failure_message") or ""
    assert reason.split()[1].startswith("22")  # SQLSTATE class 22: the data itself
    assert cedula not in reason and value not in reason
    assert row is not None and row.status == "ACTIVE"  # the records behind it were projected


def _sessions():  # type: ignore[no-untyped-def]
    from services.web.auth.session_store import PostgresSessionStore

    return PostgresSessionStore()


async def test_database_errors_are_described_without_their_values(
    create_database: Callable[[str], str],
) -> None:
    engine = make_engine(create_database("web_hidden"))
    errors = []
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (cedula varchar(12) UNIQUE)"))
            await conn.execute(text("INSERT INTO t VALUES ('1102812122')"))
        async with engine.connect() as conn:
            for statement, value in [
                ("SELECT CAST(:v AS integer)", "1102812122x"),  # refused by the driver
                ("INSERT INTO t VALUES (:v)", "1102812122"),  # a constraint, with DETAIL
                ("INSERT INTO t VALUES (:v)", "11028121229999"),  # too long for the column
            ]:
                with pytest.raises(DBAPIError) as refused:
                    await conn.execute(text(statement), {"v": value})
                errors.append(refused.value)
                await conn.rollback()
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert all("SQL parameters hidden" in str(error) for error in errors)
    described = [describe(error) for error in errors]
    assert not any("1102812122" in text_ for text_ in described), described
    assert described[1].startswith("UniqueViolationError 23505 on t.")
