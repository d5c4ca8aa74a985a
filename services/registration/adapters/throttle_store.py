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

    async def recent_hits(self, limit: Counted, subject: str, now: datetime) -> list[datetime]:
        """Hits inside the window; serialises concurrent callers for this subject until commit."""
        await self.session.execute(
            select(func.pg_advisory_xact_lock(func.hashtext(f"{limit.scope}:{subject}")))
        )
        query = select(throttle_hits.c.hit_at).where(
            throttle_hits.c.scope == limit.scope,
            throttle_hits.c.subject == subject,
            throttle_hits.c.hit_at > now - limit.window,
        )
        return list((await self.session.execute(query)).scalars())

    async def record(self, limit: Counted, subject: str, now: datetime) -> None:
        await self.session.execute(
            delete(throttle_hits).where(
                throttle_hits.c.scope == limit.scope,
                throttle_hits.c.subject == subject,
                throttle_hits.c.hit_at <= now - limit.window,
            )
        )
        await self.session.execute(
            insert(throttle_hits).values(scope=limit.scope, subject=subject, hit_at=now)
        )

    async def clear(self, limit: Counted, subject: str) -> None:
        await self.session.execute(
            delete(throttle_hits).where(
                throttle_hits.c.scope == limit.scope, throttle_hits.c.subject == subject
            )
        )
