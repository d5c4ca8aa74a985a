"""Settings of the registration service, read from the environment (prefix REGISTRATION_) with
development defaults; built at start-up, never at import."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import KafkaSettings, LoggingSettings


class RegistrationSettings(BaseSettings):
    """The registration API and its outbox relay: database, HTTP, relay, abuse limits and
    password hashing."""

    model_config = SettingsConfigDict(env_prefix="REGISTRATION_", extra="ignore")

    # --- where it runs
    environment: Literal["development", "production"] = Field(
        default="development",
        description="`production` does not migrate at start-up (unless "
        "REGISTRATION_MIGRATE_ON_START says so): `censo registration migrate` runs first.",
    )
    database_url: str = Field(
        default="postgresql+asyncpg://censo@127.0.0.1:5433/registration",
        description="SQLAlchemy URL (asyncpg driver) of the service's own database.",
    )
    host: str = Field(default="127.0.0.1", description="Interface the HTTP API listens on.")
    port: int = Field(default=8100, description="Port of the HTTP API.")
    db_pool_size: int = Field(default=10, ge=1, description="Connections kept by the API's pool.")
    database_startup_timeout_s: float = Field(
        default=60.0,
        gt=0,
        description="How long a process (API, relay, `migrate`, `admin create`) waits for the "
        "database at start-up before it gives up.",
    )
    migrate_on_start: bool | None = Field(
        default=None,
        description="Apply pending migrations at start-up; unset: yes in development, no in "
        "production (the process then only checks that the schema is at the newest revision).",
    )
    service_token: SecretStr = Field(
        default=SecretStr(""),
        description="Bearer token the web service presents on every /api call; from the "
        "environment only (`make run` generates one). Empty refuses every /api call.",
    )

    # --- outbox relay
    relay_in_process: bool = Field(
        default=False,
        description="Also run the outbox relay inside the API process (one-process deployments).",
    )
    outbox_poll_interval_s: float = Field(
        default=2.0, gt=0, description="Relay poll period when no NOTIFY arrives (fallback)."
    )
    outbox_batch_size: int = Field(
        default=500, ge=1, le=10_000, description="Outbox rows claimed and published per batch."
    )
    outbox_retry_initial_s: float = Field(
        default=0.5, gt=0, description="First pause after Kafka fails; doubles on each failure."
    )
    outbox_retry_max_s: float = Field(
        default=30.0, gt=0, description="Longest pause between retries."
    )
    outbox_standby_poll_s: float = Field(
        default=5.0,
        gt=0,
        description="How often a standby relay tries to take the publishing lock.",
    )
    outbox_keep_sent_days: float = Field(
        default=7.0, gt=0, description="Sent outbox rows older than this are deleted by the relay."
    )
    relay_metrics_host: str = Field(
        default="127.0.0.1", description="Address of the relay's metrics and health endpoint."
    )
    relay_metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Port of the relay's /metrics, /health/live and /health/ready (0: none). "
        "Each relay on a host needs a port of its own.",
    )
    outbox_lag_warning_s: float = Field(
        default=60.0,
        gt=0,
        description="/health reports `degraded` when the oldest unsent row is older.",
    )

    # --- abuse limits
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins per cédula within the window before each attempt must wait.",
    )
    login_delay_base_s: float = Field(
        default=30.0, gt=0, description="The wait after those failures; it doubles with each more."
    )
    login_delay_max_s: float = Field(
        default=900.0, gt=0, description="The longest wait between two logins of one cédula."
    )
    login_failure_window_s: int = Field(
        default=900, ge=1, description="Window (seconds) over which failed logins are counted."
    )
    login_address_max_failures: int = Field(
        default=30,
        ge=1,
        description="Failed logins from one client address (any cédula) within the window.",
    )
    sign_ups_per_address_hour: int = Field(
        default=20, ge=1, description="Sign-ups one client address may make in an hour."
    )
    sign_ups_looked_up_now_per_address: int = Field(
        default=3,
        ge=0,
        description="Of an address's sign-ups in an hour, how many have their census lookup "
        "right away; the others wait in the bulk lane.",
    )
    sign_ups_looked_up_now_per_minute: int = Field(
        default=30,
        ge=1,
        description="Sign-ups per minute, campaign-wide, looked up right away; past it, in the "
        "bulk lane (each lookup is a paid captcha and a turn of the census host).",
    )
    claims_per_address_day: int = Field(
        default=5,
        ge=1,
        description="Claims for a taken cédula one client address may file in a day (a cédula "
        "without an account counts too).",
    )
    claims_per_cedula_day: int = Field(
        default=3, ge=1, description="Claims about one cédula, whoever files them, in a day."
    )
    validation_targets_per_window: int = Field(
        default=2000,
        ge=1,
        description="Cédulas one actor may ask to re-check per window (a bulk request counts "
        "each of its targets): each is a paid lookup. At least `bulk_max_targets`.",
    )
    validation_window_s: int = Field(default=60, ge=1, description="Window of the per-actor limit.")
    bulk_max_targets: int = Field(
        default=1000,
        ge=1,
        le=10_000,
        description="Most users one bulk validation request may name.",
    )

    # --- password hashing (argon2id); changing them makes old hashes rehash at next login
    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id iterations.")
    argon2_memory_cost_kib: int = Field(default=65536, ge=8, description="argon2id memory in KiB.")
    argon2_parallelism: int = Field(default=4, ge=1, description="argon2id lanes.")

    kafka: KafkaSettings = Field(
        default_factory=KafkaSettings, description="Kafka (KAFKA_ prefix)."
    )
    logging: LoggingSettings = Field(default_factory=LoggingSettings, description="Logging (LOG_).")

    @model_validator(mode="after")
    def _a_bulk_request_fits_the_limit(self) -> RegistrationSettings:
        if self.bulk_max_targets > self.validation_targets_per_window:
            raise ValueError(
                f"REGISTRATION_BULK_MAX_TARGETS ({self.bulk_max_targets}) exceeds "
                f"REGISTRATION_VALIDATION_TARGETS_PER_WINDOW ({self.validation_targets_per_window})"
            )
        return self

    @property
    def migrates_on_start(self) -> bool:
        if self.migrate_on_start is None:
            return self.environment != "production"
        return self.migrate_on_start

    @property
    def has_service_token(self) -> bool:
        return bool(self.service_token.get_secret_value())
