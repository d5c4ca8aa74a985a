"""The census's latest final answer per cédula in the worker database (`census_answers`), shared
by every worker process: one upsert per answer, where the newest `answered_at` wins; deleted
with the person whose lookup it answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus, Novedad, VotingPlace
from services.census_worker.adapters.tables import census_answers
from services.census_worker.domain.model import LookupResult


class PostgresAnswers:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def remember(
        self, cedula: str, result: LookupResult, user_id: UUID | None = None
    ) -> None:
        row = {
            "cedula": cedula,
            "status": result.status.value,
            "result": _details(result),
            "answered_at": result.fetched_at,
            "host": result.source,
            "user_id": user_id,
        }
        upsert = insert(census_answers).values(row)
        newer = census_answers.c.answered_at < upsert.excluded.answered_at
        statement = upsert.on_conflict_do_update(
            index_elements=[census_answers.c.cedula],
            set_={name: upsert.excluded[name] for name in row if name != "cedula"},
            where=newer,
        )
        async with self.engine.begin() as conn:
            await conn.execute(statement)

    async def forget(self, user_id: UUID) -> int:
        async with self.engine.begin() as conn:
            gone = await conn.execute(
                delete(census_answers).where(census_answers.c.user_id == user_id)
            )
        return gone.rowcount

    async def latest_since(self, cedula: str, since: datetime) -> LookupResult | None:
        query = select(census_answers).where(
            census_answers.c.cedula == cedula, census_answers.c.answered_at >= since
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).one_or_none()
        if row is None:
            return None
        place, novedad = row.result.get("voting_place"), row.result.get("novedad")
        return LookupResult(
            status=CensusStatus(row.status),
            source=row.host,
            voting_place=VotingPlace.model_validate(place) if place else None,
            novedad=Novedad.model_validate(novedad) if novedad else None,
            fetched_at=row.answered_at,
        )


def _details(result: LookupResult) -> dict[str, Any]:
    return {
        "voting_place": result.voting_place.model_dump() if result.voting_place else None,
        "novedad": result.novedad.model_dump() if result.novedad else None,
    }
