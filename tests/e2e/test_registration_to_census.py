"""A registration travels the whole pipe: registration → outbox → Kafka → worker → Chromium →
simulator → Kafka → web projector → PostgreSQL → the web's JSON API."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from typing import Any

import httpx
import pytest

from infra.registraduria_sim import outcome_for
from schemas.topics import ACCOUNTS
from tests.reliability.support import query
from tests.support.kafka import read_topic
from tests.support.processes import CENSO
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e


def register(stack: Stack, cedula: str, nombre: str = "Ana María Pérez") -> dict[str, Any]:
    response = httpx.post(
        stack.url("registration", "/api/users"),
        json={
            "cedula": cedula,
            "nombre": nombre,
            "telefono": "3001234567",
            "password": "Girasol-2026",
            "data_policy_accepted": True,
        },
        headers={"authorization": f"Bearer {stack.env['REGISTRATION_SERVICE_TOKEN']}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def wait_for_census(
    stack: Stack, user_id: str, final: set[str], timeout_s: float = 30.0
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {stack.env['WEB_API_TOKEN']}"}
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        response = httpx.get(stack.url("web", f"/api/users/{user_id}/census"), headers=headers)
        if response.status_code == 200:
            last = response.json()
            if last["status"] in final:
                return last
        time.sleep(0.2)
    raise AssertionError(f"census of {user_id} still {last!r} after {timeout_s} s\n{stack.logs()}")


def test_registered_cedula_shows_active_with_its_voting_place(stack: Stack) -> None:
    started = time.monotonic()
    user = register(stack, "1.102.812.122")

    census = wait_for_census(stack, user["id"], {"ACTIVE", "NOT_FOUND", "ERROR", "BLOCKED"})

    assert census["status"] == "ACTIVE", census
    assert census["cedula"] == "1102812122"
    assert census["voting_place"] == {
        "departamento": "SUCRE",
        "municipio": "SINCELEJO",
        "puesto": "IE SAN JOSE C I P",
        "direccion": "CL 22 No. 10A-380",
        "mesa": "13",
    }
    assert time.monotonic() - started < 10


def test_census_answers_survive_a_restart_of_every_service(stack: Stack) -> None:
    deceased = "17100200"
    assert outcome_for(deceased).novedad is not None
    user = register(stack, deceased, nombre="José Núñez")
    before = wait_for_census(stack, user["id"], {"CANCELLED_DECEASED", "ERROR", "BLOCKED"})
    assert before["status"] == "CANCELLED_DECEASED"
    assert "MUERTE" in before["novedad"]["novedad"].upper()

    stack.stop_all()
    stack.start_all()

    after = wait_for_census(stack, user["id"], {"CANCELLED_DECEASED"})
    assert after == before


async def test_a_malformed_cedula_is_refused_in_spanish_and_nothing_is_published(
    stack: Stack,
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            stack.url("registration", "/api/users"),
            json={
                "cedula": "01234",
                "nombre": "Ana Gómez",
                "telefono": "3001234567",
                "password": "Girasol-2026",
                "data_policy_accepted": True,
            },
            headers={"authorization": f"Bearer {stack.env['REGISTRATION_SERVICE_TOKEN']}"},
        )
    assert response.status_code == 422
    assert "cédula" in response.text.lower()
    published = await read_topic(stack.env["KAFKA_BOOTSTRAP_SERVERS"], ACCOUNTS.name)
    bodies = [record.value or b"" for record in published]
    assert not [body for body in bodies if b'"01234"' in body or b'"1234"' in body]


def test_the_census_capacity_reaches_the_web_and_the_operators_command(stack: Stack) -> None:
    """The worker's report (census.status) after a real lookup: projected by the web, where
    Operación reads it, and read from Kafka by `censo ops status`."""
    user = register(stack, "1.102.812.122")
    wait_for_census(stack, user["id"], {"ACTIVE", "NOT_FOUND", "ERROR", "BLOCKED"})
    deadline, report = time.monotonic() + 60, None
    while time.monotonic() < deadline:
        rows = asyncio.run(
            query(stack.env["WEB_DATABASE_URL"], "SELECT report FROM census_capacity")
        )
        report = json.loads(rows[0]["report"]) if rows else None
        hosts = {h["host"]: h for h in (report or {}).get("data", report or {}).get("hosts", [])}
        if hosts.get("wsp", {}).get("turns_last_hour", 0) >= 1:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"no report with a used turn at wsp: {report!r}\n{stack.logs()}")
    status = subprocess.run(
        [CENSO, "ops", "status", "--json"],
        env={**os.environ, **stack.env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert '"wsp"' in status.stdout
