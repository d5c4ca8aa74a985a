"""Hits of sliding-window limits, kept in PostgreSQL so every API process shares them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.registration.adapters.orm import throttle_hits
from services.registration.domain.throttle import Counted


class ThrottleStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recent_hits(
        self, limit: Counted, subject: str, now: datetime, lock: bool = True
    ) -> list[datetime]:
        """Hits inside the window (a row of weight n is n hits at its time); with `lock`,
        concurrent callers for this subject wait for this transaction (an exact count); without,
        a count that may miss the hits of transactions still running (a campaign-wide rate,
        which must not make every sign-up wait for the one before)."""
        if lock:
            await self.session.execute(
                select(func.pg_advisory_xact_lock(func.hashtext(f"{limit.scope}:{subject}")))
            )
        query = select(throttle_hits.c.hit_at, throttle_hits.c.weight).where(
            throttle_hits.c.scope == limit.scope,
            throttle_hits.c.subject == subject,
            throttle_hits.c.hit_at > now - limit.window,
        )
        rows = await self.session.execute(query)
        return [hit_at for hit_at, weight in rows for _ in range(weight)]

    async def record(self, limit: Counted, subject: str, now: datetime, weight: int = 1) -> None:
        await self.session.execute(
            delete(throttle_hits).where(
                throttle_hits.c.scope == limit.scope,
                throttle_hits.c.subject == subject,
                throttle_hits.c.hit_at <= now - limit.window,
            )
        )
        await self.session.execute(
            insert(throttle_hits).values(
                scope=limit.scope, subject=subject, hit_at=now, weight=weight
            )
        )

    async def clear(self, limit: Counted, subject: str) -> None:
        await self.session.execute(
            delete(throttle_hits).where(
                throttle_hits.c.scope == limit.scope, throttle_hits.c.subject == subject
            )
        )
