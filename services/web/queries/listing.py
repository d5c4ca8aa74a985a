"""Lists of users with their census: a leader's direct referrals (Referidos) or everyone (Admin).
One page and the count, every matching id (bulk refresh), a CSV stream.

A leader's pages come straight from `ix_users_referrer_registered` (referrer, newest first), so a
leader with thousands of referrals gets a page as fast as one with ten.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, and_, func, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas.census import CensusStatus
from services.web.adapters.tables import census_status, users
from services.web.queries.census import AnySelect, user_with_census
from services.web.queries.search import matches

STUCK = "ATASCADO"
DISABLED, ACTIVE = "desactivadas", "activas"  # the admin list's «Cuenta» filter
WAITING = (CensusStatus.PENDING.value, CensusStatus.PROCESSING.value)


@dataclass(frozen=True)
class UserFilter:
    """A census status (or STUCK), a search, a role, the account's state (DISABLED, ACTIVE or
    both), a page; `referrer_id` None means everyone."""

    referrer_id: UUID | None
    status: str = ""
    q: str = ""
    role: str = ""
    page: int = 1
    account: str = ""
    stuck_before: datetime | None = None  # «stuck» = waiting since before this instant


def _where(f: UserFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [true()]
    if f.referrer_id is not None:
        conditions.append(users.c.referrer_id == f.referrer_id)
    if f.role:
        conditions.append(users.c.role == f.role)
    if f.account == DISABLED:
        conditions.append(users.c.disabled_at.is_not(None))
    elif f.account == ACTIVE:
        conditions.append(users.c.disabled_at.is_(None))
    if f.status == STUCK and f.stuck_before is not None:
        conditions.append(census_status.c.status.in_(WAITING))
        conditions.append(census_status.c.updated_at < f.stuck_before)
    elif f.status == CensusStatus.PENDING.value:
        # A user the projector has not given a census row yet is pending too.
        conditions.append(or_(census_status.c.status == f.status, census_status.c.status.is_(None)))
    elif f.status:
        conditions.append(census_status.c.status == f.status)
    if f.q:
        conditions.append(matches(f.q))
    return and_(*conditions)


def _joined(query: AnySelect) -> AnySelect:
    return query.select_from(
        users.outerjoin(census_status, census_status.c.cedula == users.c.cedula)
    )


def _ordered(query: AnySelect) -> AnySelect:
    return query.order_by(users.c.registered_at.desc(), users.c.user_id.desc())


async def user_page(
    conn: AsyncConnection, f: UserFilter, page_size: int
) -> tuple[list[RowMapping], int]:
    """The rows of page `f.page` and how many users match the filter in all."""
    total = await conn.scalar(_joined(select(func.count())).where(_where(f)))
    query = _ordered(user_with_census().where(_where(f)))
    query = query.limit(page_size).offset((f.page - 1) * page_size)
    return list((await conn.execute(query)).mappings()), int(total or 0)


async def referral_row(
    conn: AsyncConnection, referrer_id: UUID, user_id: UUID
) -> RowMapping | None:
    """One referral of `referrer_id`, or None when the user is not theirs (or does not exist)."""
    query = user_with_census().where(users.c.user_id == user_id, users.c.referrer_id == referrer_id)
    return (await conn.execute(query)).mappings().first()


async def user_ids(conn: AsyncConnection, f: UserFilter) -> list[UUID]:
    """Every user matching the filter (all pages), for «actualizar todos»."""
    query = _ordered(_joined(select(users.c.user_id)).where(_where(f)))
    return list((await conn.execute(query)).scalars())


async def stream_users(
    engine: AsyncEngine, f: UserFilter, batch: int = 500
) -> AsyncIterator[RowMapping]:
    """Every matching user, `batch` rows at a time, each batch read on a connection taken from
    the pool and given back at once (keyset pagination on the listing's order): a slow download
    holds no connection or transaction, so it can neither exhaust the pool nor hold off a
    rebuild's swap; memory stays flat at any size."""
    query = _ordered(user_with_census().where(_where(f))).limit(batch)
    after: tuple[object, object] | None = None
    while True:
        page = query
        if after is not None:
            page = page.where(tuple_(users.c.registered_at, users.c.user_id) < after)
        async with engine.connect() as conn:
            rows = list((await conn.execute(page)).mappings())
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        after = (rows[-1]["registered_at"], rows[-1]["user_id"])
