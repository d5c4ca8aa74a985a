"""Claims for a taken cédula in PostgreSQL, as domain `Claim` objects."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.registration.adapters.orm import cedula_claims as claims
from services.registration.domain.claims import Claim, ClaimStatus


class ClaimStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, claim: Claim) -> None:
        row = asdict(claim) | {"status": claim.status.value}
        await self.session.execute(insert(claims).values(**row))

    async def get(self, claim_id: UUID, *, for_update: bool = False) -> Claim | None:
        query = select(claims).where(claims.c.id == claim_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        if row is None:
            return None
        values = dict(row._mapping)
        return Claim(**values | {"status": ClaimStatus(values["status"])})

    async def save(self, claim: Claim) -> None:
        query = (
            update(claims)
            .where(claims.c.id == claim.id)
            .values(
                status=claim.status.value,
                resolved_at=claim.resolved_at,
                resolved_by=claim.resolved_by,
                reason=claim.reason,
            )
        )
        await self.session.execute(query)
