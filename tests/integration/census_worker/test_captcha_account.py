"""The captcha account against the simulator's 2captcha API: the balance it reports, and a worker
process whose key the service refuses stops at start with one line and exit 1."""

from __future__ import annotations

import os
import subprocess

import httpx
import pytest

from services.census_worker.lookup.captcha.solver import CaptchaRejected, TwoCaptchaSolver
from tests.integration.census_worker.support import StartSimulator
from tests.support.processes import CENSO


def solver(base_url: str, http: httpx.AsyncClient, key: str) -> TwoCaptchaSolver:
    return TwoCaptchaSolver(http, api_key=key, base_url=base_url)


async def test_the_balance_is_what_the_service_reports(
    start_simulator: StartSimulator, http: httpx.AsyncClient
) -> None:
    base_url = start_simulator(captcha_balance=3.25)

    assert await solver(base_url, http, "test-key").balance() == 3.25
    assert await solver(base_url, http, "zero-balance").balance() == 0.0
    with pytest.raises(CaptchaRejected, match="ERROR_KEY_DOES_NOT_EXIST"):
        await solver(base_url, http, "unknown-key").balance()


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("unknown-key", "the API key does not exist (CENSUS_CAPTCHA_API_KEY)"),
        ("", "the API key is malformed (CENSUS_CAPTCHA_API_KEY)"),
        ("zero-balance", "the account has no balance left (0): top it up"),
    ],
)
def test_a_worker_whose_key_is_refused_stops_at_start_with_one_line(
    simulator_url: str, key: str, reason: str
) -> None:
    env = {
        **os.environ,
        "CENSUS_WSP_URL": f"{simulator_url}/censo/consultar/",
        "CENSUS_CAPTCHA_BASE_URL": simulator_url,
        "CENSUS_CAPTCHA_API_KEY": key,
        "WORKER_METRICS_PORT": "0",
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",  # never reached: the account is checked first
    }

    done = subprocess.run(
        [CENSO, "worker", "run"], env=env, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("census worker not started: captcha service: ")
    assert reason in line
