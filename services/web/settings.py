"""Settings of the web service, from the environment (prefix WEB_) with development defaults."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import KafkaSettings


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEB_", extra="ignore")

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
    migrate_on_start: bool = Field(
        default=True, description="Run the read model's migrations at start-up (development)."
    )
    consume: bool = Field(
        default=True, description="Run the projector in this process (off for pure HTTP replicas)."
    )
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
