"""What callers ask the service to do (imperative), with the raw input as typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from schemas.events import Role, ValidationReason


@dataclass(frozen=True)
class RegisterUser:
    cedula: str
    nombre: str
    telefono: str
    password: str
    data_policy_accepted: bool
    referral_code: str | None = None
    role: Role = Role.USER  # only the admin command line asks for another
    correlation_id: UUID = field(default_factory=uuid4)
    client_address: str | None = None  # who signs up (the web passes it on); None: not counted


@dataclass(frozen=True)
class VerifyCredentials:
    cedula: str
    password: str
    client_address: str | None = None  # who tries (the web passes it on); None: not counted


@dataclass(frozen=True)
class UpdateProfile:
    user_id: UUID
    nombre: str | None = None
    telefono: str | None = None
    referral_goal: int | None = None
    correlation_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True)
class ChangePassword:
    user_id: UUID
    current_password: str
    new_password: str


@dataclass(frozen=True)
class ChangeRole:
    user_id: UUID
    role: str
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: an ADMIN through the API


@dataclass(frozen=True)
class SetAccountState:
    """Disable (no login, every session ends) or enable an account again."""

    user_id: UUID
    disabled: bool
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: an ADMIN through the API


@dataclass(frozen=True)
class IssueResetLink:
    """A one-time link for `user_id` to set a new password (shown once to whoever asks)."""

    user_id: UUID
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: an ADMIN through the API


@dataclass(frozen=True)
class CompleteReset:
    token: str
    new_password: str
    correlation_id: UUID = field(default_factory=uuid4)
    client_address: str | None = None  # who tries (the web passes it on); None: not counted


@dataclass(frozen=True)
class SetTemporaryPassword:
    """An ADMIN sets a password the person must change at their next login."""

    user_id: UUID
    password: str
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: an ADMIN through the API


@dataclass(frozen=True)
class FileClaim:
    """Someone says the cédula of an existing account is theirs (the public form)."""

    cedula: str
    nombre: str
    telefono: str
    mensaje: str
    correlation_id: UUID = field(default_factory=uuid4)
    client_address: str | None = None  # who files (the web passes it on); None: not counted


@dataclass(frozen=True)
class TransferClaim:
    """An ADMIN gives the claimed account to the claimant (with a one-time reset link)."""

    claim_id: UUID
    correlation_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True)
class EditUser:
    """An ADMIN changes a person's nombre, teléfono, cédula and/or meta (None: left as it is)."""

    user_id: UUID
    nombre: str | None = None
    telefono: str | None = None
    cedula: str | None = None
    referral_goal: int | None = None
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: an ADMIN through the API


@dataclass(frozen=True)
class RejectClaim:
    claim_id: UUID
    reason: str
    correlation_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True)
class HandOverReferrals:
    """An ADMIN moves referrals of one leader to another: those named, or all (None)."""

    from_leader_id: UUID
    to_leader_id: UUID
    user_ids: tuple[UUID, ...] | None = None
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: an ADMIN through the API


@dataclass(frozen=True)
class RequestValidation:
    user_ids: tuple[UUID, ...]
    reason: ValidationReason
    correlation_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True)
class DeleteAccount:
    """Erase the person's data for good (their key is deleted); their referrals stay."""

    user_id: UUID
    correlation_id: UUID = field(default_factory=uuid4)
    operator: str | None = None  # the command line's operator; None: through the API
