"""Claims for a taken cédula on the fake unit of work: filing (validation, limits per address and
per cédula, an answer that names nobody), and an ADMIN's transfer or rejection, each once and
audited by events that name the ADMIN."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from schemas.envelope import encode_event
from schemas.events import (
    CedulaClaimFiled,
    CedulaClaimResolved,
    ClaimOutcome,
    PasswordResetIssued,
    Role,
    UserProfileUpdated,
    UserRoleChanged,
)
from services.registration.domain.claims import Claim, ClaimStatus
from services.registration.domain.commands import (
    CompleteReset,
    FileClaim,
    RejectClaim,
    TransferClaim,
)
from services.registration.domain.errors import (
    ClaimNotFound,
    ClaimNotResolvable,
    InvalidFields,
    NotPermitted,
    Throttled,
)
from services.registration.domain.model import Actor, User
from services.registration.domain.throttle import Limit
from services.registration.service_layer.claim_decisions import reject_claim, transfer_claim
from services.registration.service_layer.claims import ClaimLimits, file_claim
from services.registration.service_layer.password_resets import complete_reset
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork
from tests.unit.registration.test_service_sessions import LOGIN, login

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
LIMITS = ClaimLimits(
    per_address=Limit("claim_address", max_hits=3, window_s=86_400),
    per_cedula=Limit("claim_cedula", max_hits=2, window_s=86_400),
)
CLAIMANT = {"nombre": "Rosa Elena Díaz", "telefono": "310 555 1234", "mensaje": "Es mi cédula."}


def actor(user: User) -> Actor:
    return Actor(user.id, user.role)


async def file(
    db: FakeDatabase, cedula: str, address: str | None = "190.0.0.9", at: datetime = NOW, **kw: str
) -> Claim:
    cmd = FileClaim(cedula=cedula, **(CLAIMANT | kw), client_address=address)
    return await file_claim(cmd, FakeUnitOfWork(db), LIMITS, clock=lambda: at)


async def test_a_claim_for_a_taken_cedula_is_stored_open_with_its_event() -> None:
    db = FakeDatabase()
    holder = db.add_user()
    claim = await file(db, f"{holder.cedula[:1]}.{holder.cedula[1:]}")
    assert db.claims[claim.id].status is ClaimStatus.ABIERTO
    assert (claim.cedula, claim.nombre, claim.telefono) == (
        holder.cedula,
        "Rosa Elena Díaz",
        "3105551234",
    )
    [event] = db.events(CedulaClaimFiled)
    assert isinstance(event, CedulaClaimFiled)
    assert (event.data.user_id, event.data.claim_id, event.key) == (
        holder.id,
        claim.id,
        str(holder.id).encode(),
    )
    encode_event(event)  # it fits its schema


async def test_every_field_of_a_claim_is_checked_at_once_in_spanish() -> None:
    db = FakeDatabase()
    with pytest.raises(InvalidFields) as caught:
        await file(db, "0123", nombre="R2", telefono="12", mensaje="  ")
    messages = {p.field: p.message for p in caught.value.problems}
    assert set(messages) == {"cedula", "nombre", "telefono", "mensaje"}
    assert messages["mensaje"] == "Mensaje: es obligatorio."
    assert not db.claims and not db.hits  # nothing counted for a form that is not one


async def test_a_message_with_control_characters_or_too_long_is_refused() -> None:
    db = FakeDatabase()
    holder = db.add_user()
    for mensaje in ("hola\x00", "x" * 1001):
        with pytest.raises(InvalidFields) as caught:
            await file(db, holder.cedula, mensaje=mensaje)
        assert caught.value.problems[0].field == "mensaje"


async def test_a_cedula_without_an_account_is_told_so_and_the_attempt_counts() -> None:
    db = FakeDatabase()
    with pytest.raises(InvalidFields) as caught:
        await file(db, "1234567")
    assert "Crear cuenta" in caught.value.problems[0].message
    assert db.hits[("claim_address", "190.0.0.9")] == [NOW]
    assert not db.outbox


async def test_an_address_is_limited_whatever_the_cedulas() -> None:
    db = FakeDatabase()
    holders = [db.add_user() for _ in range(4)]
    for holder in holders[:3]:
        await file(db, holder.cedula)
    with pytest.raises(Throttled) as caught:
        await file(db, holders[3].cedula)
    assert "desde esta conexión" in str(caught.value) and caught.value.retry_after_s > 0
    await file(db, holders[3].cedula, address="190.0.0.10")  # another address may
    await file(db, holders[3].cedula, at=NOW + timedelta(days=1, seconds=1))  # a day later too


async def test_a_cedula_is_limited_whoever_files_and_the_answer_names_nobody() -> None:
    db = FakeDatabase()
    holder = db.add_user()
    await file(db, holder.cedula, address="1.1.1.1")
    await file(db, holder.cedula, address="2.2.2.2")
    with pytest.raises(Throttled) as caught:
        await file(db, holder.cedula, address="3.3.3.3")
    assert holder.nombre not in str(caught.value) and "revisando" in str(caught.value)
    assert len(db.claims) == 2


async def test_a_call_without_an_address_is_not_limited_per_address() -> None:
    db = FakeDatabase()
    holder = db.add_user()
    await file(db, holder.cedula, address=None)
    assert ("claim_address", "None") not in db.hits and len(db.claims) == 1


async def transfer(db: FakeDatabase, by: User, claim: Claim) -> str:
    issued = await transfer_claim(
        TransferClaim(claim.id), actor(by), FakeUnitOfWork(db), FakeHasher(), clock=lambda: NOW
    )
    return issued.token


async def test_a_transfer_gives_the_account_to_the_claimant_with_a_reset_link() -> None:
    db = FakeDatabase()
    admin, holder = db.add_user(Role.ADMIN), db.add_user(Role.LEADER)
    claim = await file(db, holder.cedula)
    token = await transfer(db, admin, claim)
    account = db.users[holder.id]
    assert (account.nombre, account.telefono, account.role) == (
        "Rosa Elena Díaz",
        "3105551234",
        Role.USER,
    )
    assert not await FakeHasher().verify(account.password_hash, "Girasol-2026")  # former holder
    kinds = [type(event) for event in db.outbox[1:]]
    assert kinds == [UserProfileUpdated, UserRoleChanged, PasswordResetIssued, CedulaClaimResolved]
    resolved = db.events(CedulaClaimResolved)[0]
    assert isinstance(resolved, CedulaClaimResolved)
    assert (resolved.data.outcome, resolved.data.resolved_by) == (
        ClaimOutcome.TRANSFERIDO,
        admin.id,
    )
    assert db.claims[claim.id].status is ClaimStatus.TRANSFERIDO
    new = await complete_reset(
        CompleteReset(token, "Orquidea-Nueva-77"), FakeUnitOfWork(db), FakeHasher(), LOGIN
    )
    assert new.id == holder.id
    assert (await login(db, holder.cedula, "Orquidea-Nueva-77")).id == holder.id


async def test_a_claim_is_decided_once() -> None:
    db = FakeDatabase()
    admin, holder = db.add_user(Role.ADMIN), db.add_user()
    claim = await file(db, holder.cedula)
    await reject_claim(
        RejectClaim(claim.id, "No presentó pruebas."), actor(admin), FakeUnitOfWork(db)
    )
    with pytest.raises(ClaimNotResolvable, match="ya fue resuelto"):
        await transfer(db, admin, claim)
    assert db.users[holder.id].nombre == holder.nombre


async def test_a_rejection_keeps_the_account_and_records_the_reason_and_the_admin() -> None:
    db = FakeDatabase()
    admin, holder = db.add_user(Role.ADMIN), db.add_user()
    claim = await file(db, holder.cedula)
    with pytest.raises(InvalidFields, match="Motivo: es obligatorio"):
        await reject_claim(RejectClaim(claim.id, " "), actor(admin), FakeUnitOfWork(db))
    rejected = await reject_claim(
        RejectClaim(claim.id, "No presentó pruebas."), actor(admin), FakeUnitOfWork(db)
    )
    assert (rejected.status, rejected.resolved_by, rejected.reason) == (
        ClaimStatus.RECHAZADO,
        admin.id,
        "No presentó pruebas.",
    )
    assert db.users[holder.id] == holder
    [event] = db.events(CedulaClaimResolved)
    assert isinstance(event, CedulaClaimResolved)
    assert (event.data.outcome, event.data.reason) == (
        ClaimOutcome.RECHAZADO,
        "No presentó pruebas.",
    )


@pytest.mark.parametrize("role", [Role.USER, Role.LEADER])
async def test_only_an_admin_decides_claims(role: Role) -> None:
    db = FakeDatabase()
    holder = db.add_user()
    someone = db.add_user(role)
    claim = await file(db, holder.cedula)
    with pytest.raises(NotPermitted):
        await transfer(db, someone, claim)
    with pytest.raises(NotPermitted):
        await reject_claim(RejectClaim(claim.id, "no"), actor(someone), FakeUnitOfWork(db))
    assert db.claims[claim.id].open and len(db.outbox) == 1


async def test_an_unknown_claim_is_not_found() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    with pytest.raises(ClaimNotFound):
        await transfer(db, admin, replace(Claim(uuid4(), admin.id, "123", "a", "b", "c", NOW)))


async def test_no_transfer_of_the_deciding_admins_own_a_disabled_or_a_changed_account() -> None:
    db = FakeDatabase()
    admin, holder = db.add_user(Role.ADMIN), db.add_user()
    own = await file(db, admin.cedula, address="1.1.1.1")
    with pytest.raises(ClaimNotResolvable, match="otro administrador"):
        await transfer(db, admin, own)
    claim = await file(db, holder.cedula, address="2.2.2.2")
    db.users[holder.id].disabled_at = NOW
    with pytest.raises(ClaimNotResolvable, match="desactivada"):
        await transfer(db, admin, claim)
    db.users[holder.id].disabled_at, db.users[holder.id].cedula = None, "99887766"
    with pytest.raises(ClaimNotResolvable, match="cédula de la cuenta cambió"):
        await transfer(db, admin, claim)
    assert db.claims[claim.id].open
