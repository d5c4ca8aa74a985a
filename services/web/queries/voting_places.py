"""What «Dónde votan» reads: the counts of a scope (a leader's people or everyone) rolled up to
one level of departamento → municipio → puesto → mesa, and the people of one puesto."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.events import Role
from services.web.adapters.tables import users
from services.web.adapters.voting_place_tables import EVERYONE
from services.web.adapters.voting_place_tables import voting_place_counts as counts
from services.web.adapters.voting_place_tables import voting_place_members as members

Rows = Sequence[Row[*tuple[Any, ...]]]
LEVELS = ("departamento", "municipio", "puesto", "mesa")


@dataclass(frozen=True)
class Drill:
    """Where the viewer stands: the scope (a leader's id, or None for everyone) and the place
    chosen so far, from departamento down (an empty string: not chosen)."""

    leader_id: UUID | None
    departamento: str = ""
    municipio: str = ""
    puesto: str = ""

    @property
    def chosen(self) -> list[tuple[str, str]]:
        values = (self.departamento, self.municipio, self.puesto)
        chosen = []
        for name, value in zip(LEVELS, values, strict=False):
            if not value:
                break
            chosen.append((name, value))
        return chosen

    @property
    def level(self) -> str:
        """The level the page lists: the one below the last chosen."""
        return LEVELS[len(self.chosen)]


def _scoped(drill: Drill, *columns: Any) -> Select[*tuple[Any, ...]]:
    query = select(*columns).where(counts.c.scope_id == (drill.leader_id or EVERYONE))
    for name, value in drill.chosen:
        query = query.where(counts.c[name] == value)
    return query


async def rolled_up(conn: AsyncConnection, drill: Drill) -> Rows:
    """One row per place of the next level (name, people, and for puestos the address), most
    people first."""
    name = counts.c[drill.level]
    people = func.sum(counts.c.people).label("people")
    address = func.max(counts.c.direccion).label("direccion")
    query = _scoped(drill, name.label("name"), people, address)
    query = query.group_by(name).order_by(people.desc(), name)
    return (await conn.execute(query)).all()


async def every_mesa(conn: AsyncConnection, drill: Drill) -> Rows:
    """Every mesa under the drill with its count (for the CSV), most people first."""
    columns = [counts.c[c] for c in (*LEVELS[:3], "direccion", "mesa", "people")]
    query = _scoped(drill, *columns).order_by(counts.c.people.desc(), *columns[:3], counts.c.mesa)
    return (await conn.execute(query)).all()


async def people_at(conn: AsyncConnection, drill: Drill) -> Rows:
    """The people who vote at the drill's puesto (in the scope), by mesa and name."""
    query = (
        select(users.c.nombre, users.c.cedula, users.c.telefono, members.c.mesa)
        .select_from(members.join(users, users.c.user_id == members.c.user_id))
        .where(*(members.c[name] == value for name, value in drill.chosen))
        .order_by(members.c.mesa, users.c.nombre)
    )
    if drill.leader_id:
        query = query.where(members.c.leader_id == drill.leader_id)
    return (await conn.execute(query)).all()


async def leaders(conn: AsyncConnection) -> Rows:
    """Who an admin may filter by: leaders and admins, by name."""
    roles = (Role.LEADER.value, Role.ADMIN.value)
    query = select(users.c.user_id, users.c.nombre).where(users.c.role.in_(roles))
    return (await conn.execute(query.order_by(users.c.nombre))).all()
