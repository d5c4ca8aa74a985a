"""The census hosts' capacity as the newest report projected into the read model said it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.events import CensusCapacityReportedData
from services.web.adapters.tables import census_capacity


async def latest_capacity(conn: AsyncConnection) -> CensusCapacityReportedData | None:
    """The newest report's data, or None before any worker reported."""
    report = (await conn.execute(select(census_capacity.c.report))).scalar()
    return CensusCapacityReportedData.model_validate_json(report) if report else None
