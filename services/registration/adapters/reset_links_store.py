"""Password-reset links in PostgreSQL, as domain `ResetLink` objects (looked up by digest)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.registration.adapters.orm import password_reset_links as links
from services.registration.domain.password_reset import ResetLink


class ResetLinkStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, link: ResetLink) -> None:
        await self.revoke_unused(link.user_id, link.issued_at)
        await self.session.execute(insert(links).values(**asdict(link)))

    async def get(self, token_hash: str, *, for_update: bool = False) -> ResetLink | None:
        query = select(links).where(links.c.token_hash == token_hash)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return ResetLink(**row._mapping) if row else None

    async def save(self, link: ResetLink) -> None:
        query = (
            update(links)
            .where(links.c.token_hash == link.token_hash)
            .values(used_at=link.used_at, revoked_at=link.revoked_at)
        )
        await self.session.execute(query)

    async def revoke_unused(self, user_id: UUID, now: datetime) -> None:
        query = (
            update(links)
            .where(links.c.user_id == user_id, links.c.used_at.is_(None))
            .where(links.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await self.session.execute(query)
