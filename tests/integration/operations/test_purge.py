"""`censo ops purge --before DATE`: a dry run only counts; applied, the raw census responses older
than DATE leave the read model, and neither the live projector (a redelivery) nor a rebuild
from Kafka brings them back (the purge mark)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.envelope import encode_event
from services.operations.purge import purge
from services.web.adapters.tables import census_status
from services.web.projection.projector import Projector
from tests.integration.operations.test_rebuild import project_everything, rebuild
from tests.support.events import failed_event, user_registered
from tests.support.kafka import publish

RAW = "<html>respuesta de la Registraduría</html>"


async def raw_of(engine: AsyncEngine, user_id: UUID) -> str | None:
    async with engine.connect() as conn:
        query = select(census_status.c.raw_response).where(census_status.c.user_id == user_id)
        return (await conn.execute(query)).scalar_one()


async def test_a_purge_removes_raw_responses_for_good_even_across_a_rebuild(
    kafka_bootstrap: str, web_db: tuple[str, AsyncEngine]
) -> None:
    _, engine = web_db
    registered = user_registered(cedula="64000001")
    failure = failed_event(registered)
    failure = failure.model_copy(
        update={"data": failure.data.model_copy(update={"raw_response": RAW})}
    )
    for event in (registered, failure):
        await publish(kafka_bootstrap, event.destination, *encode_event(event)[:2])
    await project_everything(kafka_bootstrap, Projector(engine))
    user_id = registered.data.user_id
    assert await raw_of(engine, user_id) == RAW

    after_it = datetime.now(UTC) + timedelta(minutes=1)
    dry = await purge(engine, after_it, "tester", apply=False)
    assert dry.raw_responses >= 1 and await raw_of(engine, user_id) == RAW
    done = await purge(engine, after_it, "tester", apply=True)
    assert done.raw_responses == dry.raw_responses and done.mark_before == after_it
    assert await raw_of(engine, user_id) is None

    await rebuild(kafka_bootstrap, engine)
    assert await raw_of(engine, user_id) is None  # the replay left it out
    earlier = await purge(engine, after_it - timedelta(days=30), "tester", apply=True)
    assert earlier.mark_before == after_it  # a later purge never moves the mark back
