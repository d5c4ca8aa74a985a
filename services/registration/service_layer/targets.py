"""The account a command changes: present, and not deleted (a deleted account keeps its row for
its referrals, but nothing may change or revive it)."""

from __future__ import annotations

from uuid import UUID

from services.registration.domain.errors import AccountDeleted, UserNotFound
from services.registration.domain.model import User
from services.registration.service_layer.ports import UnitOfWork


async def account_to_change(uow: UnitOfWork, user_id: UUID, *, for_update: bool = True) -> User:
    """The account, locked by default; UserNotFound or AccountDeleted otherwise."""
    user = await uow.users.get(user_id, for_update=for_update)
    if user is None:
        raise UserNotFound()
    if user.erased:
        raise AccountDeleted()
    return user
