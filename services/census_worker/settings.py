"""Settings of the census worker, read from the environment with development defaults.

`LookupSettings` covers the census lookup (site, captcha service, browser); `WorkerSettings` how
the worker takes work from Kafka, retries it and stays polite.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SourceName = Literal["wsp", "consultacenso"]
DOMAIN = "registraduria.gov.co"  # the real site's hosts end with it
WSP_SITEKEY = "6LcthjAgAAAAAFIQLxy52074zanHv47cIvmIHglH"
CONSULTACENSO_SITEKEY = "6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM"
# Durations as operators write them (`24h`); plain seconds and ISO 8601 are pydantic's own.
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([smhd]?)")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class LookupSettings(BaseSettings):
    """How one cédula is looked up in the Registraduría's census."""

    model_config = SettingsConfigDict(env_prefix="CENSUS_", extra="ignore")

    source: SourceName = Field(
        default="wsp",
        description="Which variant of the Registraduría's lookup site to use (when `sources` "
        "is not set).",
    )
    sources: Annotated[tuple[SourceName, ...], NoDecode] = Field(
        default=(),
        description="Variants in rotation, in order of preference (`wsp,consultacenso`); each "
        "is a census host with its own budget. Empty: just `source`.",
    )
    wsp_url: str = Field(
        default="https://wsp.registraduria.gov.co/censo/consultar/",
        description="Page of the `wsp` lookup (the simulator's /censo/consultar/ in development).",
    )
    wsp_sitekey: str = Field(
        default=WSP_SITEKEY,
        description="reCAPTCHA sitekey used when the page does not show one in div.g-recaptcha.",
    )
    consultacenso_url: str = Field(
        default="https://consultacenso.registraduria.gov.co/",
        description="Page of the `consultacenso` lookup (the simulator's /consultacenso/ in "
        "development); its API is <page>/back/api/.",
    )
    consultacenso_sitekey: str = Field(
        default=CONSULTACENSO_SITEKEY,
        description="reCAPTCHA sitekey of consultacenso, used when its page does not show one.",
    )
    max_reloads: int = Field(
        default=2, ge=0, le=5, description="Page reloads when the site answers `reload: true`."
    )
    captcha_base_url: str = Field(
        default="https://2captcha.com",
        description="Base URL of the 2captcha-compatible API (the simulator in development).",
    )
    captcha_api_key: SecretStr = Field(
        default=SecretStr(""), description="API key of the captcha-solving service."
    )
    captcha_poll_interval_s: float = Field(
        default=5.0, gt=0, description="Pause between two polls of res.php for a solved token."
    )
    captcha_solve_timeout_s: float = Field(
        default=180.0, gt=0, description="Give up on a captcha not solved within this time."
    )
    captcha_pool_size: int = Field(
        default=0,
        ge=0,
        le=20,
        description="Tokens kept solved ahead of time (0 disables; every pooled token is paid for, "
        "used or not).",
    )
    captcha_token_max_age_s: float = Field(
        default=90.0,
        gt=0,
        description="Discard pooled tokens older than this (the site accepts them ~120 s).",
    )
    captcha_price_per_1000: float = Field(
        default=2.99,
        ge=0,
        description="Price of 1000 solved captchas (2captcha's reCAPTCHA v2: 2.99 USD), for the "
        "estimated spend.",
    )
    captcha_low_balance: float = Field(
        default=5.0,
        ge=0,
        description="Below this balance of the captcha account the worker logs a warning (once).",
    )
    captcha_balance_check_interval_s: float = Field(
        default=600.0, gt=0, description="How often the worker reads the captcha account's balance."
    )
    chromium_path: str = Field(
        default="/usr/bin/chromium", description="Chromium executable Playwright launches."
    )
    headless: bool = Field(default=True, description="Run Chromium without a window.")
    max_concurrent_lookups: int = Field(
        default=4, ge=1, le=64, description="Lookups (browser contexts) open at once per worker."
    )
    page_timeout_s: float = Field(
        default=30.0, gt=0, description="Timeout of every browser action (navigation, click, wait)."
    )
    recycle_after_lookups: int = Field(
        default=500, ge=1, description="Restart Chromium after this many lookups (memory hygiene)."
    )
    browser_max_rss_mb: int = Field(
        default=1500,
        ge=0,
        description="Recycle Chromium when its processes' resident memory adds up to more than "
        "this (MB); 0 disables the check.",
    )
    browser_memory_check_interval_s: float = Field(
        default=30.0,
        ge=0,
        description="Read Chromium's memory at most this often (0 = before every lookup).",
    )
    block_unneeded: bool = Field(
        default=True,
        description="Do not load what a lookup never uses: images, fonts, media, Google's "
        "reCAPTCHA widget (the token is solved elsewhere and injected) and analytics.",
    )
    stealth: bool = Field(
        default=False,
        description="Hide automation traces from the site (playwright-stealth's evasions, or "
        "just navigator.webdriver when that library is missing).",
    )
    user_agent: str | None = Field(
        default=None,
        description="User agent of every browser context; None = desktop Chrome of the launched "
        "Chromium's version (the headless default trips the site's firewall).",
    )

    @field_validator("sources", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @property
    def rotation(self) -> tuple[SourceName, ...]:
        """The variants the worker uses, in order of preference, without repeats."""
        return tuple(dict.fromkeys(self.sources or (self.source,)))

    @property
    def live(self) -> bool:
        """Live mode: a page in rotation is the Registraduría's own site (not the simulator)."""
        hosts = (urlsplit(self.page_url_of(name)).hostname or "" for name in self.rotation)
        return any(h == DOMAIN or h.endswith("." + DOMAIN) for h in hosts)

    @property
    def page_url(self) -> str:
        """The lookup page of the preferred variant."""
        return self.page_url_of(self.rotation[0])

    @property
    def sitekey(self) -> str:
        """The fallback reCAPTCHA sitekey of the preferred variant."""
        return self.sitekey_of(self.rotation[0])

    def page_url_of(self, variant: SourceName) -> str:
        return self.consultacenso_url if variant == "consultacenso" else self.wsp_url

    def sitekey_of(self, variant: SourceName) -> str:
        return self.consultacenso_sitekey if variant == "consultacenso" else self.wsp_sitekey


class WorkerSettings(BaseSettings):
    """How the worker takes work from Kafka (the lookup itself is `LookupSettings`)."""

    # populate_by_name: `fresh_for=` in code, CENSUS_FRESH_FOR in the environment.
    model_config = SettingsConfigDict(env_prefix="WORKER_", extra="ignore", populate_by_name=True)

    group_id: str = Field(
        default="census-worker", description="Kafka consumer group of the workers."
    )
    registration_url: str = Field(
        default="http://127.0.0.1:8100",
        description="The registration API, which gives the people's keys that open sealed "
        "requests (and seal their answers).",
    )
    registration_service_token: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("REGISTRATION_SERVICE_TOKEN", "registration_service_token"),
        description="Bearer token for the registration API (REGISTRATION_SERVICE_TOKEN, as the "
        "web's). Empty: no keys, so sealed requests wait until it is set.",
    )
    unread_lookback_s: float = Field(
        default=86_400.0,
        ge=0,
        description="A partition of accounts.events or census.requests(.bulk) the group has no "
        "committed offset for (a new group, or one idle longer than the brokers keep offsets) "
        "starts at its first record this recent, never at the beginning of history; 0: only "
        "what arrives from then on.",
    )
    partitions_in_parallel: int = Field(
        default=4,
        ge=1,
        le=16,
        description="Partitions of each input topic worked on at once (order holds per cédula).",
    )
    graceful_timeout_s: float = Field(
        default=60.0, gt=0, description="Time in-flight lookups get to finish at shutdown."
    )
    retry_delays_s: tuple[float, ...] = Field(
        default=(60.0, 300.0, 900.0),
        description="Wait after failed attempt n before attempt n+1 (one retry topic per level).",
    )
    max_attempts: int = Field(
        default=3,
        ge=1,
        le=4,
        description="Lookups of one request before it goes to the dead-letter topic.",
    )
    min_interval_s: float = Field(
        default=5.0, ge=0, description="Minimum time between two lookups at the census host."
    )
    blocked_cooldown_s: float = Field(
        default=30.0, ge=0, description="Pause after a BLOCKED answer; doubles while they repeat."
    )
    blocked_cooldown_max_s: float = Field(
        default=900.0, ge=0, description="Longest pause after repeated BLOCKED answers."
    )
    database_url: str = Field(
        default="postgresql+asyncpg://censo@127.0.0.1:5433/census_worker",
        description="The worker's own database: the census hosts' shared politeness budget.",
    )
    turn_lease_s: float = Field(
        default=15.0,
        gt=0,
        description="A worker holding a host's turn must start its lookup within this; a dead "
        "worker's turn is taken over after it.",
    )
    turn_guard_s: float = Field(
        default=0.02,
        ge=0,
        description="Added to the interval after each turn: absorbs the difference in delivery "
        "delays between two lookups' first requests.",
    )
    circuit_threshold: int = Field(
        default=5,
        ge=1,
        validation_alias="CENSUS_CIRCUIT_THRESHOLD",
        description="Unclassifiable answers of a host in a row (its page changed) that open its "
        "circuit: no lookups and no captcha for it until an operator resumes it.",
    )
    report_interval_s: float = Field(
        default=5.0,
        gt=0,
        description="How often one of the workers publishes the hosts' capacity on census.status.",
    )
    migrate_on_start: bool = Field(
        default=True, description="Run the worker database's migrations at start-up."
    )
    metrics_host: str = Field(default="127.0.0.1", description="Address of the metrics endpoint.")
    metrics_port: int = Field(
        default=9400, ge=0, description="Port of the Prometheus metrics endpoint (0: none)."
    )
    fresh_for: timedelta = Field(
        default=timedelta(hours=24),
        validation_alias="CENSUS_FRESH_FOR",
        description="A re-check nobody asked for explicitly (a sign-up of a cédula already "
        "answered, a revalidation, a retry or redrive) is answered without a lookup from a final "
        "answer this recent: seconds, `90s`, `30m`, `24h`, `2d` or ISO 8601 (`PT24H`); 0 disables.",
    )

    @field_validator("fresh_for", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        if isinstance(value, str) and (match := _DURATION.fullmatch(value.strip())):
            return timedelta(seconds=float(match[1]) * _UNIT_S[match[2]])
        return value
