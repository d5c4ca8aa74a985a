"""An ADMIN edits a person on the fake unit of work: ADMIN only, only what differs is written and
published (with who), a corrected cédula must be free and is looked up again, and the last-ADMIN
rule is untouched by edits."""

from __future__ import annotations

import pytest

from schemas.events import (
    Role,
    UserCedulaCorrected,
    UserEditedByAdmin,
    ValidationReason,
    ValidationRequested,
)
from services.registration.domain.commands import EditUser
from services.registration.domain.errors import (
    CedulaAlreadyRegistered,
    InvalidFields,
    NotPermitted,
    UserNotFound,
)
from services.registration.domain.model import Actor, User
from services.registration.service_layer.account_admin import edit_user
from tests.unit.registration.fakes import FakeDatabase, FakeUnitOfWork


def actor(user: User) -> Actor:
    return Actor(user.id, user.role)


async def edit(db: FakeDatabase, by: User, user: User, **fields: object) -> User:
    cmd = EditUser(user.id, **fields)  # type: ignore[arg-type]  # the form's fields as typed
    return await edit_user(cmd, actor(by), FakeUnitOfWork(db))


async def test_an_admin_edits_nombre_telefono_and_meta_and_the_event_says_what_changed() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()

    edited = await edit(
        db, admin, user, nombre="  Ana   María ", telefono="+57 310 555 1234", referral_goal=25
    )

    assert (edited.nombre, edited.telefono, edited.referral_goal) == ("Ana María", "3105551234", 25)
    assert db.users[user.id].nombre == "Ana María"
    [event] = db.events()
    assert isinstance(event, UserEditedByAdmin)
    assert event.data.changed == ["nombre", "telefono", "referral_goal"]
    assert (event.data.edited_by, event.data.nombre) == (admin.id, "Ana María")


async def test_only_the_fields_that_differ_are_named() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()

    await edit(db, admin, user, nombre=user.nombre, telefono="3111111111")

    [event] = db.events()
    assert isinstance(event, UserEditedByAdmin) and event.data.changed == ["telefono"]


async def test_an_edit_that_changes_nothing_writes_and_publishes_nothing() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()

    await edit(db, admin, user, nombre=user.nombre, cedula=user.cedula, referral_goal=10)

    assert db.events() == []


@pytest.mark.parametrize("role", [Role.USER, Role.LEADER])
async def test_only_an_admin_edits_someone(role: Role) -> None:
    db = FakeDatabase()
    leader = db.add_user(role)
    referral = db.add_user(referrer=leader)

    with pytest.raises(NotPermitted):
        await edit(db, leader, referral, nombre="Otro Nombre")
    with pytest.raises(NotPermitted):  # not even themselves: their own form is the profile
        await edit(db, leader, leader, cedula="1234567")
    assert db.events() == []


async def test_editing_an_unknown_user_is_not_found() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    ghost = FakeDatabase().add_user()

    with pytest.raises(UserNotFound):
        await edit(db, admin, ghost, nombre="Nadie Aquí")


async def test_every_bad_field_is_reported_in_spanish_at_once() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()

    with pytest.raises(InvalidFields) as refused:
        await edit(db, admin, user, nombre="A", cedula="012", referral_goal=0)

    messages = {p.field: p.message for p in refused.value.problems}
    assert set(messages) == {"nombre", "cedula", "referral_goal"}
    assert messages["cedula"].startswith("Cédula:")
    assert db.events() == []


async def test_a_corrected_cedula_is_saved_published_and_looked_up_again() -> None:
    db = FakeDatabase()
    admin, leader = db.add_user(Role.ADMIN), db.add_user(Role.LEADER)
    user = db.add_user(referrer=leader)

    edited = await edit(db, admin, user, cedula="1.102.812.122")

    assert edited.cedula == "1102812122" and db.users[user.id].cedula == "1102812122"
    corrected, request = db.events()
    assert isinstance(corrected, UserCedulaCorrected)
    assert (corrected.data.cedula, corrected.data.corrected_by) == ("1102812122", admin.id)
    assert isinstance(request, ValidationRequested)
    assert (request.data.user_id, request.data.cedula) == (user.id, "1102812122")
    assert (request.data.reason, request.data.requested_by) == (ValidationReason.REFRESH, admin.id)
    assert request.correlation_id == corrected.correlation_id


async def test_a_cedula_of_another_account_is_refused_and_nothing_changes() -> None:
    db = FakeDatabase()
    admin, user, other = db.add_user(Role.ADMIN), db.add_user(), db.add_user()

    with pytest.raises(CedulaAlreadyRegistered):
        await edit(db, admin, user, cedula=other.cedula, nombre="Nombre Nuevo")

    assert db.users[user.id] == user and db.events() == []


async def test_name_and_cedula_together_publish_both_events() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()

    await edit(db, admin, user, cedula="7654321", nombre="Nombre Nuevo")

    kinds = [type(event) for event in db.events()]
    assert kinds == [UserEditedByAdmin, UserCedulaCorrected, ValidationRequested]


async def test_an_admin_may_edit_the_last_admin_without_touching_role_or_state() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)

    edited = await edit(db, admin, admin, nombre="Admin Único")

    assert edited.is_active_admin and db.users[admin.id].role is Role.ADMIN
