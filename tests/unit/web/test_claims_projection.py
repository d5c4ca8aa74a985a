"""How the read model takes claims for a taken cédula: a row per claim, open when filed, the
decision written on its own row only; only admins hear of them; the WhatsApp message and chat."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from schemas.events import (
    CedulaClaimFiled,
    CedulaClaimFiledData,
    CedulaClaimResolved,
    CedulaClaimResolvedData,
    ClaimOutcome,
    Role,
)
from services.web.live.audience import Change, Listener, event_names
from services.web.projection.claims import DECISION, NEW_CLAIM
from services.web.projection.handlers import operations
from services.web.views.claims import claim_view, transfer_message
from services.web.views.whatsapp import chat_url

AT = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def filed(claim_id=None, user_id=None) -> CedulaClaimFiled:
    data = CedulaClaimFiledData(
        claim_id=claim_id or uuid4(),
        user_id=user_id or uuid4(),
        cedula="1020304050",
        nombre="Rosa Elena Díaz",
        telefono="3105551234",
        mensaje="Es mi cédula.",
        filed_at=AT,
    )
    return CedulaClaimFiled(producer="tests", occurred_at=AT, data=data)


def test_a_filed_claim_is_an_open_row_of_its_own() -> None:
    event = filed()
    [op] = operations(event)
    assert op.write is NEW_CLAIM
    assert op.row["status"] == "abierto" and op.row["nombre"] == "Rosa Elena Díaz"
    assert op.keys == (("cedula_claims", event.data.claim_id),)


def test_a_decision_writes_the_outcome_who_and_why_on_the_claims_row() -> None:
    claim_id, admin = uuid4(), uuid4()
    data = CedulaClaimResolvedData(
        claim_id=claim_id,
        user_id=uuid4(),
        outcome=ClaimOutcome.RECHAZADO,
        resolved_by=admin,
        reason="Sin pruebas.",
        resolved_at=AT,
    )
    [op] = operations(CedulaClaimResolved(producer="tests", occurred_at=AT, data=data))
    assert op.write is DECISION
    assert op.row == {
        "claim_id": claim_id,
        "status": "rechazado",
        "resolved_at": AT,
        "resolved_by": admin,
        "reason": "Sin pruebas.",
    }


def test_only_admins_hear_of_claims_and_the_accounts_holder_does_not() -> None:
    holder, leader = uuid4(), uuid4()
    change = Change(CedulaClaimFiled.type_name, holder, leader)
    assert event_names(Listener(uuid4(), Role.ADMIN), change) == ["claims"]
    assert event_names(Listener(holder, Role.USER), change) == []
    assert event_names(Listener(leader, Role.LEADER), change) == []


def test_the_transfer_message_greets_the_claimant_and_goes_to_their_mobile() -> None:
    text = transfer_message("Rosa Elena Díaz", "https://censo.example/restablecer/abc")
    assert text.startswith("Hola Rosa:") and text.endswith("https://censo.example/restablecer/abc")
    assert chat_url("3105551234", text).startswith("https://wa.me/573105551234?text=Hola%20Rosa")
    assert chat_url("6015551234", text).startswith("https://wa.me/?text=")  # a landline


def test_each_status_has_a_spanish_label() -> None:
    row = operations(filed())[0].row
    view = claim_view(type("Row", (), dict(row))())
    assert (view.label, view.tone, view.open) == ("Abierto", "warning", True)
