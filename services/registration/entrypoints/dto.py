"""Request and response bodies of the API. Bodies are typed loosely (plain strings): the domain
validators check and normalise them so every rejection carries a Spanish message."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import Role
from services.registration.domain.model import User
from services.registration.service_layer.validations import Refusal

_STRICT = ConfigDict(extra="forbid")


class RegisterUserIn(BaseModel):
    model_config = _STRICT
    cedula: str = Field(
        description="Digits only; dots and spaces are removed.", examples=["1.020.304.050"]
    )
    nombre: str = Field(description="Nombre completo.")
    telefono: str = Field(description="Colombian mobile or landline; +57 accepted.")
    password: str = Field(description="At least 8 characters, not only digits, not the cédula.")
    data_policy_accepted: bool = Field(description="The user accepted the data-treatment policy.")
    referral_code: str | None = Field(default=None, description="Code of the referrer, if any.")


class VerifyCredentialsIn(BaseModel):
    model_config = _STRICT
    cedula: str
    password: str


class UpdateProfileIn(BaseModel):
    model_config = _STRICT
    nombre: str | None = None
    telefono: str | None = None
    referral_goal: int | None = None


class ChangePasswordIn(BaseModel):
    model_config = _STRICT
    current_password: str
    new_password: str


class ChangeRoleIn(BaseModel):
    model_config = _STRICT
    role: str = Field(description="USER, LEADER or ADMIN.")


class AccountStateIn(BaseModel):
    model_config = _STRICT
    disabled: bool = Field(description="true: no login and every session ends; false: enabled.")


class EditUserIn(BaseModel):
    """An ADMIN's edit; a field left out (or null) stays as it is."""

    model_config = _STRICT
    nombre: str | None = None
    telefono: str | None = None
    cedula: str | None = Field(
        default=None, description="A corrected cédula: checked free, then looked up again."
    )
    referral_goal: int | None = None


MAX_HANDED_OVER = 10_000  # what one hand-over may name; "all" (user_ids null) has no limit


class HandOverIn(BaseModel):
    model_config = _STRICT
    from_leader_id: UUID
    to_leader_id: UUID
    user_ids: list[UUID] | None = Field(
        default=None,
        max_length=MAX_HANDED_OVER,
        description="Direct referrals of from_leader_id to move; null: all of them.",
    )


class HandOverOut(BaseModel):
    moved: list[UUID]


class ValidationRequestIn(BaseModel):
    model_config = _STRICT
    user_id: UUID
    reason: Literal["refresh", "revalidation"] = "refresh"


class BulkValidationRequestIn(BaseModel):
    model_config = _STRICT
    user_ids: list[UUID]
    reason: Literal["bulk_refresh", "revalidation"] = "bulk_refresh"


class UserOut(BaseModel):
    id: UUID
    cedula: str
    nombre: str
    telefono: str
    referral_code: str
    referral_goal: int
    role: Role
    referrer_id: UUID | None
    registered_at: datetime
    data_policy_accepted_at: datetime
    disabled_at: datetime | None = None
    must_change_password: bool = False

    @classmethod
    def of(cls, user: User) -> UserOut:
        fields = {name: getattr(user, name) for name in cls.model_fields}
        return cls(**fields)


class RefusedTarget(BaseModel):
    user_id: UUID
    reason: Refusal
    message: str


class ValidationRequestOut(BaseModel):
    correlation_id: UUID
    queued: list[UUID]
    refused: list[RefusedTarget]


class ResetLinkOut(BaseModel):
    token: str = Field(description="Shown once, to be sent to the person; never stored in clear.")
    expires_at: datetime


class ResetTokenIn(BaseModel):
    model_config = _STRICT
    token: str


class CompleteResetIn(BaseModel):
    model_config = _STRICT
    token: str
    new_password: str = Field(description="The sign-up's password rules.")


class TemporaryPasswordIn(BaseModel):
    model_config = _STRICT
    password: str = Field(description="The sign-up's password rules; changed at the next login.")


class ClaimIn(BaseModel):
    model_config = _STRICT
    cedula: str = Field(description="The cédula someone else registered.")
    nombre: str = Field(description="The claimant's nombre completo.")
    telefono: str = Field(description="Where the campaign can reach the claimant.")
    mensaje: str = Field(description="Why the cédula is theirs; at most 1,000 characters.")


class ClaimFiledOut(BaseModel):
    claim_id: UUID
    filed_at: datetime


class ClaimRejectionIn(BaseModel):
    model_config = _STRICT
    reason: str = Field(description="Why the claim is rejected; at most 1,000 characters.")


class ClaimTransferOut(BaseModel):
    user_id: UUID = Field(description="The account that now belongs to the claimant.")
    token: str = Field(description="A one-time reset link's token, shown once.")
    expires_at: datetime
