"""Settings shared by every service, read from the environment with development defaults.

Settings objects are built at start-up (never at import), so tests pass their own values.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Literal

from aiokafka.helpers import create_ssl_context
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


class KafkaSettings(BaseSettings):
    """Where the Kafka cluster is and how to reach it; the local single-node broker by default."""

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

    # --- topics this process creates (existing ones are compared by `censo ops topics --check`)
    replication_factor: int = Field(
        default=1, ge=1, description="Replicas of every topic created (3 on a production cluster)."
    )
    min_insync_replicas: int = Field(
        default=1,
        ge=1,
        description="`min.insync.replicas` of every topic created: replicas that must have a "
        "record before acks=all succeeds (2 with a replication factor of 3).",
    )

    # --- security: TLS and SASL, the same for every client of every service
    security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT", description="PLAINTEXT, SSL, SASL_SSL or SASL_PLAINTEXT."
    )
    sasl_mechanism: SaslMechanism | None = Field(
        default=None,
        description="SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN; required with SASL_SSL/SASL_PLAINTEXT.",
    )
    sasl_username: str = Field(default="", description="SASL user (the service's principal).")
    sasl_password: SecretStr = Field(
        default=SecretStr(""), description="SASL password; never logged."
    )
    ssl_cafile: Path | None = Field(
        default=None,
        description="PEM file of the CA that signed the brokers' certificates (default: the "
        "system's trusted CAs).",
    )
    ssl_certfile: Path | None = Field(
        default=None, description="PEM client certificate, for brokers that require one (mTLS)."
    )
    ssl_keyfile: Path | None = Field(
        default=None, description="PEM private key of the client certificate."
    )
    ssl_key_password: SecretStr = Field(
        default=SecretStr(""), description="Password of the private key, when it has one."
    )

    @property
    def uses_ssl(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context of every client (None without TLS): verifies the brokers' certificates
        and host names against KAFKA_SSL_CAFILE (or the system's CAs)."""
        if not self.uses_ssl:
            return None
        key_password = self.ssl_key_password.get_secret_value() or None
        context: ssl.SSLContext = create_ssl_context(
            cafile=self.ssl_cafile,
            certfile=self.ssl_certfile,
            keyfile=self.ssl_keyfile,
            password=key_password,
        )
        return context

    @model_validator(mode="after")
    def _consistent(self) -> KafkaSettings:
        # Each message names the variables, so a wrong deployment reads as one line at start.
        problem = self._replication_problem() or self._sasl_problem() or self._ssl_problem()
        if problem:
            raise ValueError(problem)
        return self

    def _replication_problem(self) -> str | None:
        if self.min_insync_replicas > self.replication_factor:
            return (
                f"KAFKA_MIN_INSYNC_REPLICAS ({self.min_insync_replicas}) exceeds "
                f"KAFKA_REPLICATION_FACTOR ({self.replication_factor}): no write could succeed"
            )
        return None

    def _sasl_problem(self) -> str | None:
        protocol = f"KAFKA_SECURITY_PROTOCOL={self.security_protocol}"
        if not self.uses_sasl:
            given = [name for name, value in self._sasl_values().items() if value]
            return f"{', '.join(given)} set but {protocol} uses no SASL" if given else None
        missing = [name for name, value in self._sasl_values().items() if not value]
        return f"{protocol} needs {', '.join(missing)}" if missing else None

    def _sasl_values(self) -> dict[str, bool]:
        return {
            "KAFKA_SASL_MECHANISM": self.sasl_mechanism is not None,
            "KAFKA_SASL_USERNAME": bool(self.sasl_username),
            "KAFKA_SASL_PASSWORD": bool(self.sasl_password.get_secret_value()),
        }

    def _ssl_problem(self) -> str | None:
        files = {
            "KAFKA_SSL_CAFILE": self.ssl_cafile,
            "KAFKA_SSL_CERTFILE": self.ssl_certfile,
            "KAFKA_SSL_KEYFILE": self.ssl_keyfile,
        }
        given = [name for name, path in files.items() if path is not None]
        if given and not self.uses_ssl:
            protocol = f"KAFKA_SECURITY_PROTOCOL={self.security_protocol}"
            return f"{', '.join(given)} set but {protocol} uses no TLS"
        if self.ssl_keyfile is not None and self.ssl_certfile is None:
            return "KAFKA_SSL_KEYFILE set without KAFKA_SSL_CERTFILE"
        absent = [f"{name}={path}" for name, path in files.items() if path and not path.is_file()]
        if absent:
            return f"no such file: {', '.join(absent)}"
        try:  # a file that is no PEM, or a key that does not match, fails here rather than later
            self.ssl_context()
        except (ssl.SSLError, ValueError) as exc:
            return f"KAFKA_SSL_* files cannot be loaded: {exc}"
        return None


class LoggingSettings(BaseSettings):
    """How every process logs (structlog, to stderr)."""

    model_config = SettingsConfigDict(env_prefix="LOG_", extra="ignore")

    level: str = Field(default="INFO", description="Root log level.")
    json_output: bool = Field(default=False, description="JSON lines instead of console output.")
