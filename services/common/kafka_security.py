"""How every Kafka client logs in to a secured cluster: TLS and SASL from `KafkaSettings`, as
FastStream's security object (brokers) and as the keyword arguments of aiokafka's clients.

Both come from one object, so a broker and a plain producer of the same settings connect alike.
"""

from __future__ import annotations

import ssl
from typing import Any

from aiokafka.conn import collect_hosts, create_conn
from aiokafka.errors import (
    AuthenticationFailedError,
    AuthenticationMethodNotSupported,
    IllegalSaslStateError,
    KafkaError,
    SaslAuthenticationFailed,
    UnsupportedSaslMechanismError,
)
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from services.common.settings import KafkaSettings

_SASL_LOGINS: dict[str, type[SASLPlaintext | SASLScram256 | SASLScram512]] = {
    "PLAIN": SASLPlaintext,
    "SCRAM-SHA-256": SASLScram256,
    "SCRAM-SHA-512": SASLScram512,
}


def broker_security(settings: KafkaSettings) -> BaseSecurity | None:
    """For `KafkaBroker(security=…)`: None on PLAINTEXT."""
    if settings.security_protocol == "PLAINTEXT":
        return None
    context = settings.ssl_context()
    if not settings.uses_sasl:
        return BaseSecurity(ssl_context=context)
    # The settings' validator made sure a mechanism, a user and a password are there.
    login = _SASL_LOGINS[settings.sasl_mechanism or "PLAIN"]
    return login(
        settings.sasl_username,
        settings.sasl_password.get_secret_value(),
        ssl_context=context,
        use_ssl=settings.uses_ssl,
    )


def client_security(settings: KafkaSettings) -> dict[str, Any]:
    """For aiokafka's producer, consumer and admin client: `security_protocol`, `ssl_context`
    and the SASL login (nothing on PLAINTEXT), exactly as FastStream derives them for a broker."""
    return parse_security(broker_security(settings))


class KafkaRefused(RuntimeError):
    """The cluster answered but refused this client: a TLS handshake that failed (unknown CA,
    wrong host name, TLS against a plain listener) or a SASL login refused. Retrying cannot help."""


_REFUSALS = (
    ssl.SSLError,  # certificate verification included
    SaslAuthenticationFailed,
    AuthenticationFailedError,
    AuthenticationMethodNotSupported,
    UnsupportedSaslMechanismError,
    IllegalSaslStateError,
)


async def raise_if_refused(settings: KafkaSettings) -> None:
    """After a client failed to bootstrap: connect once by hand to learn why (aiokafka only logs
    it), and raise KafkaRefused when the cluster refused us rather than did not answer."""
    security = client_security(settings)
    for host, port, _family in collect_hosts(settings.bootstrap_servers, randomize=False):
        try:
            connection = await create_conn(host, port, request_timeout_ms=10_000, **security)
        except _REFUSALS as exc:
            raise KafkaRefused(_refusal_message(settings, f"{host}:{port}", exc)) from exc
        except (TimeoutError, OSError, KafkaError):
            continue  # out of reach, not refused: the caller's own error says so
        connection.close()


def _refusal_message(settings: KafkaSettings, address: str, exc: BaseException) -> str:
    who = f" as {settings.sasl_username}" if settings.uses_sasl else ""
    detail = " ".join(str(exc).split())
    if type(exc).__name__ not in detail:  # aiokafka's errors name themselves, ssl's do not
        detail = f"{type(exc).__name__}: {detail}".rstrip(": ")
    return f"Kafka at {address} refused the {settings.security_protocol} connection{who}: {detail}"
