"""The registration database goes away under the API: clear 503s in Spanish, nothing
half-written, and the API serves again on its own when the database is back."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx

from tests.reliability.support import (
    ScenarioResult,
    StoppablePostgres,
    cedulas,
    fast_registration_env,
    query,
    register,
    size,
    wait_until,
)
from tests.support.infra import free_port
from tests.support.processes import ServiceProcess

ORPHANS = """
SELECT count(*) AS n FROM users u WHERE NOT EXISTS (
  SELECT 1 FROM outbox o WHERE o.event_type = 'UserRegistered'
  AND o.key = convert_to(u.id::text, 'UTF8'))
"""


async def test_registration_database_outage(
    scenario: ScenarioResult,
    stoppable_postgres: StoppablePostgres,
    reliability_kafka: str,
    tmp_path: Path,
) -> None:
    """Registration database stopped under the API"""
    outage_requests = int(size("registration_outage_requests", 20, 100))
    url = stoppable_postgres.database("registration")
    port, token = free_port(), secrets.token_urlsafe(16)
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": reliability_kafka,
        "REGISTRATION_DATABASE_URL": url,
        "REGISTRATION_PORT": str(port),
        "REGISTRATION_SERVICE_TOKEN": token,
        "PYTHONUNBUFFERED": "1",
        **fast_registration_env(),
    }
    api = ServiceProcess("registration", ["registration", "serve"], env, tmp_path).start()
    base = f"http://127.0.0.1:{port}"
    try:
        api.wait_http(f"{base}/health")
        numbers = iter(cedulas(10 * outage_requests + 20, start=4_000_000))
        with httpx.Client() as client:
            before = [register(client, base, token, next(numbers)) for _ in range(5)]
            assert [r.status_code for r in before] == [201] * 5, before[-1].text

            stoppable_postgres.stop()
            during = [register(client, base, token, next(numbers)) for _ in range(outage_requests)]
            health = client.get(f"{base}/health")
            stoppable_postgres.start()

            assert {r.status_code for r in during} == {503}, [r.text for r in during[:3]]
            detail = during[0].json()["detail"]
            assert "base de datos" in detail.lower() and "intente" in detail.lower(), detail
            assert health.status_code == 503

            async def serves_again() -> bool:
                return register(client, base, token, next(numbers)).status_code == 201

            await wait_until(serves_again, 60, "the API registers again", interval_s=0.5)
            after = [register(client, base, token, next(numbers)) for _ in range(5)]
            assert [r.status_code for r in after] == [201] * 5, after[-1].text
    finally:
        api.stop()

    users = (await query(url, "SELECT count(*) AS n FROM users"))[0]["n"]
    orphans = (await query(url, ORPHANS))[0]["n"]
    assert orphans == 0
    # The 503 registrations wrote nothing: only the accepted ones (and the probe) are stored.
    accepted = 5 + 5 + 1
    assert users == accepted, f"{users} users stored, {accepted} accepted"
    scenario.injected = "registration PostgreSQL stopped, then started again"
    scenario.checked = (
        "503 with a Spanish message for every request during the outage; /health 503; "
        "no user without its UserRegistered outbox row; no row from a refused request; "
        "registrations accepted again without restarting the API"
    )
    scenario.sizes = {"requests_during_outage": outage_requests}
    scenario.sent = accepted + outage_requests
    scenario.delivered = users
    scenario.notes = f"{outage_requests} requests refused with 503: «{detail}»"
