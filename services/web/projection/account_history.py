"""Keeps each account's «Historial»: one user_history row per account event, keyed by the
event, holding the values it set and who acted. Derived from each event alone, so a redelivery
adds nothing and a rebuild writes the same rows; old → new is read from the row before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemas.envelope import Event
from schemas.events import (
    PasswordResetCompleted,
    PasswordResetIssued,
    ReferralHandedOver,
    TemporaryPasswordSet,
    UserCedulaCorrected,
    UserDisabled,
    UserEditedByAdmin,
    UserEnabled,
    UserProfileUpdated,
    UserRegistered,
    UserRoleChanged,
)
from services.web.adapters.account_history_tables import user_history
from services.web.projection.writes import OnExisting, Op, Write

# Plain str column names: SQLAlchemy's are `quoted_name`s, which the rows' JSON encoder
# (pydantic_core.to_json) does not know as str and probes attribute by attribute, 60 µs a row.
COLUMNS = tuple(str(column.key) for column in user_history.columns)
ENTRY = Write("account history", user_history, COLUMNS, OnExisting.KEEP)
Values = Callable[[Any], dict[str, Any]]


def _registered(data: Any) -> dict[str, Any]:
    return {
        "cedula": data.cedula,
        "nombre": data.nombre,
        "telefono": data.telefono,
        "referral_goal": data.referral_goal,
        "role": data.role.value,
        "referrer_id": data.referrer_id,
    }


def _profile(data: Any) -> dict[str, Any]:
    return {"nombre": data.nombre, "telefono": data.telefono, "referral_goal": data.referral_goal}


VALUES: dict[type[Event], Values] = {
    UserRegistered: _registered,
    UserProfileUpdated: lambda d: {**_profile(d), "actor_id": d.user_id},
    UserEditedByAdmin: lambda d: {
        **{name: getattr(d, name) for name in d.changed},
        "changed": ",".join(d.changed),
        "actor_id": d.edited_by,
        "operator": d.operator,
    },
    UserCedulaCorrected: lambda d: {
        "cedula": d.cedula,
        "actor_id": d.corrected_by,
        "operator": d.operator,
    },
    UserRoleChanged: lambda d: {
        "role": d.role.value,
        "previous_role": d.previous_role.value,
        "actor_id": d.changed_by,
        "operator": d.operator,
    },
    UserDisabled: lambda d: {"actor_id": d.disabled_by, "operator": d.operator},
    UserEnabled: lambda d: {"actor_id": d.enabled_by, "operator": d.operator},
    PasswordResetIssued: lambda d: {"actor_id": d.issued_by, "operator": d.operator},
    PasswordResetCompleted: lambda d: {"actor_id": d.user_id},
    TemporaryPasswordSet: lambda d: {"actor_id": d.set_by, "operator": d.operator},
    ReferralHandedOver: lambda d: {
        "referrer_id": d.to_leader_id,
        "previous_referrer_id": d.from_leader_id,
        "actor_id": d.handed_over_by,
        "operator": d.operator,
    },
}


def operations(event: Event) -> list[Op]:
    """The history row of an account event; none for other events."""
    values = VALUES.get(type(event))
    if values is None:
        return []
    data: Any = getattr(event, "data")  # noqa: B009 - every account event has one; Event does not say
    row = dict.fromkeys(ENTRY.columns) | values(data)
    row |= {
        "event_id": event.event_id,
        "user_id": data.user_id,
        "occurred_at": event.occurred_at,
        "kind": event.type,
    }
    return [Op(ENTRY, row, (("user_history", event.event_id),))]
