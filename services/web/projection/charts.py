"""Keeps the charts' people counted: after the writes of a batch, every cédula the batch touched
is counted again by its leader, sign-up day and census status as users and census_status now say.

As «Dónde votan» does (voting_places.py), chart_members says where each cédula is counted; the
difference between that and where it is now moves its counts, for its leader and the campaign.
A difference of state: a redelivery, a batch in any order or a rebuild ends with the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Date, String, any_, bindparam, cast, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.census import CensusStatus
from schemas.envelope import Event
from schemas.events import UserRegistered, ValidationRequested
from services.web.adapters.chart_tables import chart_members, daily_signups, status_counts
from services.web.adapters.tables import census_status, users
from services.web.adapters.voting_place_tables import EVERYONE
from services.web.projection.handlers import LookupEvent

CountedEvent = UserRegistered | ValidationRequested | LookupEvent


class Counted(NamedTuple):
    leader_id: UUID | None
    day: date
    status: str

    @property
    def scopes(self) -> tuple[UUID, ...]:
        return (EVERYONE, self.leader_id) if self.leader_id else (EVERYONE,)


def touched(events: Iterable[Event]) -> set[str]:
    """The cédulas whose sign-up or census status the events may have changed."""
    return {e.data.cedula for e in events if isinstance(e, CountedEvent)}


async def recount(conn: AsyncConnection, cedulas: set[str]) -> None:
    if not cedulas:
        return
    keys = bindparam("cedulas", sorted(cedulas), type_=ARRAY(String()))
    now = {row.cedula: Counted(*row[1:]) for row in await conn.execute(_where_now(keys))}
    rows = await conn.execute(select(chart_members).where(chart_members.c.cedula == any_(keys)))
    before = {row.cedula: Counted(row.leader_id, row.day, row.status) for row in rows}
    moves = {c: (before.get(c), now.get(c)) for c in cedulas if before.get(c) != now.get(c)}
    if moves:
        await _apply(conn, moves)


def _where_now(keys: Any) -> Any:
    day = cast(func.timezone("America/Bogota", users.c.registered_at), Date)
    status = func.coalesce(census_status.c.status, CensusStatus.PENDING.value)
    return (
        select(users.c.cedula, users.c.referrer_id, day.label("day"), status.label("status"))
        .select_from(users.outerjoin(census_status, census_status.c.cedula == users.c.cedula))
        .where(users.c.cedula == any_(keys))
    )


Move = tuple[Counted | None, Counted | None]  # where a cédula was counted, where it is now


async def _apply(conn: AsyncConnection, moves: dict[str, Move]) -> None:
    days: Counter[tuple[UUID, date]] = Counter()
    statuses: Counter[tuple[UUID, str]] = Counter()
    for old, new in moves.values():
        for counted, step in ((old, -1), (new, 1)):
            if counted is None:
                continue
            for scope in counted.scopes:
                days[(scope, counted.day)] += step
                statuses[(scope, counted.status)] += step
    await _add(conn, daily_signups, "day", days)
    await _add(conn, status_counts, "status", statuses)
    placed = [{"cedula": c, **new._asdict()} for c, (_, new) in moves.items() if new]
    gone = [c for c, (_, new) in moves.items() if new is None]
    if placed:
        stmt = insert(chart_members)
        columns = {c: stmt.excluded[c] for c in Counted._fields}
        upsert = stmt.on_conflict_do_update(index_elements=["cedula"], set_=columns)
        await conn.execute(upsert, placed)
    if gone:
        keys = bindparam("gone", gone, type_=ARRAY(String()))
        await conn.execute(delete(chart_members).where(chart_members.c.cedula == any_(keys)))


async def _add(conn: AsyncConnection, table: Any, column: str, delta: Counter[Any]) -> None:
    rows = [{"scope_id": s, column: k, "people": n} for (s, k), n in delta.items() if n]
    if not rows:
        return
    stmt = insert(table)
    add = stmt.on_conflict_do_update(
        index_elements=["scope_id", column], set_={"people": table.c.people + stmt.excluded.people}
    )
    await conn.execute(add, rows)
    emptied = [row for row in rows if row["people"] < 0]
    if emptied:
        match = (table.c.scope_id == bindparam("k_scope"), table.c[column] == bindparam("k_key"))
        params = [{"k_scope": row["scope_id"], "k_key": row[column]} for row in emptied]
        await conn.execute(delete(table).where(*match, table.c.people <= 0), params)
