"""The read tables derived from other read tables rather than from events («Dónde votan» from
census_status and users, «Novedades» from census_history), filled for the whole read model at
once. A rebuild's replay leaves them out and fills them here, one set-based statement each,
instead of recounting after each of its batches (it spent a third of its CPU there).

Each is a function of the rows the replay wrote, so the result equals what the batches would
have counted; the live projector keeps them up to date record by record (voting_places.py,
census_changes.py).
"""

from __future__ import annotations

from sqlalchemy import String, Uuid, delete, func, literal, select, type_coerce, union_all
from sqlalchemy.dialects.postgresql import ARRAY, Insert, aggregate_order_by, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import census_status
from services.web.adapters.voting_place_tables import (
    EVERYONE,
    voting_place_counts,
    voting_place_members,
)
from services.web.projection import census_changes
from services.web.projection.voting_places import PLACE, Member, placed_now

members, counts = voting_place_members, voting_place_counts


async def derive_all(conn: AsyncConnection) -> None:
    """Fill the derived tables from the rows in the connection's schema."""
    await conn.execute(delete(counts))
    await conn.execute(delete(members))
    placed = ["cedula", *Member._fields]
    await conn.execute(insert(members).from_select(placed, placed_now()))
    await conn.execute(_counts())
    await census_changes.record_all(conn)


def _counts() -> Insert:
    """People per mesa for everyone and per leader, with the address the newest answer there
    gave (the live projector keeps the address of the last arrival, whose answer is newest)."""
    place = [members.c[name] for name in PLACE]
    scoped = union_all(
        select(
            literal(EVERYONE, Uuid()).label("scope_id"),
            *place,
            members.c.direccion,
            members.c.cedula,
        ),
        select(members.c.leader_id, *place, members.c.direccion, members.c.cedula).where(
            members.c.leader_id.is_not(None)
        ),
    ).subquery("scoped")
    by_answer = aggregate_order_by(
        scoped.c.direccion, census_status.c.fetched_at.desc().nulls_last()
    )
    addresses = type_coerce(
        func.array_agg(by_answer).filter(scoped.c.direccion != ""), ARRAY(String())
    )
    key = [scoped.c.scope_id, *(scoped.c[name] for name in PLACE)]
    grouped = (
        select(
            *key,
            func.coalesce(addresses[1], "").label("direccion"),
            func.count().label("people"),
        )
        .select_from(scoped.join(census_status, census_status.c.cedula == scoped.c.cedula))
        .group_by(*key)
    )
    return insert(counts).from_select(["scope_id", *PLACE, "direccion", "people"], grouped)
