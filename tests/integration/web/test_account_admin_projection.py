"""The read model of an ADMIN's account administration on a real PostgreSQL: a corrected cédula
leaves the old answer to the old cédula (no longer the person's, nor counted in «Dónde votan»),
the new lookup shows PENDING then its answer; a hand-over moves the person (and their count) to
the new leader and keeps the original one; the history has one row per account event. Whatever
the order the topics are read in, in batches or one record at a time, and redelivered, the
tables end the same."""

from __future__ import annotations

import pprint
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus, VotingPlace
from schemas.envelope import Event
from schemas.events import (
    CedulaValidated,
    CedulaValidatedData,
    ReferralHandedOver,
    ReferralHandedOverData,
    Role,
    UserCedulaCorrected,
    UserCedulaCorrectedData,
    UserEditedByAdmin,
    UserEditedByAdminData,
    UserRegistered,
    UserRegisteredData,
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
)
from services.web.adapters.account_history_tables import user_history
from services.web.adapters.tables import census_status, users
from services.web.adapters.voting_place_tables import voting_place_members
from services.web.projection.projector import Projector
from services.web.projection.rebuild import READ_MODEL_TABLES
from services.web.queries.census import user_census_row
from tests.integration.web.test_projection_batch import (
    apply_in_one_transaction,
    as_consumed,
    engines,  # noqa: F401  (the fixture)
    per_topic,
)
from tests.integration.web.test_projection_order import interleaved
from tests.support.events import validated
from tests.support.tables import row_differences

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
COROZAL = VotingPlace(
    departamento="SUCRE",
    municipio="COROZAL",
    puesto="IE SAN JOSE",
    direccion="CL 30 No. 25-10",
    mesa="4",
)
ADMIN = UUID(int=99)


def person(number: int, role: Role = Role.USER, referrer: UUID | None = None) -> UserRegistered:
    return UserRegistered(
        producer="tests",
        occurred_at=START + timedelta(seconds=number),
        data=UserRegisteredData(
            user_id=UUID(int=number),
            cedula=f"71000{number:04d}",
            nombre=f"Persona {number}",
            telefono="3001234567",
            referrer_id=referrer,
            referral_code=f"CODE{number:04d}",
            role=role,
            registered_at=START + timedelta(seconds=number),
        ),
    )


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def administration(old: UUID, new: UUID, people: list[UserRegistered]) -> list[Event]:
    """An edit of people[0], a cédula correction of people[1] (its old lookup answering late,
    the new one answered), people[2] and people[3] handed over from `old` to `new`."""
    edited, corrected, *moved = people[0].data, people[1].data, people[2].data, people[3].data
    correction = UserCedulaCorrected(
        producer="tests",
        occurred_at=at(10),
        data=UserCedulaCorrectedData(
            user_id=corrected.user_id, cedula="7200000001", corrected_by=ADMIN
        ),
    )
    request = correction.caused(
        ValidationRequested,
        producer="tests",
        occurred_at=at(10),
        data=ValidationRequestedData(
            user_id=corrected.user_id,
            cedula="7200000001",
            reason=ValidationReason.REFRESH,
            requested_by=ADMIN,
        ),
    )
    answer = CedulaValidated(
        producer="tests",
        occurred_at=at(12),
        data=CedulaValidatedData(
            user_id=corrected.user_id,
            cedula="7200000001",
            request_id=request.event_id,
            attempt=1,
            source="wsp",
            status=CensusStatus.ACTIVE,
            voting_place=COROZAL,
            fetched_at=at(12),
        ),
    )
    edit = UserEditedByAdmin(
        producer="tests",
        occurred_at=at(11),
        data=UserEditedByAdminData(
            user_id=edited.user_id,
            nombre="Nombre Corregido",
            telefono=edited.telefono,
            referral_goal=30,
            changed=["nombre", "referral_goal"],
            edited_by=ADMIN,
        ),
    )
    hand_overs = [
        ReferralHandedOver(
            producer="tests",
            occurred_at=at(13),
            data=ReferralHandedOverData(
                user_id=data.user_id, from_leader_id=old, to_leader_id=new, handed_over_by=ADMIN
            ),
        )
        for data in moved
    ]
    return [correction, request, edit, answer, *hand_overs]


def campaign() -> tuple[list[Event], list[UserRegistered], UUID, UUID]:
    old, new = person(1, Role.LEADER), person(2, Role.LEADER)
    people = [person(10 + n, referrer=old.data.user_id) for n in range(5)]
    answers = [validated(p).model_copy(update={"occurred_at": at(5)}) for p in (old, new, *people)]
    later = administration(old.data.user_id, new.data.user_id, people)
    return [old, new, *people, *answers, *later], people, old.data.user_id, new.data.user_id


async def read_tables(engine: AsyncEngine) -> dict[str, set[tuple]]:
    async with engine.connect() as conn:
        found = {}
        for name in READ_MODEL_TABLES:
            if name != "projection_positions":
                rows = await conn.exec_driver_sql(f"SELECT * FROM {name}")
                found[name] = {tuple(row) for row in rows}
        return found


async def test_any_order_of_topics_batches_and_redeliveries_gives_the_same_tables(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    one_by_one, batched = engines
    events, *_ = campaign()
    records = as_consumed(events)
    projector = Projector(one_by_one)
    for item in records:  # as produced: the live order
        await projector.project(item)
    expected = await read_tables(one_by_one)
    for item in records:  # redelivered: nothing more
        assert not await projector.project(item)
    assert row_differences(expected, await read_tables(one_by_one)) == {}
    for order in (per_topic(records), *(interleaved(records, seed) for seed in range(3))):
        async with batched.begin() as conn:
            for table in (*READ_MODEL_TABLES,):
                await conn.exec_driver_sql(f"DELETE FROM {table}")
        half = len(order) // 2
        await apply_in_one_transaction(batched, order[:half])
        await apply_in_one_transaction(batched, order[half:])
        differences = row_differences(expected, await read_tables(batched))
        assert differences == {}, pprint.pformat(differences)


async def test_the_corrected_person_has_the_new_answer_and_the_old_one_is_nobodys(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    engine, _ = engines
    events, people, *_ = campaign()
    corrected = people[1].data.user_id
    await apply_in_one_transaction(engine, per_topic(as_consumed(events)))
    async with engine.connect() as conn:
        row = await user_census_row(conn, corrected)
        members = {r.cedula: r for r in await conn.execute(select(voting_place_members))}
        history = (
            await conn.execute(
                select(user_history.c.kind).where(user_history.c.user_id == corrected)
            )
        ).scalars()
    assert row is not None and row["cedula"] == "7200000001"
    assert (row["status"], row["municipio"]) == ("ACTIVE", "COROZAL")
    assert people[1].data.cedula not in members  # the old cédula counts for nobody
    assert members["7200000001"].user_id == corrected
    assert sorted(history) == ["UserCedulaCorrected", "UserRegistered"]


async def test_a_new_lookup_shows_pending_until_its_answer(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    engine, _ = engines
    events, people, *_ = campaign()
    unanswered = [
        e for e in events if not (isinstance(e, CedulaValidated) and e.data.cedula == "7200000001")
    ]
    await apply_in_one_transaction(engine, as_consumed(unanswered))
    async with engine.connect() as conn:
        row = await user_census_row(conn, people[1].data.user_id)
    assert row is not None and (row["status"], row["puesto"]) == ("PENDING", None)


async def test_handed_over_referrals_belong_to_the_new_leader_who_referred_them_stays(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    engine, _ = engines
    events, people, old, new = campaign()
    await apply_in_one_transaction(engine, as_consumed(events))
    async with engine.connect() as conn:
        rows = {
            r.user_id: r
            for r in await conn.execute(
                select(users.c.user_id, users.c.referrer_id, users.c.original_referrer_id)
            )
        }
        leaders = {r.user_id: r.leader_id for r in await conn.execute(select(voting_place_members))}
        edited = (
            await conn.execute(
                select(users.c.nombre, users.c.referral_goal).where(
                    users.c.user_id == people[0].data.user_id
                )
            )
        ).one()
        pending = await conn.scalar(
            select(census_status.c.status).where(census_status.c.cedula == people[2].data.cedula)
        )
    for moved in people[2:4]:
        assert (
            rows[moved.data.user_id].referrer_id,
            rows[moved.data.user_id].original_referrer_id,
        ) == (new, old)
        assert leaders[moved.data.user_id] == new  # counted under the new leader
    assert rows[people[4].data.user_id].referrer_id == old
    assert tuple(edited) == ("Nombre Corregido", 30)
    assert pending == "ACTIVE"  # a hand-over leaves the census alone
