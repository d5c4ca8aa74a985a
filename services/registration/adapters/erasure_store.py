"""Erasing an account here: its key, its personal fields, every row that names its cédula, and
the claims filed for it.

The row itself stays (its referrals point at it, its referral code stays taken), holding only
what is not personal: the cédula becomes `schemas.personal.erased_cedula(id)`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.personal import ERASED_NAME, erased_cedula
from services.registration.adapters.orm import (
    cedula_claims,
    outbox,
    password_reset_links,
    throttle_hits,
    users,
)
from services.registration.adapters.person_keys_store import PersonKeyStore
from services.registration.domain.model import User

# Not an argon2 hash: verifying any password against it fails.
_NO_PASSWORD = "!erased"


class AccountEraser:
    def __init__(self, session: AsyncSession, keys: PersonKeyStore) -> None:
        self.session = session
        self.keys = keys

    async def erase(self, user: User, now: datetime) -> None:
        """Within the caller's transaction; its events from now on carry no personal field."""
        await self.keys.delete(user.id)
        await self.session.execute(
            update(users)
            .where(users.c.id == user.id)
            .values(
                cedula=erased_cedula(user.id),
                nombre=ERASED_NAME,
                telefono="",
                password_hash=_NO_PASSWORD,
                disabled_at=user.disabled_at or now,
                updated_at=now,
            )
        )
        await self.session.execute(
            delete(throttle_hits).where(throttle_hits.c.subject == user.cedula)
        )
        await self.session.execute(
            delete(password_reset_links).where(password_reset_links.c.user_id == user.id)
        )
        # Claims for the account's cédula: moot now, and they hold the claimant's data.
        await self.session.execute(delete(cedula_claims).where(cedula_claims.c.user_id == user.id))
        # Records published before sealing existed (clear bodies) are kept a while after they
        # are sent; this person's go now. Sealed ones are unreadable once the key is gone.
        sent_in_clear = or_(
            outbox.c.key == str(user.id).encode(), outbox.c.key == user.cedula.encode()
        )
        await self.session.execute(
            delete(outbox).where(outbox.c.sent_at.is_not(None), sent_in_clear)
        )
