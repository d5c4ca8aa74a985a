"""How claims for a taken cédula reach the read model: a row per claim, open when filed, with
the decision written once an ADMIN makes it. The account's own changes on a transfer arrive by
their own events (UserProfileUpdated, UserRoleChanged)."""

from __future__ import annotations

from schemas.events import CedulaClaimFiled, CedulaClaimResolved
from services.web.adapters.tables import cedula_claims
from services.web.projection.writes import OnExisting, Op, RowKey, Write

OPEN = "abierto"
NEW_CLAIM = Write(
    "new claim",
    cedula_claims,
    (
        "claim_id",
        "user_id",
        "cedula",
        "nombre",
        "telefono",
        "mensaje",
        "filed_at",
        "status",
    ),
    OnExisting.KEEP,
)
DECISION = Write(
    "claim decision",
    cedula_claims,
    ("claim_id", "status", "resolved_at", "resolved_by", "reason"),
    OnExisting.UPDATE,
    match="claim_id",
)


def _keys(event: CedulaClaimFiled | CedulaClaimResolved) -> tuple[RowKey, ...]:
    return (("cedula_claims", event.data.claim_id),)


def claim_filed(event: CedulaClaimFiled) -> list[Op]:
    data = event.data
    row = {
        "claim_id": data.claim_id,
        "user_id": data.user_id,
        "cedula": data.cedula,
        "nombre": data.nombre,
        "telefono": data.telefono,
        "mensaje": data.mensaje,
        "filed_at": data.filed_at,
        "status": OPEN,
    }
    return [Op(NEW_CLAIM, row, _keys(event))]


def claim_resolved(event: CedulaClaimResolved) -> list[Op]:
    data = event.data
    row = {
        "claim_id": data.claim_id,
        "status": data.outcome.value,
        "resolved_at": data.resolved_at,
        "resolved_by": data.resolved_by,
        "reason": data.reason,
    }
    return [Op(DECISION, row, _keys(event))]
