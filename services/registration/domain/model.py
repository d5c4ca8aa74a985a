"""The account aggregate and the acting user, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from schemas.events import Role

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
