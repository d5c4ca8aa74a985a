"""Each person's data key, in the registration database only (never in an event)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from schemas.sealing import new_key
from services.registration.adapters.orm import person_keys


class PersonKeyStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_sealing(self, user_id: UUID) -> bytes:
        """The person's key, made now if they have none yet (at sign-up, or the first event of
        an account from before keys existed)."""
        made = (
            insert(person_keys)
            .values(user_id=user_id, data_key=new_key(), created_at=func.now())
            .on_conflict_do_nothing()
        )
        await self.session.execute(made)
        query = select(person_keys.c.data_key).where(person_keys.c.user_id == user_id)
        return bytes((await self.session.execute(query)).scalar_one())

    async def delete(self, user_id: UUID) -> None:
        await self.session.execute(delete(person_keys).where(person_keys.c.user_id == user_id))


async def keys_of(conn: AsyncConnection, user_ids: Iterable[UUID]) -> dict[UUID, bytes]:
    """The keys that exist among `user_ids` (a missing one was deleted, or never made)."""
    query = select(person_keys.c.user_id, person_keys.c.data_key).where(
        person_keys.c.user_id.in_(list(user_ids))
    )
    return {row.user_id: bytes(row.data_key) for row in await conn.execute(query)}
