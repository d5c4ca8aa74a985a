"""Keeps «Dónde votan» counted: after the writes of a batch, every cédula the batch touched is
counted again where census_status and users now place it.

The members table says where each cédula is counted; the difference between that and where it
is now moves its count (out of the old mesa, into the new one) for the campaign and for its
leader. A difference of state, not of events: applying the same answer again, or a batch in any
order, changes nothing more, and a rebuild (which replays through the same step) ends equal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Select, String, Uuid, any_, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.envelope import Event
from schemas.events import (
    CedulaValidated,
    ReferralHandedOver,
    UserCedulaCorrected,
    UserRegistered,
)
from services.web.adapters.tables import census_status, users
from services.web.adapters.voting_place_tables import (
    EVERYONE,
    voting_place_counts,
    voting_place_members,
)

counts = voting_place_counts
members = voting_place_members
PLACE = ("departamento", "municipio", "puesto", "mesa")


PlaceKey = tuple[UUID, str, str, str, str]  # scope, departamento, municipio, puesto, mesa


class Member(NamedTuple):
    user_id: UUID
    leader_id: UUID | None
    departamento: str
    municipio: str
    puesto: str
    direccion: str
    mesa: str

    @property
    def scopes(self) -> tuple[UUID, ...]:
        return (EVERYONE, self.leader_id) if self.leader_id else (EVERYONE,)

    @property
    def place(self) -> tuple[str, str, str, str]:
        return (self.departamento, self.municipio, self.puesto, self.mesa)


def touched(events: Iterable[Event]) -> set[str]:
    """The cédulas whose place or leader the events may have changed."""
    return {e.data.cedula for e in events if isinstance(e, UserRegistered | CedulaValidated)}


def moved(events: Iterable[Event]) -> set[UUID]:
    """The people whose cédula (corrected by an ADMIN) or leader (a hand-over) changed."""
    kinds = UserCedulaCorrected | ReferralHandedOver
    return {e.data.user_id for e in events if isinstance(e, kinds)}


async def cedulas_of(conn: AsyncConnection, user_ids: set[UUID]) -> set[str]:
    """The people's cédulas now, and those they are still counted under (one corrected since)."""
    if not user_ids:
        return set()
    ids = bindparam("ids", sorted(user_ids), type_=ARRAY(Uuid()))
    now = select(users.c.cedula).where(users.c.user_id == any_(ids))
    counted = select(members.c.cedula).where(members.c.user_id == any_(ids))
    return set((await conn.execute(now.union(counted))).scalars())


async def recount(conn: AsyncConnection, cedulas: set[str]) -> None:
    if not cedulas:
        return
    keys = bindparam("cedulas", sorted(cedulas), type_=ARRAY(String()))
    now = {row.cedula: _member(row) for row in await conn.execute(placed_now(keys))}
    before = await conn.execute(select(members).where(members.c.cedula == any_(keys)))
    counted = {row.cedula: _member(row) for row in before}
    moves = {c: (counted.get(c), now.get(c)) for c in cedulas if counted.get(c) != now.get(c)}
    if moves:
        await _apply(conn, moves)


def placed_now(keys: Any = None) -> Select[Any]:
    """Where the cédulas `keys` (every cédula, without keys) are now: census_status's place,
    the referrer of the user as leader; only cédulas with a known puesto."""

    def text(column: str) -> Any:
        return func.coalesce(census_status.c[column], "").label(column)

    now = (
        select(
            census_status.c.cedula,
            users.c.user_id,
            users.c.referrer_id.label("leader_id"),
            *(text(c) for c in ("departamento", "municipio", "puesto", "direccion", "mesa")),
        )
        # Counted for whoever has the cédula now: not for someone who corrected it away.
        .select_from(census_status.join(users, users.c.cedula == census_status.c.cedula))
        .where(census_status.c.puesto.is_not(None))
    )
    return now if keys is None else now.where(census_status.c.cedula == any_(keys))


def _member(row: Any) -> Member:
    return Member(*(getattr(row, field) for field in Member._fields))


Move = tuple[Member | None, Member | None]  # where a cédula was counted, where it is now


async def _apply(conn: AsyncConnection, moves: dict[str, Move]) -> None:
    delta: Counter[PlaceKey] = Counter()
    addresses: dict[PlaceKey, str] = {}
    for old, new in moves.values():
        if old:
            for scope in old.scopes:
                delta[(scope, *old.place)] -= 1
        if new:
            for scope in new.scopes:
                delta[(scope, *new.place)] += 1
                addresses[(scope, *new.place)] = new.direccion
    await _count(conn, delta, addresses)
    placed = [{"cedula": c, **new._asdict()} for c, (_, new) in moves.items() if new]
    gone = [c for c, (_, new) in moves.items() if new is None]
    if placed:
        stmt = insert(members)
        columns = {c: stmt.excluded[c] for c in Member._fields}
        upsert = stmt.on_conflict_do_update(index_elements=["cedula"], set_=columns)
        await conn.execute(upsert, placed)
    if gone:
        keys = bindparam("gone", gone, type_=ARRAY(String()))
        await conn.execute(delete(members).where(members.c.cedula == any_(keys)))


async def _count(
    conn: AsyncConnection,
    delta: Counter[PlaceKey],
    addresses: dict[PlaceKey, str],
) -> None:
    names = ("scope_id", *PLACE)
    rows: Sequence[dict[str, Any]] = [
        {**dict(zip(names, key, strict=True)), "people": n, "direccion": addresses.get(key, "")}
        for key, n in delta.items()
    ]
    stmt = insert(counts)
    add = stmt.on_conflict_do_update(
        index_elements=list(names),
        set_={
            "people": counts.c.people + stmt.excluded.people,
            # The address the newest answer gave; a departure leaves it as it was.
            "direccion": func.coalesce(
                func.nullif(stmt.excluded.direccion, ""), counts.c.direccion
            ),
        },
    )
    await conn.execute(add, list(rows))
    emptied = [row for row in rows if row["people"] < 0]
    if emptied:
        match = [counts.c[n] == bindparam(f"k_{n}") for n in names]
        params = [{f"k_{n}": row[n] for n in names} for row in emptied]
        await conn.execute(delete(counts).where(*match, counts.c.people <= 0), params)
