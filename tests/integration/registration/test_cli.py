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
from tests.integration.registration.support import new_cedula
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
    assert code == 0 and "administrador creado" in out and cedula not in out
    again = await finished(cli("admin_app", *admin, **env, CENSO_ADMIN_PASSWORD="Clave-Admin-26"))
    assert again[0] == 1 and "Cédula: ya existe" in again[2]

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
