"""The account events this service emits, built from the aggregate (shapes live in schemas/)."""

from __future__ import annotations

from uuid import UUID

from schemas.events import (
    CedulaClaimFiled,
    CedulaClaimFiledData,
    CedulaClaimResolved,
    CedulaClaimResolvedData,
    ClaimOutcome,
    PasswordResetCompleted,
    PasswordResetCompletedData,
    PasswordResetIssued,
    PasswordResetIssuedData,
    ReferralHandedOver,
    ReferralHandedOverData,
    Role,
    TemporaryPasswordSet,
    TemporaryPasswordSetData,
    UserCedulaCorrected,
    UserCedulaCorrectedData,
    UserDeleted,
    UserDeletedData,
    UserDisabled,
    UserDisabledData,
    UserEditedByAdmin,
    UserEditedByAdminData,
    UserEnabled,
    UserEnabledData,
    UserProfileUpdated,
    UserProfileUpdatedData,
    UserRegistered,
    UserRegisteredData,
    UserRoleChanged,
    UserRoleChangedData,
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
)
from services.registration.domain.claims import Claim
from services.registration.domain.model import Target, User
from services.registration.domain.password_reset import ResetLink

PRODUCER = "registration"


def registered(user: User, correlation_id: UUID) -> UserRegistered:
    data = UserRegisteredData(
        user_id=user.id,
        cedula=user.cedula,
        nombre=user.nombre,
        telefono=user.telefono,
        referrer_id=user.referrer_id,
        referral_code=user.referral_code,
        referral_goal=user.referral_goal,
        role=user.role,
        registered_at=user.registered_at,
    )
    return UserRegistered(producer=PRODUCER, correlation_id=correlation_id, data=data)


def profile_updated(user: User, correlation_id: UUID) -> UserProfileUpdated:
    data = UserProfileUpdatedData(
        user_id=user.id,
        nombre=user.nombre,
        telefono=user.telefono,
        referral_goal=user.referral_goal,
    )
    return UserProfileUpdated(producer=PRODUCER, correlation_id=correlation_id, data=data)


def role_changed(
    user: User,
    previous: Role,
    by: UUID | None,
    correlation_id: UUID,
    operator: str | None = None,
) -> UserRoleChanged:
    data = UserRoleChangedData(
        user_id=user.id, role=user.role, previous_role=previous, changed_by=by, operator=operator
    )
    return UserRoleChanged(producer=PRODUCER, correlation_id=correlation_id, data=data)


def account_state_changed(
    user: User, by: UUID | None, operator: str | None, correlation_id: UUID
) -> UserDisabled | UserEnabled:
    """UserDisabled or UserEnabled, as the account now is, with who did it."""
    if user.disabled:
        data = UserDisabledData(user_id=user.id, disabled_by=by, operator=operator)
        return UserDisabled(producer=PRODUCER, correlation_id=correlation_id, data=data)
    enabled = UserEnabledData(user_id=user.id, enabled_by=by, operator=operator)
    return UserEnabled(producer=PRODUCER, correlation_id=correlation_id, data=enabled)


def deleted(
    user_id: UUID, by: UUID | None, correlation_id: UUID, operator: str | None = None
) -> UserDeleted:
    data = UserDeletedData(user_id=user_id, deleted_by=by, operator=operator)
    return UserDeleted(producer=PRODUCER, correlation_id=correlation_id, data=data)


def reset_issued(
    link: ResetLink, correlation_id: UUID, operator: str | None = None
) -> PasswordResetIssued:
    """Who made a link for whom and until when; the token and its hash stay in the database."""
    data = PasswordResetIssuedData(
        user_id=link.user_id,
        issued_by=link.issued_by,
        expires_at=link.expires_at,
        operator=operator,
    )
    return PasswordResetIssued(producer=PRODUCER, correlation_id=correlation_id, data=data)


def reset_completed(link: ResetLink, correlation_id: UUID) -> PasswordResetCompleted:
    data = PasswordResetCompletedData(user_id=link.user_id, issued_by=link.issued_by)
    return PasswordResetCompleted(producer=PRODUCER, correlation_id=correlation_id, data=data)


def temporary_password_set(
    user: User, by: UUID | None, correlation_id: UUID, operator: str | None = None
) -> TemporaryPasswordSet:
    data = TemporaryPasswordSetData(user_id=user.id, set_by=by, operator=operator)
    return TemporaryPasswordSet(producer=PRODUCER, correlation_id=correlation_id, data=data)


def claim_filed(claim: Claim, correlation_id: UUID) -> CedulaClaimFiled:
    data = CedulaClaimFiledData(
        claim_id=claim.id,
        user_id=claim.user_id,
        cedula=claim.cedula,
        nombre=claim.nombre,
        telefono=claim.telefono,
        mensaje=claim.mensaje,
        filed_at=claim.filed_at,
    )
    return CedulaClaimFiled(producer=PRODUCER, correlation_id=correlation_id, data=data)


def claim_resolved(claim: Claim, correlation_id: UUID) -> CedulaClaimResolved:
    """Who decided the claim, and how (`claim` already resolved)."""
    assert claim.resolved_by is not None and claim.resolved_at is not None
    data = CedulaClaimResolvedData(
        claim_id=claim.id,
        user_id=claim.user_id,
        outcome=ClaimOutcome(claim.status.value),
        resolved_by=claim.resolved_by,
        reason=claim.reason,
        resolved_at=claim.resolved_at,
    )
    return CedulaClaimResolved(producer=PRODUCER, correlation_id=correlation_id, data=data)


def validation_requested(
    target: Target, reason: ValidationReason, by: UUID | None, correlation_id: UUID
) -> ValidationRequested:
    data = ValidationRequestedData(
        user_id=target.id, cedula=target.cedula, reason=reason, requested_by=by
    )
    return ValidationRequested(producer=PRODUCER, correlation_id=correlation_id, data=data)


def edited_by_admin(
    user: User,
    changed: list[str],
    by: UUID | None,
    correlation_id: UUID,
    operator: str | None = None,
) -> UserEditedByAdmin:
    """The account's nombre, teléfono and meta as they now are, and which of them changed."""
    data = UserEditedByAdminData(
        user_id=user.id,
        nombre=user.nombre,
        telefono=user.telefono,
        referral_goal=user.referral_goal,
        changed=changed,  # type: ignore[arg-type]  # the form's field names, checked by the schema
        edited_by=by,
        operator=operator,
    )
    return UserEditedByAdmin(producer=PRODUCER, correlation_id=correlation_id, data=data)


def cedula_corrected(
    user: User, by: UUID | None, correlation_id: UUID, operator: str | None = None
) -> UserCedulaCorrected:
    data = UserCedulaCorrectedData(
        user_id=user.id, cedula=user.cedula, corrected_by=by, operator=operator
    )
    return UserCedulaCorrected(producer=PRODUCER, correlation_id=correlation_id, data=data)


def referral_handed_over(
    user_id: UUID,
    from_leader: UUID,
    to_leader: UUID,
    by: UUID | None,
    correlation_id: UUID,
    operator: str | None = None,
) -> ReferralHandedOver:
    data = ReferralHandedOverData(
        user_id=user_id,
        from_leader_id=from_leader,
        to_leader_id=to_leader,
        handed_over_by=by,
        operator=operator,
    )
    return ReferralHandedOver(producer=PRODUCER, correlation_id=correlation_id, data=data)
