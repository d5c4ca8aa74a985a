"""Fixtures to drive the simulator over HTTP in-process: clients, pages, captchas, consultas."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
from litestar.testing import AsyncTestClient

from infra.registraduria_sim.app import create_app
from infra.registraduria_sim.form import PAGE_PATH, SITEKEY
from infra.registraduria_sim.settings import SimulatorSettings

Client = AsyncTestClient
_TOKEN = re.compile(r'id="token" name="token" value="([0-9a-f]{32})"')


@pytest.fixture
def simulator() -> Callable[..., AbstractAsyncContextManager[Client]]:
    """`async with simulator(hang_s=0.1) as client:` a client of a fresh app with those settings."""

    @asynccontextmanager
    async def start(**settings: object) -> AsyncIterator[Client]:
        app = create_app(SimulatorSettings(seed=7, **settings))
        async with AsyncTestClient(app=app) as client:
            yield client

    return start


@pytest.fixture
async def client(simulator) -> AsyncIterator[Client]:
    async with simulator() as started:
        yield started


@pytest.fixture
def open_page() -> Callable[[Client], Awaitable[str]]:
    """GET the page like a browser and return the nonce of its `token` field."""

    async def open_(client: Client) -> str:
        response = await client.get(PAGE_PATH)
        assert response.status_code == 200
        match = _TOKEN.search(response.text)
        assert match is not None
        return match.group(1)

    return open_


@pytest.fixture
def solve_captcha() -> Callable[..., Awaitable[str]]:
    """Solve a reCAPTCHA through the simulator's 2captcha API and return the token."""

    async def solve(client: Client, sitekey: str = SITEKEY) -> str:
        task = {"key": "test-key", "method": "userrecaptcha", "googlekey": sitekey, "json": "1"}
        created = (await client.post("/in.php", data={**task, "pageurl": PAGE_PATH})).json()
        assert created["status"] == 1, created
        query = {"key": "test-key", "action": "get", "id": created["request"], "json": "1"}
        answer = (await client.get("/res.php", params=query)).json()
        assert answer["status"] == 1, answer
        return answer["request"]

    return solve


@pytest.fixture
def consultar(open_page, solve_captcha) -> Callable[..., Awaitable]:
    """Open the page, solve a captcha and POST the consulta multipart, as the page's script does."""

    async def consult(client: Client, nuip: str, tipo: str = "-1"):
        nonce = await open_page(client)
        token = await solve_captcha(client)
        fields = {"nuip": nuip, "tipo": tipo, "token": nonce, "g-recaptcha-response": token}
        return await post_multipart(client, fields)

    return consult


async def post_multipart(client: Client, fields: dict[str, str]):
    files = {name: (None, value) for name, value in fields.items()}
    return await client.post(PAGE_PATH, files=files, headers={"X-Requested-With": "XMLHttpRequest"})


@pytest.fixture
def post_form() -> Callable[..., Awaitable]:
    return post_multipart
