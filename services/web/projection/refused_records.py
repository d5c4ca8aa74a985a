"""A batch the database refused as a whole because of one of its records (a value a column
cannot hold): applied again one record at a time, each in a savepoint, leaving out the refused
ones (the live projector parked them in the dead letters)."""

from __future__ import annotations

import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.common.db_faults import describe, is_record_fault
from services.web.projection.projector import Decoded, apply_records

log = structlog.get_logger(__name__)


async def apply_one_by_one(
    conn: AsyncConnection, decoded: list[Decoded], *, derive: bool = True
) -> int:
    """Apply each record in a savepoint of one transaction; how many the database refused."""
    refused = 0
    async with conn.begin():
        for item in decoded:
            try:
                async with conn.begin_nested():
                    await apply_records(conn, [item], derive=derive)
            except DBAPIError as exc:
                if not is_record_fault(exc):
                    raise
                refused += 1
                record = item[0]
                log.warning(
                    "rebuild.record_refused",
                    reason=describe(exc),
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                )
    return refused
