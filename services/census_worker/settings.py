"""How the census worker takes work from Kafka, retries it and stays polite, read from the
environment (`WORKER_*`) with development defaults; the lookup's own settings are in
`lookup/settings.py`.
"""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Durations as operators write them (`24h`); plain seconds and ISO 8601 are pydantic's own.
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([smhd]?)")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


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
    environment: str = Field(
        default="development",
        pattern="^(development|production)$",
        description="`production` does not migrate the worker database at start-up (unless "
        "WORKER_MIGRATE_ON_START says so): `censo worker migrate` runs first.",
    )
    migrate_on_start: bool | None = Field(
        default=None,
        description="Run the worker database's migrations at start-up; unset: yes in "
        "development, no in production (the process then only checks the schema is current).",
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

    @property
    def migrates_on_start(self) -> bool:
        if self.migrate_on_start is None:
            return self.environment != "production"
        return self.migrate_on_start

    @field_validator("fresh_for", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        if isinstance(value, str) and (match := _DURATION.fullmatch(value.strip())):
            return timedelta(seconds=float(match[1]) * _UNIT_S[match[2]])
        return value
