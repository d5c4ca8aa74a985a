"""How each event changes the read tables: every handler says which rows to write, and how.

Handlers do no I/O: they turn an event into `Op`s (a kind of write, its row, the row keys it
touches), which the batch applier runs in the projector's transaction. One event alone and a
batch of thousands take the same path, so live projection and rebuilds cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from schemas.census import CensusStatus, VotingPlace
from schemas.envelope import Event
from schemas.events import (
    CedulaClaimFiled,
    CedulaClaimResolved,
    CedulaValidated,
    CensusCapacityReported,
    ReferralHandedOver,
    UserCedulaCorrected,
    UserDisabled,
    UserEditedByAdmin,
    UserEnabled,
    UserProfileUpdated,
    UserRegistered,
    UserRoleChanged,
    ValidationFailed,
    ValidationRequested,
    ValidationStarted,
)
from services.web.projection import account_admin, account_history, claims
from services.web.projection.row_writes import (
    ACCOUNT_STATE,
    ANSWERED,
    CAPACITY,
    FAILED,
    HISTORY,
    LOOKUP_STATE,
    NEW_STATUS,
    NEW_USER,
    PLACE_FIELDS,
    PROFILE,
    REQUESTED,
    RESULT,
    ROLE,
    STARTED,
)
from services.web.projection.writes import Op, RowKey

Handler = Callable[[Any], list[Op]]
LookupEvent: TypeAlias = ValidationStarted | CedulaValidated | ValidationFailed
# The events the read model shows: every one names its user.
ProjectedEvent: TypeAlias = (
    UserRegistered
    | UserProfileUpdated
    | UserRoleChanged
    | UserDisabled
    | UserEnabled
    | UserEditedByAdmin
    | UserCedulaCorrected
    | ReferralHandedOver
    | ValidationRequested
    | LookupEvent
    | CedulaClaimFiled  # about the account claimed: admins alone hear of it (live/audience.py)
    | CedulaClaimResolved
)


def _user_keys(data: Any) -> tuple[RowKey, ...]:
    return (("users", data.user_id),)


def _status_keys(cedula: str) -> tuple[RowKey, ...]:
    return (("census_status", cedula),)


def user_registered(event: UserRegistered) -> list[Op]:
    data = event.data
    user = {
        "user_id": data.user_id,
        "cedula": data.cedula,
        "nombre": data.nombre,
        "telefono": data.telefono,
        "referrer_id": data.referrer_id,
        "original_referrer_id": data.referrer_id,
        "referral_code": data.referral_code,
        "referral_goal": data.referral_goal,
        "role": data.role.value,
        "registered_at": data.registered_at,
        "updated_at": event.occurred_at,
    }
    # Every unique column is a key: two registrations of one cédula keep their order.
    user_keys = (
        *_user_keys(data),
        ("users.cedula", data.cedula),
        ("users.referral_code", data.referral_code),
    )
    status = {
        "cedula": data.cedula,
        "user_id": data.user_id,
        "status": CensusStatus.PENDING.value,
        "request_id": event.event_id,
        "updated_at": event.occurred_at,
    }
    return [Op(NEW_USER, user, user_keys), Op(NEW_STATUS, status, _status_keys(data.cedula))]


def profile_updated(event: UserProfileUpdated | UserEditedByAdmin) -> list[Op]:
    """The person's own edit or an ADMIN's: the same three columns, whoever made it."""
    data = event.data
    row = {
        "user_id": data.user_id,
        "nombre": data.nombre,
        "telefono": data.telefono,
        "referral_goal": data.referral_goal,
        "updated_at": event.occurred_at,
    }
    return [Op(PROFILE, row, _user_keys(data))]


def role_changed(event: UserRoleChanged) -> list[Op]:
    data = event.data
    row = {"user_id": data.user_id, "role": data.role.value, "updated_at": event.occurred_at}
    return [Op(ROLE, row, _user_keys(data))]


def account_state_changed(event: UserDisabled | UserEnabled) -> list[Op]:
    """Disabled since the event (the live projector also ends the account's sessions), or not."""
    disabled_at = event.occurred_at if isinstance(event, UserDisabled) else None
    row = {
        "user_id": event.data.user_id,
        "disabled_at": disabled_at,
        "updated_at": event.occurred_at,
    }
    return [Op(ACCOUNT_STATE, row, _user_keys(event.data))]


def validation_requested(event: ValidationRequested) -> list[Op]:
    """PENDING, unless the worker already reported on this very request (topics race)."""
    data = event.data
    row = {
        "cedula": data.cedula,
        "user_id": data.user_id,
        "status": CensusStatus.PENDING.value,
        "request_id": event.event_id,
        "updated_at": event.occurred_at,
        "attempt": 0,
        "source": None,
        **dict.fromkeys(LOOKUP_STATE),
    }
    return [Op(REQUESTED, row, _status_keys(data.cedula))]


def validation_started(event: ValidationStarted) -> list[Op]:
    row = _lookup_row(event, status=CensusStatus.PROCESSING.value, **dict.fromkeys(LOOKUP_STATE))
    return [Op(STARTED, row, _status_keys(event.data.cedula))]


def cedula_validated(event: CedulaValidated) -> list[Op]:
    data = event.data
    place = _place(data.voting_place)
    novedad = data.novedad
    novedad_text = novedad.novedad if novedad else None
    row = _lookup_row(event, status=data.status.value, **dict.fromkeys(LOOKUP_STATE))
    result = {
        "cedula": data.cedula,
        "user_id": data.user_id,
        "status": data.status.value,
        "updated_at": event.occurred_at,
        **place,
        "novedad": novedad_text,
        "resolucion": novedad.resolucion if novedad else None,
        "fecha_novedad": novedad.fecha if novedad else None,
        "fetched_at": data.fetched_at,
    }
    history = _history_row(event, data.status.value, place, novedad_text, None)
    keys = _status_keys(data.cedula)
    # The status first: it creates the row when the answer is read before the sign-up.
    return [Op(ANSWERED, row, keys), Op(RESULT, result, keys), history]


def validation_failed(event: ValidationFailed) -> list[Op]:
    data = event.data
    row = _lookup_row(
        event,
        status=data.status.value,
        error_message=data.reason,
        raw_response=data.raw_response,
        next_retry_at=data.next_attempt_at,
    )
    history = _history_row(event, data.status.value, dict.fromkeys(PLACE_FIELDS), None, data.reason)
    return [Op(FAILED, row, _status_keys(data.cedula)), history]


def _place(place: VotingPlace | None) -> dict[str, str | None]:
    if place is None:
        return dict.fromkeys(PLACE_FIELDS)
    return {
        "departamento": place.departamento,
        "municipio": place.municipio,
        "puesto": place.puesto,
        "direccion": place.direccion,
        "mesa": place.mesa,
    }


def _lookup_row(event: LookupEvent, **values: Any) -> dict[str, Any]:
    data = event.data
    return {
        "cedula": data.cedula,
        "user_id": data.user_id,
        **values,
        "attempt": data.attempt,
        "source": data.source,
        "request_id": data.request_id,
        "updated_at": event.occurred_at,
    }


def _history_row(
    event: CedulaValidated | ValidationFailed,
    status: str,
    place: dict[str, str | None],
    novedad: str | None,
    error_message: str | None,
) -> Op:
    data = event.data
    row = {
        "event_id": event.event_id,
        "cedula": data.cedula,
        "status": status,
        **place,
        "novedad": novedad,
        "error_message": error_message,
        "attempt": data.attempt,
        "occurred_at": event.occurred_at,
    }
    return Op(HISTORY, row, (("census_history", event.event_id),))


def capacity_reported(event: CensusCapacityReported) -> list[Op]:
    """The newest report replaces the one row (the guard keeps a newer one already there)."""
    key = event.key.decode()
    row = {
        "report_key": key,
        "event_id": event.event_id,
        "reported_at": event.data.reported_at,
        "report": event.data.model_dump_json(),
    }
    return [Op(CAPACITY, row, (("census_capacity", key),))]


HANDLERS: dict[type[Event], Handler] = {
    UserRegistered: user_registered,
    UserProfileUpdated: profile_updated,
    UserRoleChanged: role_changed,
    UserDisabled: account_state_changed,
    UserEnabled: account_state_changed,
    ValidationRequested: validation_requested,
    ValidationStarted: validation_started,
    CedulaValidated: cedula_validated,
    ValidationFailed: validation_failed,
    CensusCapacityReported: capacity_reported,
    CedulaClaimFiled: claims.claim_filed,
    CedulaClaimResolved: claims.claim_resolved,
    UserEditedByAdmin: profile_updated,
    UserCedulaCorrected: account_admin.cedula_corrected,
    ReferralHandedOver: account_admin.referral_handed_over,
}


def operations(event: Event) -> list[Op]:
    """The writes `event` asks for (an account event's history row last); none for events the
    read model does not show."""
    handler = HANDLERS.get(type(event))
    return (handler(event) if handler else []) + account_history.operations(event)
