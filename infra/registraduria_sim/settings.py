"""Settings of the Registraduría simulator, read from `SIM_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SimulatorSettings(BaseSettings):
    """How the simulated site and its 2captcha API behave; every fault is off by default."""

    model_config = SettingsConfigDict(env_prefix="SIM_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Interface `python -m` binds to.")
    port: int = Field(default=8700, ge=0, le=65535, description="Port `python -m` binds to.")
    latency_ms: int = Field(
        default=0,
        ge=0,
        description="Delay added to every page GET, consulta POST and consultacenso API call.",
    )
    captcha_solve_ms: int = Field(
        default=0, ge=0, description="How long a 2captcha task answers CAPCHA_NOT_READY."
    )
    captcha_token_ttl_s: float = Field(
        default=120.0, gt=0, description="How long a solved captcha token stays valid (one use)."
    )
    captcha_balance: float = Field(
        default=10.5,
        ge=0,
        description="Balance `res.php?action=getbalance` reports (the `zero-balance` key: 0).",
    )
    session_ttl_s: float = Field(
        default=1440.0, gt=0, description="Idle life of a PHPSESSID session and its nonce."
    )
    max_entries: int = Field(
        default=50_000, ge=10, description="Cap on stored sessions and on captcha tasks/tokens."
    )
    request_log: bool = Field(
        default=False,
        description="Record every request and serve the record at GET /_sim/requests (tests).",
    )
    firewall_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of POSTs answered with the F5 firewall page.",
    )
    firewall_on_get: bool = Field(
        default=False, description="Apply `firewall_rate` to the GET of the page as well."
    )
    firewall_status: int = Field(
        default=200,
        ge=200,
        le=599,
        description="HTTP status of the firewall page (the real site uses 200 or 500).",
    )
    get_error_rate: float = Field(
        default=0.0, ge=0.0, le=1.0, description="Share of page GETs answered with HTTP 500."
    )
    reload_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description='Share of POSTs answered {"success": false, "reload": true} before any check.',
    )
    upstream_timeout_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of accepted POSTs answered with the 'Curl error: ... timed out' text.",
    )
    hang_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of accepted POSTs that sleep `hang_s` and then answer HTTP 504.",
    )
    hang_s: float = Field(default=120.0, ge=0, description="How long a hanging POST sleeps.")
    captcha_error_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of 2captcha tasks that end in ERROR_CAPTCHA_UNSOLVABLE.",
    )
    not_found_as_success: bool = Field(
        default=True,
        description="Send 'not in census' with success true (else false); the real one is unknown.",
    )
    data_file: Path | None = Field(
        default=None, description="Census JSON replacing the packaged data/census.json."
    )
    seed: int | None = Field(default=None, description="Seed of the fault dice; None = random.")
    page_weight: Literal["light", "real"] = Field(
        default="light",
        description="`real`: the pages load stand-ins of the real site's stylesheets, fonts, "
        "scripts, images and reCAPTCHA script (infra/registraduria_sim/page_weight.py).",
    )
    third_party_host: str = Field(
        default="localhost",
        description="Host name the reCAPTCHA stand-in is loaded from (this same server under "
        "another name, so the browser sees it as third-party).",
    )
    consultacenso_prefix: str = Field(
        default="/consultacenso",
        pattern=r"^(/[A-Za-z0-9._-]+)*$",
        description="Path of the `consultacenso` page; its API is under <prefix>/back/api/ "
        "('' serves it at the root, as the real host does).",
    )
    consultacenso_upper_keys: bool = Field(
        default=False,
        description="Send the keys of the consultacenso API's JSON answers upper-cased.",
    )
    consultacenso_captcha_error: str = Field(
        default="Token de captcha inválido o expirado.",
        description="`error` of a refused captcha on consultacenso (the real wording is unknown).",
    )
    consultacenso_timeout_error: str = Field(
        default="Tiempo de espera agotado consultando el censo. Intente nuevamente.",
        description="`error` of an upstream timeout on consultacenso (real wording unknown).",
    )
