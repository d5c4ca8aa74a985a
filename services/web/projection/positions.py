"""The projector's read position, stored with the rows in one transaction.

`claim` moves the position forward and says whether the record is new: a redelivered or replayed
record (at or below the stored offset) is skipped, so applying an event twice is impossible.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import projection_positions


async def claim(conn: AsyncConnection, topic: str, partition: int, offset: int) -> bool:
    statement = insert(projection_positions).values(topic=topic, partition=partition, offset=offset)
    statement = statement.on_conflict_do_update(
        index_elements=[projection_positions.c.topic, projection_positions.c.partition],
        set_={"offset": statement.excluded.offset},
        where=projection_positions.c.offset < statement.excluded.offset,
    ).returning(projection_positions.c.offset)
    return (await conn.execute(statement)).first() is not None
