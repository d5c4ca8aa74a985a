"""A Kafka node with a SASL_SSL listener for the security tests: a CA and a broker certificate made
for the run (trustme), a SCRAM-SHA-512 user created when its storage is formatted, and the client
settings that reach it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography.hazmat.primitives import serialization
from pydantic import SecretStr

from infra.local.kafka import KafkaNode
from services.common.settings import KafkaSettings
from tests.support.infra import free_port

USER = "census-worker"
PASSWORD = "Scram-Test-Secret-2026"
MECHANISM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class SecuredKafka:
    node: KafkaNode
    sasl_port: int
    ca_file: Path

    def settings(
        self, password: str = PASSWORD, ca_file: Path | None = None, **values: object
    ) -> KafkaSettings:
        """Client settings for the SASL_SSL listener (another password or CA to be refused)."""
        return KafkaSettings.model_validate(
            {
                "bootstrap_servers": f"127.0.0.1:{self.sasl_port}",
                "security_protocol": "SASL_SSL",
                "sasl_mechanism": MECHANISM,
                "sasl_username": USER,
                "sasl_password": SecretStr(password),
                "ssl_cafile": ca_file or self.ca_file,
                "startup_timeout_s": 20,
                **values,
            }
        )


def secured_kafka(base: Path) -> SecuredKafka:
    """A new node (not started) with PLAINTEXT and SASL_SSL listeners on free ports."""
    folder = base / f"kafka-secured-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    ca_file, keystore = write_certificates(folder)
    sasl_port = free_port()
    listener = "listener.name.sasl_ssl"
    node = KafkaNode(
        folder / "data",
        free_port(),
        free_port(),
        extra_listeners={"SASL_SSL": sasl_port},
        extra_properties={
            "sasl.enabled.mechanisms": MECHANISM,
            f"{listener}.sasl.enabled.mechanisms": MECHANISM,
            f"{listener}.scram-sha-512.sasl.jaas.config": (
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            ),
            f"{listener}.ssl.keystore.type": "PEM",
            f"{listener}.ssl.keystore.location": str(keystore),
        },
        format_options=("--add-scram", f"{MECHANISM}=[name={USER},password={PASSWORD}]"),
    )
    return SecuredKafka(node, sasl_port, ca_file)


def write_certificates(folder: Path) -> tuple[Path, Path]:
    """The CA's certificate (for clients) and the broker's keystore: its PKCS#8 key (the form
    Kafka reads) and certificate chain, for 127.0.0.1 and localhost."""
    ca = trustme.CA()
    broker = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    key = serialization.load_pem_private_key(broker.private_key_pem.bytes(), password=None)
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    keystore = folder / "broker.pem"
    keystore.write_bytes(pkcs8 + b"".join(pem.bytes() for pem in broker.cert_chain_pems))
    return ca_file, keystore


def other_ca_file(folder: Path) -> Path:
    """A CA that signed nothing the broker shows: TLS against it must be refused."""
    path = folder / f"other-ca-{uuid.uuid4().hex[:8]}.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return path
