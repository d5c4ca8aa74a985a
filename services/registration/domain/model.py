"""The account aggregate and the acting user, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from schemas.events import Role
from schemas.personal import is_erased_cedula

DEFAULT_REFERRAL_GOAL = 10


@dataclass
class User:
    id: UUID
    cedula: str
    nombre: str
    telefono: str
    password_hash: str
    referral_code: str
    referral_goal: int
    role: Role
    referrer_id: UUID | None
    registered_at: datetime
    data_policy_accepted_at: datetime
    disabled_at: datetime | None = None  # set: the account may not log in nor act
    must_change_password: bool = False  # an ADMIN set a temporary password: change it first

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def erased(self) -> bool:
        """A deleted account: kept for its referrals, nothing else can be done with it."""
        return is_erased_cedula(self.cedula)

    @property
    def is_active_admin(self) -> bool:
        """An ADMIN who can log in: the campaign must always keep at least one."""
        return self.role is Role.ADMIN and not self.disabled


@dataclass(frozen=True)
class Actor:
    """Who the web service says is acting; its role is read from our own table, never trusted."""

    id: UUID
    role: Role


@dataclass(frozen=True)
class Target:
    """A user someone wants re-validated: enough to apply the rules."""

    id: UUID
    cedula: str
    referrer_id: UUID | None

    @property
    def erased(self) -> bool:
        """A deleted account: nothing left to look up."""
        return is_erased_cedula(self.cedula)
