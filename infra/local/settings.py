"""Ports and switches of the local infrastructure, from the environment."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LocalInfraSettings(BaseSettings):
    """Ports of the Kafka and PostgreSQL that `make run` and the tests start on this machine."""

    model_config = SettingsConfigDict(env_prefix="CENSO_", extra="ignore")

    kafka_port: int = Field(default=9092, description="Port of the embedded Kafka broker.")
    kafka_controller_port: int = Field(default=9093, description="KRaft controller port.")
    postgres_port: int = Field(
        default=5433, description="Port of the project's PostgreSQL cluster."
    )
    databases: tuple[str, ...] = Field(
        default=("registration", "web", "census_worker"),
        description="Databases created in the project's cluster.",
    )
