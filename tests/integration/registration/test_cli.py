"""The command line: migrate, admin create (never with a default password), serve."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
from sqlalchemy import text

from services.common.db import make_engine
from tests.support.accounts import new_cedula
from tests.support.infra import free_port

APPS = "from services.registration.cli import app, admin_app; {}()"


def cli(app: str, *args: str, **env: str) -> subprocess.Popen[str]:
    environment = os.environ | {
        "REGISTRATION_ARGON2_MEMORY_COST_KIB": "1024",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-c", APPS.format(app), *args],
        env=environment | env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = await asyncio.to_thread(process.communicate, timeout=60)
    return process.returncode, out, err


async def test_migrate_then_create_the_first_admin(create_database: Callable[[str], str]) -> None:
    url, cedula = create_database("registration_cli"), new_cedula()
    assert (await finished(cli("app", "migrate", REGISTRATION_DATABASE_URL=url)))[0] == 0
    admin = ("create", "--cedula", cedula, "--nombre", "Admin Pérez", "--telefono", "3001112233")
    env = {"REGISTRATION_DATABASE_URL": url, "REGISTRATION_MIGRATE_ON_START": "false"}

    code, out, _ = await finished(
        cli("admin_app", *admin, **env, CENSO_ADMIN_PASSWORD="Clave-Admin-26")
    )
    assert code == 0 and "administrator created" in out and cedula not in out
    again = await finished(cli("admin_app", *admin, **env, CENSO_ADMIN_PASSWORD="Clave-Admin-26"))
    assert again[0] == 1 and "already exists" in again[2]

    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            roles = (await conn.execute(text("SELECT role FROM users"))).scalars().all()
            events = (
                (await conn.execute(text("SELECT convert_from(value, 'UTF8') FROM outbox")))
                .scalars()
                .all()
            )
    finally:
        await engine.dispose()
    assert roles == ["ADMIN"]
    assert len(events) == 1 and '"role":"ADMIN"' in events[0]


async def test_admin_create_without_a_password_creates_nothing(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("registration_cli")
    admin = (
        "create",
        "--cedula",
        new_cedula(),
        "--nombre",
        "Admin Pérez",
        "--telefono",
        "3001112233",
    )
    code, _, err = await finished(cli("admin_app", *admin, REGISTRATION_DATABASE_URL=url))
    assert code == 1 and "Abort" in err  # the prompt reads no input: nothing is created


async def test_serve_answers_health_on_the_configured_port(registration_db: str) -> None:
    port = free_port()
    server = cli(
        "app", "serve", REGISTRATION_DATABASE_URL=registration_db, REGISTRATION_PORT=str(port)
    )
    try:
        deadline, status = time.monotonic() + 30, None
        async with httpx.AsyncClient() as client:
            while status != 200 and time.monotonic() < deadline and server.poll() is None:
                try:
                    status = (await client.get(f"http://127.0.0.1:{port}/health")).status_code
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
        assert status == 200
    finally:
        server.terminate()
        await asyncio.to_thread(server.wait, 20)


async def test_relay_stops_promptly_on_sigterm_while_kafka_is_unreachable(
    create_database: Callable[[str], str],
) -> None:
    """A stop must not wait for Kafka to come back: the unsent row stays for the next relay."""
    url = create_database("registration_cli")
    assert (await finished(cli("app", "migrate", REGISTRATION_DATABASE_URL=url)))[0] == 0
    admin = ("create", "--cedula", new_cedula(), "--nombre", "Admin Pérez", "--telefono")
    created = cli(
        "admin_app",
        *admin,
        "3001112233",
        REGISTRATION_DATABASE_URL=url,
        CENSO_ADMIN_PASSWORD="Clave-Admin-26",
    )
    assert (await finished(created))[0] == 0  # one unsent outbox row now waits for Kafka
    nowhere = f"127.0.0.1:{free_port()}"  # nothing listens there
    await stops_promptly(url, "outbox.relay_leading", KAFKA_BOOTSTRAP_SERVERS=nowhere)
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            unsent = await conn.scalar(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
    finally:
        await engine.dispose()
    assert unsent == 1


async def test_relay_stops_promptly_on_sigterm_while_its_database_is_unreachable() -> None:
    url = f"postgresql+asyncpg://censo@127.0.0.1:{free_port()}/registration"  # no server there
    await stops_promptly(url, "database.waiting")


async def stops_promptly(database_url: str, wait_for: str, **env: str) -> None:
    """Start the relay, wait until it logs `wait_for`, SIGTERM it: exit 0 within 10 s."""
    relay = cli("app", "relay", REGISTRATION_DATABASE_URL=database_url, LOG_LEVEL="INFO", **env)
    try:
        await asyncio.to_thread(_read_until, relay, wait_for)
        relay.terminate()
        started = time.monotonic()
        assert await asyncio.to_thread(relay.wait, 30) == 0
        assert time.monotonic() - started < 10
    finally:
        if relay.poll() is None:
            relay.kill()
            relay.wait()


def _read_until(process: subprocess.Popen[str], marker: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if marker in line:
            return
    raise AssertionError(f"the process ended before logging {marker!r}")


NOWHERE_DB = "postgresql+asyncpg://censo:not-shown@127.0.0.1:9/registration"  # nothing there
QUICK_GIVE_UP = {"REGISTRATION_DATABASE_STARTUP_TIMEOUT_S": "1"}


def last_line(err: str) -> str:
    """What the command said, after any log lines (which start with a timestamp)."""
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


async def test_an_unreachable_database_ends_each_command_with_one_line_and_exit_1() -> None:
    env = {"REGISTRATION_DATABASE_URL": NOWHERE_DB, "CENSO_ADMIN_PASSWORD": "Clave-Admin-26"}
    admin = ("create", "--cedula", new_cedula(), "--nombre", "Admin Pérez", "--telefono")
    commands = [
        cli("app", "migrate", **env, **QUICK_GIVE_UP),
        cli("admin_app", *admin, "3001112233", **env, **QUICK_GIVE_UP),
        cli("app", "serve", **env, **QUICK_GIVE_UP),
    ]
    for command in commands:
        code, _, err = await finished(command)
        assert code == 1
        said = last_line(err)
        assert said.startswith("registration database 127.0.0.1:9/registration out of reach")
        assert "not-shown" not in err


async def test_invalid_admin_fields_are_a_usage_error_told_on_one_line() -> None:
    env = {"REGISTRATION_DATABASE_URL": NOWHERE_DB, "CENSO_ADMIN_PASSWORD": "Clave-Admin-26"}
    admin = ("create", "--cedula", "0123", "--nombre", "A", "--telefono", "3001112233")

    code, _, err = await finished(cli("admin_app", *admin, **env))

    assert code == 2  # told before any database is needed
    assert err.strip() == (
        "censo admin create: Cédula: debe tener entre 3 y 10 dígitos y no empezar por cero. "
        "Nombre completo: debe tener al menos 3 caracteres."
    )


async def test_migrating_to_an_unknown_revision_is_a_usage_error(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("registration_cli")

    code, _, err = await finished(cli("app", "migrate", "9999", REGISTRATION_DATABASE_URL=url))

    assert code == 2 and last_line(err).startswith(
        "censo registration migrate: unknown revision '9999': "
    )


async def test_admin_disable_and_enable_by_cedula_never_the_last_active_admin(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("registration_cli")
    assert (await finished(cli("app", "migrate", REGISTRATION_DATABASE_URL=url)))[0] == 0
    env = {
        "REGISTRATION_DATABASE_URL": url,
        "REGISTRATION_MIGRATE_ON_START": "false",
        "CENSO_ADMIN_PASSWORD": "Clave-Admin-26",
        "CENSO_OPERATOR": "ops-ana",
    }
    first, second = new_cedula(), new_cedula()
    for cedula in (first, second):
        admin = ("create", "--cedula", cedula, "--nombre", "Admin Pérez", "--telefono")
        assert (await finished(cli("admin_app", *admin, "3001112233", **env)))[0] == 0

    disabled = await finished(cli("admin_app", "disable", "--cedula", first, **env))
    again = await finished(cli("admin_app", "disable", "--cedula", first, **env))
    last = await finished(cli("admin_app", "disable", "--cedula", second, **env))
    enabled = await finished(cli("admin_app", "enable", "--cedula", first, **env))
    unknown = await finished(cli("admin_app", "disable", "--cedula", new_cedula(), **env))
    malformed = await finished(cli("admin_app", "disable", "--cedula", "0123", **env))

    assert disabled[0] == 0 and "account disabled" in disabled[1] and first not in disabled[1]
    assert again[0] == 0 and "already disabled" in again[1]
    assert last[0] == 1 and "last active ADMIN" in last_line(last[2])
    assert enabled[0] == 0 and "account enabled" in enabled[1]
    assert unknown[0] == 1 and "no account has this cédula" in last_line(unknown[2])
    assert malformed[0] == 2 and "Cédula:" in last_line(malformed[2])
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            query = (
                "SELECT convert_from(value, 'UTF8') FROM outbox"
                " WHERE event_type <> 'UserRegistered' ORDER BY id"
            )
            events = (await conn.execute(text(query))).scalars().all()
    finally:
        await engine.dispose()
    assert len(events) == 2
    assert '"type":"UserDisabled"' in events[0] and '"operator":"ops-ana"' in events[0]
    assert '"type":"UserEnabled"' in events[1] and '"disabled_by"' not in events[1]
