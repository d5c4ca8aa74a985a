"""Settings shared by every service, read from the environment with development defaults.

Settings objects are built at start-up (never at import), so tests pass their own values.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    """Where the Kafka cluster is; the embedded single-node broker by default."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str = Field(
        default="127.0.0.1:9092", description="Comma-separated host:port list of the brokers."
    )
    client_id_prefix: str = Field(default="censo", description="Prefix of every Kafka client id.")
    create_topics: bool = Field(
        default=True, description="Create the declared topics at start-up when they are missing."
    )
    startup_timeout_s: float = Field(
        default=60.0, description="How long a service waits for Kafka to answer at start-up."
    )


class LoggingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOG_", extra="ignore")

    level: str = Field(default="INFO", description="Root log level.")
    json_output: bool = Field(default=False, description="JSON lines instead of console output.")
