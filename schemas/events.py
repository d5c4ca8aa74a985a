"""Version 1 of every event. A breaking change is a new class with version 2, never an edit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas import topics
from schemas.census import CensusStatus, Novedad, VotingPlace
from schemas.envelope import Event
from schemas.personal import ERASED_NAME, Personal

CEDULA_PATTERN = r"^[1-9][0-9]{2,9}$"
# What an event may carry at most: producers cut their text to these (the schema refuses more).
MAX_RAW_RESPONSE_CHARS = 20_000
MAX_FAILURE_REASON_CHARS = 2_000

# Personal fields (schemas/personal.py): encrypted with the person's key on the wire, and what
# they read as once that key is deleted.
Cedula = Annotated[str, Field(pattern=CEDULA_PATTERN), Personal(erased="")]
Nombre = Annotated[str, Field(max_length=200), Personal(erased=ERASED_NAME)]
Telefono = Annotated[str, Field(max_length=20), Personal(erased="")]


# Who ran an operator's command line (`censo admin …`): its events name them instead of an ADMIN.
# Left out of the record when None, so an ADMIN's events read exactly as before the field existed
# (a reader of the older schema, which forbids unknown fields, still takes them).
Operator = Annotated[
    str | None,
    Field(
        max_length=200,
        exclude_if=lambda operator: operator is None,
        description="the command line's operator (login name)",
    ),
]


class Role(StrEnum):
    USER = "USER"
    LEADER = "LEADER"
    ADMIN = "ADMIN"


class ValidationReason(StrEnum):
    REGISTRATION = "registration"
    REFRESH = "refresh"
    BULK_REFRESH = "bulk_refresh"
    REVALIDATION = "revalidation"


# Re-checks nobody is waiting for: they travel on their own topic (their own lane), so they never
# queue ahead of a sign-up or a person's own refresh in a partition.
BULK_REASONS = frozenset({ValidationReason.BULK_REFRESH, ValidationReason.REVALIDATION})


def validation_topic(reason: ValidationReason) -> str:
    """The topic of a ValidationRequested for `reason`: the bulk lane or the interactive one."""
    lane = topics.BULK_VALIDATION_REQUESTS if reason in BULK_REASONS else topics.VALIDATION_REQUESTS
    return lane.name


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- account events (producer: registration, key: user id) -------------------------------------


class UserRegisteredData(_Data):
    user_id: UUID
    cedula: Cedula
    nombre: Nombre
    telefono: Telefono
    referrer_id: UUID | None = None
    referral_code: str = Field(min_length=8, max_length=8)
    referral_goal: int = Field(default=10, ge=1, le=10_000)
    role: Role = Role.USER
    registered_at: datetime


# A UserRegistered record with this header (value DEFERRED_LOOKUP) asks for no lookup: its first
# lookup travels as a ValidationRequested on the bulk lane instead (a sign-up past the limits that
# keep the captcha budget for the people the campaign is waiting for).
CENSUS_LOOKUP_HEADER = "census_lookup"
DEFERRED_LOOKUP = "deferred"


class UserRegistered(Event):
    """A new account; the census worker also treats it as the first validation request, unless
    its record carries `census_lookup: deferred`."""

    type: Literal["UserRegistered"] = "UserRegistered"
    version: Literal[1] = 1
    data: UserRegisteredData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserProfileUpdatedData(_Data):
    user_id: UUID
    nombre: Nombre
    telefono: Telefono
    referral_goal: int = Field(ge=1, le=10_000)


class UserProfileUpdated(Event):
    type: Literal["UserProfileUpdated"] = "UserProfileUpdated"
    version: Literal[1] = 1
    data: UserProfileUpdatedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserRoleChangedData(_Data):
    user_id: UUID
    role: Role
    previous_role: Role
    changed_by: UUID | None = None
    operator: Operator = None


class UserRoleChanged(Event):
    type: Literal["UserRoleChanged"] = "UserRoleChanged"
    version: Literal[1] = 1
    data: UserRoleChangedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserDisabledData(_Data):
    user_id: UUID
    disabled_by: UUID | None = Field(
        default=None, description="the ADMIN who disabled it; None: an operator's command line"
    )
    operator: str | None = Field(
        default=None, max_length=200, description="the command line's operator (login name)"
    )


class UserDisabled(Event):
    """The account can no longer log in and every session of it ends; its referrals stay."""

    type: Literal["UserDisabled"] = "UserDisabled"
    version: Literal[1] = 1
    data: UserDisabledData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserEnabledData(_Data):
    user_id: UUID
    enabled_by: UUID | None = Field(
        default=None, description="the ADMIN who enabled it; None: an operator's command line"
    )
    operator: str | None = Field(
        default=None, max_length=200, description="the command line's operator (login name)"
    )


class UserEnabled(Event):
    """A disabled account may log in again."""

    type: Literal["UserEnabled"] = "UserEnabled"
    version: Literal[1] = 1
    data: UserEnabledData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class PasswordResetIssuedData(_Data):
    user_id: UUID
    issued_by: UUID | None = Field(
        default=None,
        description="the ADMIN, or the person's own LEADER, who made the link; None: an "
        "operator's command line",
    )
    expires_at: datetime
    operator: Operator = None


class PasswordResetIssued(Event):
    """A one-time link to set a new password was made (audit only: never the token, nor a hash);
    any unused link made before for the same person no longer works."""

    type: Literal["PasswordResetIssued"] = "PasswordResetIssued"
    version: Literal[1] = 1
    data: PasswordResetIssuedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class PasswordResetCompletedData(_Data):
    user_id: UUID
    issued_by: UUID | None = Field(
        default=None, description="who made the link that was used; None: an operator"
    )


class PasswordResetCompleted(Event):
    """The person set a new password through a reset link; every session of theirs ended."""

    type: Literal["PasswordResetCompleted"] = "PasswordResetCompleted"
    version: Literal[1] = 1
    data: PasswordResetCompletedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class TemporaryPasswordSetData(_Data):
    user_id: UUID
    set_by: UUID | None = Field(
        default=None, description="the ADMIN who set it; None: an operator's command line"
    )
    operator: Operator = None


class TemporaryPasswordSet(Event):
    """An ADMIN set a temporary password: the person must change it at their next login."""

    type: Literal["TemporaryPasswordSet"] = "TemporaryPasswordSet"
    version: Literal[1] = 1
    data: TemporaryPasswordSetData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserDeletedData(_Data):
    user_id: UUID
    deleted_by: UUID | None = Field(
        default=None, description="the person themself or an ADMIN; None: an operator's command"
    )
    operator: Operator = None


class UserDeleted(Event):
    """The person's data were erased at their request or an ADMIN's: their key is gone, so every
    earlier event of theirs reads «Cuenta eliminada»; their referrals stay with their leader."""

    type: Literal["UserDeleted"] = "UserDeleted"
    version: Literal[1] = 1
    data: UserDeletedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


# --- account administration: an ADMIN edits a person, hands referrals over -------------------


class UserEditedByAdminData(_Data):
    """The account's new nombre, teléfono and meta (all three, as UserProfileUpdated) and which
    of them the ADMIN changed."""

    user_id: UUID
    nombre: Nombre
    telefono: Telefono
    referral_goal: int = Field(ge=1, le=10_000)
    changed: list[Literal["nombre", "telefono", "referral_goal"]] = Field(max_length=3)
    edited_by: UUID | None = Field(
        default=None, description="the ADMIN who edited it; None: an operator's command line"
    )
    operator: Operator = None


class UserEditedByAdmin(Event):
    """An ADMIN changed a person's nombre, teléfono and/or meta de referidos."""

    type: Literal["UserEditedByAdmin"] = "UserEditedByAdmin"
    version: Literal[1] = 1
    data: UserEditedByAdminData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserCedulaCorrectedData(_Data):
    user_id: UUID
    cedula: Cedula = Field(description="the corrected cédula")
    corrected_by: UUID | None = Field(
        default=None, description="the ADMIN who corrected it; None: an operator's command line"
    )
    operator: Operator = None


class UserCedulaCorrected(Event):
    """An ADMIN corrected a mistyped cédula: the answer about the old one is no longer the
    person's, and a ValidationRequested for the new one follows in the same transaction."""

    type: Literal["UserCedulaCorrected"] = "UserCedulaCorrected"
    version: Literal[1] = 1
    data: UserCedulaCorrectedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class ReferralHandedOverData(_Data):
    user_id: UUID = Field(description="the referral who moves")
    from_leader_id: UUID = Field(description="the leader they were referred by until now")
    to_leader_id: UUID = Field(description="the leader they are referred by from now on")
    handed_over_by: UUID | None = Field(
        default=None, description="the ADMIN who handed them over; None: an operator's command line"
    )
    operator: Operator = None


class ReferralHandedOver(Event):
    """One referral moves from one leader to another (a hand-over is one of these per referral,
    sharing a correlation id, so each travels in its referral's partition, after its sign-up)."""

    type: Literal["ReferralHandedOver"] = "ReferralHandedOver"
    version: Literal[1] = 1
    data: ReferralHandedOverData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


# --- claims for a taken cédula (producer: registration, key: the account's user id) -----------


class ClaimOutcome(StrEnum):
    TRANSFERIDO = "transferido"  # the account now belongs to the claimant
    RECHAZADO = "rechazado"


class CedulaClaimFiledData(_Data):
    """Someone says the cédula of account `user_id` is theirs. `cedula`, `nombre` and `telefono`
    are the claimant's (the same names as UserRegisteredData's, so personal fields read alike)."""

    claim_id: UUID
    user_id: UUID = Field(description="the account registered with the cédula when filed")
    cedula: Cedula
    nombre: Nombre
    telefono: Telefono
    mensaje: Annotated[str, Field(max_length=1000), Personal(erased="")]
    filed_at: datetime


class CedulaClaimFiled(Event):
    """A claim, filed from the public form; only ADMINs see it."""

    type: Literal["CedulaClaimFiled"] = "CedulaClaimFiled"
    version: Literal[1] = 1
    data: CedulaClaimFiledData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class CedulaClaimResolvedData(_Data):
    claim_id: UUID
    user_id: UUID
    outcome: ClaimOutcome
    resolved_by: UUID = Field(description="the ADMIN who decided")
    reason: str | None = Field(default=None, max_length=1000, description="why it was rejected")
    resolved_at: datetime


class CedulaClaimResolved(Event):
    """An ADMIN transferred the account to the claimant (its nombre and teléfono change by a
    UserProfileUpdated, a reset link is issued, every session ends) or rejected the claim."""

    type: Literal["CedulaClaimResolved"] = "CedulaClaimResolved"
    version: Literal[1] = 1
    data: CedulaClaimResolvedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


# --- census events (sealed: key user id; in clear, from before sealing: key cédula) ---------


class ValidationRequestedData(_Data):
    user_id: UUID
    cedula: Cedula
    reason: ValidationReason
    requested_by: UUID | None = None


class ValidationRequested(Event):
    """Every validation after the first (which rides on UserRegistered), on its reason's lane."""

    type: Literal["ValidationRequested"] = "ValidationRequested"
    version: Literal[1] = 1
    data: ValidationRequestedData
    topic: ClassVar[str] = topics.VALIDATION_REQUESTS.name
    other_topics: ClassVar[tuple[str, ...]] = (topics.BULK_VALIDATION_REQUESTS.name,)
    key_field: ClassVar[str] = "cedula"

    @property
    def destination(self) -> str:
        return validation_topic(self.data.reason)


class _LookupData(_Data):
    user_id: UUID
    cedula: Cedula
    request_id: UUID = Field(description="event_id of the UserRegistered or ValidationRequested")
    attempt: int = Field(ge=1)
    source: str = Field(description="census source variant, e.g. wsp or consultacenso")


class ValidationStartedData(_LookupData):
    pass


class ValidationStarted(Event):
    type: Literal["ValidationStarted"] = "ValidationStarted"
    version: Literal[1] = 1
    data: ValidationStartedData
    topic: ClassVar[str] = topics.CENSUS_RESULTS.name
    key_field: ClassVar[str] = "cedula"


class CedulaValidatedData(_LookupData):
    status: Literal[
        CensusStatus.ACTIVE,
        CensusStatus.NOT_FOUND,
        CensusStatus.CANCELLED_DECEASED,
        CensusStatus.CANCELLED_OTHER,
    ]
    voting_place: Annotated[VotingPlace | None, Personal()] = None
    novedad: Annotated[Novedad | None, Personal()] = None
    fetched_at: datetime


class CedulaValidated(Event):
    """A final answer from the census: found, not found or cancelled."""

    type: Literal["CedulaValidated"] = "CedulaValidated"
    version: Literal[1] = 1
    data: CedulaValidatedData
    topic: ClassVar[str] = topics.CENSUS_RESULTS.name
    key_field: ClassVar[str] = "cedula"


class ValidationFailedData(_LookupData):
    status: Literal[CensusStatus.ERROR, CensusStatus.TIMEOUT, CensusStatus.BLOCKED]
    reason: str = Field(max_length=MAX_FAILURE_REASON_CHARS)
    will_retry: bool
    next_attempt_at: datetime | None = None
    raw_response: Annotated[str | None, Field(max_length=MAX_RAW_RESPONSE_CHARS), Personal()] = None
    failed_at: datetime


class ValidationFailed(Event):
    type: Literal["ValidationFailed"] = "ValidationFailed"
    version: Literal[1] = 1
    data: ValidationFailedData
    topic: ClassVar[str] = topics.CENSUS_RESULTS.name
    key_field: ClassVar[str] = "cedula"


# --- the census hosts' capacity (producer: census-worker, key: "capacity") --------------------


class CensusHostState(_Data):
    """One census host (a site variant) as the shared budget in the worker database holds it."""

    host: str = Field(max_length=50, description="the site variant: wsp, consultacenso")
    next_turn_at: datetime = Field(description="the earliest start of its next turn")
    held: bool = Field(description="a worker holds its turn right now")
    cooldown_until: datetime | None = Field(default=None, description="paused after BLOCKED")
    blocked_in_a_row: int = Field(default=0, ge=0)
    circuit_open_since: datetime | None = Field(
        default=None, description="its answers stopped parsing: no lookups until resumed"
    )
    circuit_reason: str | None = Field(default=None, max_length=MAX_FAILURE_REASON_CHARS)
    last_raw_answer: str | None = Field(
        default=None,
        max_length=MAX_RAW_RESPONSE_CHARS,
        description="the reply that opened the circuit, for an operator to read",
    )
    unclassified_in_a_row: int = Field(default=0, ge=0)
    turns_last_minute: int = Field(ge=0, description="lookups started in the last 60 s")
    turns_last_hour: int = Field(ge=0, description="lookups started in the last 3,600 s")


class CaptchaAccountState(_Data):
    """The captcha service's use by every worker: solves, an estimate of their cost, the balance."""

    solves: int = Field(ge=0, description="tokens solved since the worker database was created")
    expired: int = Field(ge=0, description="tokens that expired before a lookup used them")
    price_per_1000: float = Field(ge=0, description="CENSUS_CAPTCHA_PRICE_PER_1000, in USD")
    spend_usd: float = Field(ge=0, description="solves × price ÷ 1,000")
    balance_usd: float | None = Field(default=None, description="the last getbalance answer")
    balance_checked_at: datetime | None = None
    low_balance_usd: float = Field(ge=0, description="CENSUS_CAPTCHA_LOW_BALANCE")

    @property
    def low(self) -> bool:
        return self.balance_usd is not None and self.balance_usd < self.low_balance_usd


class CensusCapacityReportedData(_Data):
    reported_at: datetime
    interval_s: float = Field(ge=0, description="WORKER_MIN_INTERVAL_S: one turn per host per")
    hosts: list[CensusHostState] = Field(max_length=20)
    captcha: CaptchaAccountState | None = Field(
        default=None, description="None: no captcha account (the simulator without a key)"
    )


class CensusCapacityReported(Event):
    """Every few seconds, by one worker: what the census hosts' shared budget looks like."""

    type: Literal["CensusCapacityReported"] = "CensusCapacityReported"
    version: Literal[1] = 1
    data: CensusCapacityReportedData
    topic: ClassVar[str] = topics.CENSUS_STATUS.name

    @property
    def key(self) -> bytes:
        return b"capacity"


class CensusHostResumeRequestedData(_Data):
    host: str = Field(max_length=50, description="the site variant whose circuit to close")
    operator: str = Field(max_length=200, description="who asked (web admin or login name)")


class CensusHostResumeRequested(Event):
    """An operator saw why a host's circuit opened and lets its lookups run again."""

    type: Literal["CensusHostResumeRequested"] = "CensusHostResumeRequested"
    version: Literal[1] = 1
    data: CensusHostResumeRequestedData
    topic: ClassVar[str] = topics.CENSUS_CONTROL.name
    key_field: ClassVar[str] = "host"


# --- operations (producer: the `censo ops` command line) ------------------------------------


class OperatorActionRecordedData(_Data):
    action: str = Field(max_length=100, description="e.g. dlt.redrive, revalidate, reset-offsets")
    operator: str = Field(max_length=200, description="who ran it (login name on the machine)")
    target: str = Field(max_length=500, description="topic, group or selection acted upon")
    count: int = Field(ge=0, description="how many records or users it touched")
    details: dict[str, str] = Field(default_factory=dict)


class OperatorActionRecorded(Event):
    type: Literal["OperatorActionRecorded"] = "OperatorActionRecorded"
    version: Literal[1] = 1
    data: OperatorActionRecordedData
    topic: ClassVar[str] = topics.OPS_AUDIT.name
    key_field: ClassVar[str] = "action"


ALL_EVENTS: tuple[type[Event], ...] = (
    UserRegistered,
    UserProfileUpdated,
    UserRoleChanged,
    UserDisabled,
    UserEnabled,
    PasswordResetIssued,
    PasswordResetCompleted,
    TemporaryPasswordSet,
    UserDeleted,
    CedulaClaimFiled,
    CedulaClaimResolved,
    UserEditedByAdmin,
    UserCedulaCorrected,
    ReferralHandedOver,
    ValidationRequested,
    ValidationStarted,
    CedulaValidated,
    ValidationFailed,
    CensusCapacityReported,
    CensusHostResumeRequested,
    OperatorActionRecorded,
)
EVENT_TYPES: dict[tuple[str, int], type[Event]] = {
    (cls.type_name, cls.model_fields["version"].default): cls for cls in ALL_EVENTS
}
