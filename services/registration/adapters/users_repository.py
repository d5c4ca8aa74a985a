"""Accounts in PostgreSQL, as domain `User` objects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.events import Role
from services.registration.adapters.orm import users
from services.registration.domain.errors import CedulaAlreadyRegistered
from services.registration.domain.model import Target, User

_MUTABLE = (
    "cedula",
    "nombre",
    "telefono",
    "referral_goal",
    "role",
    "password_hash",
    "disabled_at",
    "must_change_password",
)
# Transaction-level advisory lock taken by every change that may remove an active ADMIN ("ADMN").
ACTIVE_ADMINS_LOCK = 0x41444D4E


def _to_user(row: Row[Any]) -> User:
    fields = dict(row._mapping)
    fields.pop("updated_at")
    return User(**{**fields, "role": Role(fields["role"])})


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        query = select(users).where(users.c.id == user_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return _to_user(row) if row else None

    async def get_by_cedula(self, cedula: str) -> User | None:
        row = (await self.session.execute(select(users).where(users.c.cedula == cedula))).first()
        return _to_user(row) if row else None

    async def cedula_taken(self, cedula: str) -> bool:
        query = select(users.c.id).where(users.c.cedula == cedula)
        return (await self.session.execute(query)).first() is not None

    async def id_for_referral_code(self, code: str) -> UUID | None:
        query = select(users.c.id).where(users.c.referral_code == code)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def targets(self, user_ids: Iterable[UUID]) -> dict[UUID, Target]:
        query = select(users.c.id, users.c.cedula, users.c.referrer_id).where(
            users.c.id.in_(list(user_ids))
        )
        return {
            row.id: Target(row.id, row.cedula, row.referrer_id)
            for row in await self.session.execute(query)
        }

    async def add(self, user: User) -> None:
        values = {**vars(user), "role": user.role.value}
        try:
            await self.session.execute(insert(users).values(**values))
        except IntegrityError as exc:
            if "uq_users_cedula" in str(exc.orig):
                raise CedulaAlreadyRegistered(user.cedula) from exc
            raise

    async def save(self, user: User) -> None:
        """Write back the fields an account may change (the referrer: `set_referrer`)."""
        values = {name: getattr(user, name) for name in _MUTABLE} | {"role": user.role.value}
        query = update(users).where(users.c.id == user.id).values(**values, updated_at=func.now())
        try:
            await self.session.execute(query)
        except IntegrityError as exc:
            if "uq_users_cedula" in str(exc.orig):
                raise CedulaAlreadyRegistered(user.cedula) from exc
            raise

    async def referrals_of(self, leader_id: UUID, *, for_update: bool = False) -> list[User]:
        query = (
            select(users)
            .where(users.c.referrer_id == leader_id)
            .order_by(users.c.registered_at, users.c.id)
        )
        rows = await self.session.execute(query.with_for_update() if for_update else query)
        return [_to_user(row) for row in rows]

    async def set_referrer(self, user_ids: Iterable[UUID], leader_id: UUID) -> None:
        ids = list(user_ids)
        if ids:
            query = update(users).where(users.c.id.in_(ids))
            await self.session.execute(query.values(referrer_id=leader_id, updated_at=func.now()))

    async def lock_active_admins(self) -> int:
        """After the lock, a new statement: under READ COMMITTED it sees every change committed
        by the transaction that held the lock before."""
        await self.session.execute(select(func.pg_advisory_xact_lock(ACTIVE_ADMINS_LOCK)))
        query = select(func.count()).where(
            users.c.role == Role.ADMIN.value, users.c.disabled_at.is_(None)
        )
        return int(await self.session.scalar(query) or 0)
