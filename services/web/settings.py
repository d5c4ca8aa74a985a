"""Settings of the web service, from the environment (prefix WEB_) with development defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.forwarded import Network, parse_networks
from services.common.settings import KafkaSettings


class WebSettings(BaseSettings):
    """The web process: its read-model database, HTTP server, projector, sessions and pages."""

    model_config = SettingsConfigDict(env_prefix="WEB_", extra="ignore", populate_by_name=True)

    environment: Literal["development", "production"] = Field(
        default="development",
        description="`production` refuses to start without WEB_SESSION_SECRET, "
        "REGISTRATION_SERVICE_TOKEN or WEB_SECURE_COOKIES, and does not migrate at start-up.",
    )
    database_url: str = Field(
        default="postgresql+asyncpg://censo@127.0.0.1:5433/web",
        description="SQLAlchemy URL of the read-model database.",
    )
    host: str = Field(default="127.0.0.1", description="Address the HTTP server binds.")
    port: int = Field(default=8000, description="Port of the HTTP server.")
    api_token: SecretStr = Field(
        default=SecretStr(""),
        description="Bearer token of the JSON API (operators, scripts); empty refuses all calls.",
    )
    projector_group_id: str = Field(
        default="web-projector", description="Kafka consumer group of the read-model projector."
    )
    census_worker_group_id: str = Field(
        default="census-worker",
        validation_alias=AliasChoices("WORKER_GROUP_ID", "census_worker_group_id"),
        description="The census workers' consumer group (the same WORKER_GROUP_ID variable the "
        "worker reads): its lag is the lookups waiting on Operación and in `censo ops status`.",
    )
    migrate_on_start: bool | None = Field(
        default=None,
        description="Run the read model's migrations at start-up; unset: yes in development, no "
        "in production (run `censo web migrate` first; the process then only checks the schema).",
    )
    consume: bool = Field(
        default=True, description="Run the projector in this process (off for pure HTTP replicas)."
    )
    ready_max_lag: int = Field(
        default=10_000,
        ge=0,
        description="/health/ready answers 503 while the projector in this process has more "
        "records than this waiting on its partitions (its pages would show old data).",
    )

    # --- the registration API (the command side) the pages forward to
    registration_url: str = Field(
        default="http://127.0.0.1:8100",
        description="Base URL of the registration API.",
    )
    registration_service_token: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("REGISTRATION_SERVICE_TOKEN", "registration_service_token"),
        description="Bearer token for the registration API: the same REGISTRATION_SERVICE_TOKEN "
        "variable the registration service reads; from the environment only (`make run` "
        "generates one). Empty: the registration API refuses every call.",
    )
    registration_timeout_s: float = Field(
        default=10.0, gt=0, description="Timeout of one call to the registration API."
    )

    # --- sessions and cookies
    session_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Secret that signs CSRF tokens. Required in production; development "
        "generates one at start-up (with a warning), so tokens die with the process.",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Send cookies only over HTTPS (turn on behind TLS; off for localhost).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Reverse proxies (addresses or networks, comma-separated: `10.0.0.0/8, "
        "::1`) whose X-Forwarded-For and X-Forwarded-Proto are believed: the client address "
        "that sign-up and login limits count by, and the scheme. Empty: none; the peer is the "
        "client.",
    )
    remember_me_days: int = Field(
        default=14, ge=1, le=90, description="Lifetime of a session with «Recordarme»."
    )
    browser_session_idle_s: int = Field(
        default=12 * 3600,
        ge=60,
        description="Server-side lifetime of a session without «Recordarme» (its cookie ends "
        "with the browser), renewed on every request.",
    )

    # --- pages
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address users reach the dashboard at; referral links start with it.",
    )
    page_size: int = Field(default=50, ge=5, le=500, description="Rows per page in tables.")
    stuck_after_s: int = Field(
        default=600,
        ge=30,
        description="A census status PENDING or PROCESSING for longer than this is shown as stuck.",
    )
    read_your_writes_s: float = Field(
        default=3.0,
        ge=0,
        description="After a change made through a page, how long the next page waits for the "
        "projector to show it.",
    )
    sse_heartbeat_s: float = Field(
        default=15.0, gt=0, description="Comment sent on idle live-update streams (proxies)."
    )
    gc_full_growth: float = Field(
        default=1.25,
        ge=0,
        description="A full garbage collection (it holds every live stream: 1-2 s at 10,000) when "
        "the memory blocks in use have grown by this factor since the last one; 1 or less leaves "
        "Python's own trigger.",
    )
    sse_streams_per_session: int = Field(
        default=6, ge=1, description="Live-update streams one session may hold open (its tabs)."
    )
    sse_streams_per_user: int = Field(
        default=20, ge=1, description="Live-update streams one user may hold open, all devices."
    )
    sse_streams_per_process: int = Field(
        default=20_000, ge=1, description="Live-update streams one web process holds at most."
    )
    kafka: KafkaSettings = Field(
        default_factory=KafkaSettings, description="Kafka of the projector (KAFKA_ prefix)."
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # a ValueError names the entry that is not an address or network
        return value

    @property
    def proxies(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies)

    @property
    def migrates_on_start(self) -> bool:
        if self.migrate_on_start is None:
            return self.environment != "production"
        return self.migrate_on_start
