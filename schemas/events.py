"""Version 1 of every event. A breaking change is a new class with version 2, never an edit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas import topics
from schemas.census import CensusStatus, Novedad, VotingPlace
from schemas.envelope import Event

CEDULA_PATTERN = r"^[1-9][0-9]{2,9}$"
# What an event may carry at most: producers cut their text to these (the schema refuses more).
MAX_RAW_RESPONSE_CHARS = 20_000
MAX_FAILURE_REASON_CHARS = 2_000


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
    cedula: str = Field(pattern=CEDULA_PATTERN)
    nombre: str = Field(max_length=200)
    telefono: str = Field(max_length=20)
    referrer_id: UUID | None = None
    referral_code: str = Field(min_length=8, max_length=8)
    referral_goal: int = Field(default=10, ge=1, le=10_000)
    role: Role = Role.USER
    registered_at: datetime


class UserRegistered(Event):
    """A new account; the census worker also treats it as the first validation request."""

    type: Literal["UserRegistered"] = "UserRegistered"
    version: Literal[1] = 1
    data: UserRegisteredData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


class UserProfileUpdatedData(_Data):
    user_id: UUID
    nombre: str = Field(max_length=200)
    telefono: str = Field(max_length=20)
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


class UserRoleChanged(Event):
    type: Literal["UserRoleChanged"] = "UserRoleChanged"
    version: Literal[1] = 1
    data: UserRoleChangedData
    topic: ClassVar[str] = topics.ACCOUNTS.name
    key_field: ClassVar[str] = "user_id"


# --- census events (key: cédula) -----------------------------------------------------------------


class ValidationRequestedData(_Data):
    user_id: UUID
    cedula: str = Field(pattern=CEDULA_PATTERN)
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
    cedula: str = Field(pattern=CEDULA_PATTERN)
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
    voting_place: VotingPlace | None = None
    novedad: Novedad | None = None
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
    raw_response: str | None = Field(default=None, max_length=MAX_RAW_RESPONSE_CHARS)
    failed_at: datetime


class ValidationFailed(Event):
    type: Literal["ValidationFailed"] = "ValidationFailed"
    version: Literal[1] = 1
    data: ValidationFailedData
    topic: ClassVar[str] = topics.CENSUS_RESULTS.name
    key_field: ClassVar[str] = "cedula"


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
    ValidationRequested,
    ValidationStarted,
    CedulaValidated,
    ValidationFailed,
    OperatorActionRecorded,
)
EVENT_TYPES: dict[tuple[str, int], type[Event]] = {
    (cls.type_name, cls.model_fields["version"].default): cls for cls in ALL_EVENTS
}
