"""A campaign at full size in the web's read model: 100,000 users (an admin, one leader with 5,000
referidos, the rest spread over other leaders), each with a census row, Spanish names with
accents, and a logged-in session for the admin and the big leader. Rows are written in batches
straight into the migrated tables (projecting 100,000 events one by one would take minutes and
measure the projector, not the pages)."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert, text

from schemas.events import Role, UserRegistered, UserRegisteredData
from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.adapters.tables import census_status, users
from services.web.auth.session_store import PostgresSessionStore
from services.web.bootstrap import MIGRATIONS
from tests.support.web_sessions import session_data

SESSION_COOKIE = "censo_sesion"
FIRST_NAMES = ("José", "María", "Ana", "Luis", "Sofía", "Iván", "Andrés", "Lucía", "Óscar", "Inés")
LAST_NAMES = ("Pérez", "Gómez", "Núñez", "Ramírez", "Martínez", "Díaz", "Rodríguez", "Suárez")
STATUSES = (
    ("ACTIVE", 80),
    ("NOT_FOUND", 8),
    ("CANCELLED_DECEASED", 2),
    ("ERROR", 5),
    ("PENDING", 5),
)
BATCH = 5_000


@dataclass(frozen=True)
class Campaign:
    users: int
    big_leader_referrals: int
    admin_cookie: str
    leader_cookie: str
    a_cedula: str  # of one of the big leader's referidos


def _person(n: int, role: str, referrer: UUID | None, at: datetime) -> dict[str, Any]:
    rng = random.Random(n)
    return {
        "user_id": uuid4(),
        "cedula": str(1_000_000 + n * 7),
        "nombre": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
        "telefono": f"300{n:07d}",
        "referrer_id": referrer,
        "referral_code": f"P{n:07d}",
        "referral_goal": 100,
        "role": role,
        "registered_at": at,
        "updated_at": at,
    }


def _census(person: dict[str, Any], n: int) -> dict[str, Any]:
    status = random.Random(-n).choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    place = n % 1_000  # 1,000 puestos
    return {
        "cedula": person["cedula"],
        "user_id": person["user_id"],
        "status": status,
        "departamento": "SUCRE" if status == "ACTIVE" else None,
        "municipio": f"MUNICIPIO {place % 26}" if status == "ACTIVE" else None,
        "puesto": f"PUESTO {place}" if status == "ACTIVE" else None,
        "mesa": str(n % 30 + 1) if status == "ACTIVE" else None,
        "attempt": 1,
        "updated_at": person["updated_at"],
    }


def _people(count: int, leader_referrals: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The admin, the big leader and their referidos, then leaders of 1,000 each."""
    start = datetime(2026, 6, 1, tzinfo=UTC)
    admin = _person(0, Role.ADMIN.value, None, start)
    leader = _person(1, Role.LEADER.value, None, start)
    people, referrer = [admin, leader], leader["user_id"]
    for n in range(2, count):
        if n >= leader_referrals + 2 and (n - leader_referrals - 2) % 1_000 == 0:
            other = _person(n, Role.LEADER.value, None, start + timedelta(seconds=n))
            people.append(other)
            referrer = other["user_id"]
            continue
        people.append(_person(n, Role.USER.value, referrer, start + timedelta(seconds=n)))
    return people, leader


async def populate(database_url: str, count: int, leader_referrals: int) -> Campaign:
    people, leader = _people(count, leader_referrals)
    engine = make_engine(database_url)
    try:
        await migrate(engine, MIGRATIONS)
        async with engine.begin() as conn:
            for i in range(0, len(people), BATCH):
                chunk = people[i : i + BATCH]
                await conn.execute(insert(users), chunk)
                await conn.execute(
                    insert(census_status), [_census(p, i + j) for j, p in enumerate(chunk)]
                )
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE users"))
            await conn.execute(text("ANALYZE census_status"))
        store = PostgresSessionStore()
        store.bind(engine)
        cookies = []
        for person in (people[0], leader):
            session_id = secrets.token_hex(16)
            await store.set(session_id, session_data(_registered(person)), 86_400)
            cookies.append(f"{SESSION_COOKIE}={session_id}")
    finally:
        await engine.dispose()
    return Campaign(len(people), leader_referrals, cookies[0], cookies[1], people[2]["cedula"])


def _registered(person: dict[str, Any]) -> UserRegistered:
    return UserRegistered(
        producer="bench",
        data=UserRegisteredData(**{k: v for k, v in person.items() if k != "updated_at"}),
    )
