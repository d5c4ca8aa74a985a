"""Turns `read_model_changes` notifications into `Change`s with the user's referrer, which is
what decides who may hear of it. A referrer changes only by a hand-over, whose notification reads
it again, so it is cached once known; the users not cached yet among the notifications waiting
are read in one query."""

from __future__ import annotations

import json
from uuid import UUID

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import Role
from services.web.adapters.tables import users
from services.web.live.audience import HANDED_OVER, ROLE_CHANGED, Change

log = structlog.get_logger(__name__)
CACHE_SIZE = 100_000


Read = tuple[Change, Role | None]
Parsed = tuple[str, UUID, UUID | None]  # kind, user id, the leader a hand-over moved them from
REREAD = (ROLE_CHANGED, HANDED_OVER)  # what changes a role or a referrer: read it again
Accounts = dict[UUID, tuple[UUID | None, Role]]  # user id → (referrer id, role)


class ChangeReader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._referrers: dict[UUID, UUID | None] = {}

    async def read(self, payload: str) -> Read | None:
        """The change, plus the user's current role when the change is a role change."""
        return (await self.read_all([payload]))[0]

    async def read_all(self, payloads: list[str]) -> list[Read | None]:
        """`read` of each payload, in order, with one query for all the users it must look up."""
        parsed = [_parse(payload) for payload in payloads]
        wanted = {
            user_id
            for kind, user_id, _ in filter(None, parsed)
            if user_id not in self._referrers or kind in REREAD
        }
        rows = await self._accounts(wanted) if wanted else {}
        if len(self._referrers) + len(rows) > CACHE_SIZE:
            self._referrers.clear()
        self._referrers.update({user_id: referrer for user_id, (referrer, _) in rows.items()})
        return [self._change(item, rows) for item in parsed]

    def concerned(self, payloads: list[str]) -> set[UUID] | None:
        """Whose browsers a failed dispatch of `payloads` concerns besides the admins: each user,
        their referrer (and the one a hand-over moved them from); None when a referrer is not
        known (then it may be anyone)."""
        parsed = list(filter(None, map(_parse, payloads)))
        users = {user_id for _, user_id, _ in parsed}
        if not users <= self._referrers.keys():
            return None
        leaders = {self._referrers[user_id] for user_id in users}
        leaders |= {previous for _, _, previous in parsed}
        return users | {leader for leader in leaders if leader is not None}

    def _change(self, parsed: Parsed | None, rows: Accounts) -> Read | None:
        if parsed is None:
            return None
        kind, user_id, previous = parsed
        if user_id in rows:
            referrer, role = rows[user_id]
            return Change(kind, user_id, referrer, previous), role
        # Census news of a user the projector has not seen register yet has no referrer.
        return Change(kind, user_id, self._referrers.get(user_id), previous), None

    async def _accounts(self, user_ids: set[UUID]) -> Accounts:
        query = select(users.c.user_id, users.c.referrer_id, users.c.role).where(
            users.c.user_id.in_(user_ids)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {row.user_id: (row.referrer_id, Role(row.role)) for row in rows}


def _parse(payload: str) -> Parsed | None:
    try:
        body = json.loads(payload)
        kind, user_id = str(body["type"]), UUID(body["user_id"])
        previous = body.get("previous_referrer_id")
        return kind, user_id, UUID(previous) if previous else None
    except (ValueError, KeyError, TypeError):
        log.warning("live.bad_notification", payload=payload[:200])
        return None
