"""Event contracts: the only place where an event's shape, its topic and its key are defined."""

from schemas.census import CensusStatus, Novedad, VotingPlace
from schemas.envelope import Event, EventDecodeError, decode_event, encode_event
from schemas.events import (
    EVENT_TYPES,
    CedulaValidated,
    UserProfileUpdated,
    UserRegistered,
    UserRoleChanged,
    ValidationFailed,
    ValidationReason,
    ValidationRequested,
    ValidationStarted,
)

__all__ = [
    "EVENT_TYPES",
    "CedulaValidated",
    "CensusStatus",
    "Event",
    "EventDecodeError",
    "Novedad",
    "UserProfileUpdated",
    "UserRegistered",
    "UserRoleChanged",
    "ValidationFailed",
    "ValidationReason",
    "ValidationRequested",
    "ValidationStarted",
    "VotingPlace",
    "decode_event",
    "encode_event",
]
