"""The answers kept in the worker database: the newest final answer per cédula wins whatever
order workers write in, and it is still there for a worker started later (another engine); a
deleted person's answers go, nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from schemas.census import CensusStatus, Novedad
from services.census_worker.adapters.answer_store import PostgresAnswers
from services.census_worker.domain.model import LookupResult
from services.common.db import make_engine
from tests.support.events import SINCELEJO

NOW = datetime.now(UTC)
DECEASED = Novedad(novedad="CANCELADA POR MUERTE", resolucion="1234", fecha="2019-03-01")


def answer(
    minutes_ago: float, host: str, status: CensusStatus = CensusStatus.ACTIVE
) -> LookupResult:
    place = SINCELEJO if status is CensusStatus.ACTIVE else None
    novedad = DECEASED if status is CensusStatus.CANCELLED_DECEASED else None
    fetched_at = NOW - timedelta(minutes=minutes_ago)
    return LookupResult(status, host, voting_place=place, novedad=novedad, fetched_at=fetched_at)


async def test_the_newest_answer_wins_and_outlives_the_worker_that_wrote_it(worker_db: str) -> None:
    first, later = make_engine(worker_db, pool_size=1), make_engine(worker_db, pool_size=1)
    try:
        writer = PostgresAnswers(first)
        await writer.remember("1102812122", answer(10, "wsp"))
        await writer.remember("1102812122", answer(60, "consultacenso"))  # older: ignored
        await writer.remember("17100200", answer(5, "wsp"))
        await writer.remember(
            "17100200", answer(1, "consultacenso", CensusStatus.CANCELLED_DECEASED)
        )
        await first.dispose()  # the worker stops; another one starts

        reader = PostgresAnswers(later)
        kept = await reader.latest_since("1102812122", NOW - timedelta(hours=24))
        replaced = await reader.latest_since("17100200", NOW - timedelta(hours=24))
        too_old = await reader.latest_since("1102812122", NOW - timedelta(minutes=5))
        unknown = await reader.latest_since("52123456", NOW - timedelta(hours=24))
    finally:
        await later.dispose()

    assert kept == answer(10, "wsp")  # status, host, voting place and the original time
    assert replaced == answer(1, "consultacenso", CensusStatus.CANCELLED_DECEASED)
    assert too_old is None and unknown is None


async def test_a_deleted_persons_answers_go_and_nobody_elses(worker_db: str) -> None:
    engine = make_engine(worker_db, pool_size=1)
    deleted, other = uuid4(), uuid4()
    try:
        answers = PostgresAnswers(engine)
        await answers.remember("52900111", answer(3, "wsp"), deleted)
        await answers.remember("52900222", answer(3, "wsp"), other)
        await answers.remember("52900333", answer(3, "wsp"))  # kept before owners were recorded
        forgotten = await answers.forget(deleted)
        since = NOW - timedelta(hours=1)
        cedulas = ("52900111", "52900222", "52900333")
        left = {cedula: await answers.latest_since(cedula, since) for cedula in cedulas}
    finally:
        await engine.dispose()

    assert forgotten == 1
    assert left["52900111"] is None and None not in (left["52900222"], left["52900333"])
