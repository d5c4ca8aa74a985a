"""Turns a `read_model_changes` notification into a `Change` with the user's referrer, which is
what decides who may hear of it. A referrer never changes, so it is cached once known."""

from __future__ import annotations

import json
from uuid import UUID

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import Role
from services.web.adapters.tables import users
from services.web.live.audience import Change

log = structlog.get_logger(__name__)
CACHE_SIZE = 100_000


class ChangeReader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._referrers: dict[UUID, UUID | None] = {}

    async def read(self, payload: str) -> tuple[Change, Role | None] | None:
        """The change, plus the user's current role when the change is a role change."""
        try:
            body = json.loads(payload)
            user_id = UUID(body["user_id"])
            kind = str(body["type"])
        except (ValueError, KeyError, TypeError):
            log.warning("live.bad_notification", payload=payload[:200])
            return None
        known = user_id in self._referrers
        if known and kind != "UserRoleChanged":
            return Change(kind, user_id, self._referrers[user_id]), None
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(users.c.referrer_id, users.c.role).where(users.c.user_id == user_id)
                )
            ).first()
        if row is None:  # census news of a user the projector has not seen register yet
            return Change(kind, user_id, None), None
        if len(self._referrers) >= CACHE_SIZE:
            self._referrers.clear()
        self._referrers[user_id] = row.referrer_id
        return Change(kind, user_id, row.referrer_id), Role(row.role)
