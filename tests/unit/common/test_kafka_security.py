"""Kafka security settings: every mistake refused in one line at start, one login for brokers and
plain clients alike, and the password never shown."""

from __future__ import annotations

import ssl
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import typer
from faststream.security import BaseSecurity, SASLScram512
from pydantic import SecretStr, ValidationError
from typer.testing import CliRunner

from services.common.cli_errors import OneLineErrors, unreachable_message
from services.common.kafka_security import KafkaRefused, broker_security, client_security
from services.common.kafka_topics import TopicsNotCreated, raise_for_refusals
from services.common.settings import KafkaSettings
from services.common.settings_errors import settings_problem

PASSWORD = "s3cret-Pa55"


def kafka(**values: Any) -> KafkaSettings:
    return KafkaSettings(bootstrap_servers="127.0.0.1:9", **values)


def refusal(**values: Any) -> str:
    with pytest.raises(ValidationError) as raised:
        kafka(**values)
    problem = settings_problem(raised.value)
    assert problem is not None and "\n" not in problem and PASSWORD not in problem
    return problem


def test_plaintext_by_default_adds_nothing_to_the_clients() -> None:
    assert broker_security(kafka()) is None
    assert client_security(kafka()) == {}


def test_sasl_ssl_gives_the_same_login_to_brokers_and_clients() -> None:
    settings = kafka(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="census-worker",
        sasl_password=SecretStr(PASSWORD),
    )
    security = broker_security(settings)
    assert isinstance(security, SASLScram512) and security.use_ssl
    options = client_security(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "census-worker",
        PASSWORD,
    )
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext) and context.check_hostname
    assert context.verify_mode == ssl.CERT_REQUIRED


def test_sasl_without_tls_and_tls_without_sasl() -> None:
    plain = client_security(
        kafka(
            security_protocol="SASL_PLAINTEXT",
            sasl_mechanism="PLAIN",
            sasl_username="ops",
            sasl_password=SecretStr(PASSWORD),
        )
    )
    assert (plain["security_protocol"], plain["ssl_context"]) == ("SASL_PLAINTEXT", None)
    tls = broker_security(kafka(security_protocol="SSL"))
    assert type(tls) is BaseSecurity and tls.ssl_context is not None
    assert client_security(kafka(security_protocol="SSL"))["security_protocol"] == "SSL"


def test_sasl_without_its_mechanism_or_credentials_is_refused() -> None:
    problem = refusal(security_protocol="SASL_SSL", sasl_password=SecretStr(PASSWORD))
    assert problem == (
        "invalid settings: KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_MECHANISM, "
        "KAFKA_SASL_USERNAME"
    )


def test_credentials_on_a_protocol_without_sasl_are_refused() -> None:
    assert "uses no SASL" in refusal(sasl_username="ops", sasl_password=SecretStr(PASSWORD))


def test_a_certificate_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "ca.pem"
    assert refusal(security_protocol="SSL", ssl_cafile=missing) == (
        f"invalid settings: no such file: KAFKA_SSL_CAFILE={missing}"
    )


def test_a_file_that_is_no_certificate_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate")
    problem = refusal(security_protocol="SSL", ssl_cafile=tmp_path / "ca.pem")
    assert problem.startswith("invalid settings: KAFKA_SSL_* files cannot be loaded")


def test_tls_files_without_tls_and_a_key_without_its_certificate_are_refused(
    tmp_path: Path,
) -> None:
    assert "uses no TLS" in refusal(ssl_cafile=tmp_path / "ca.pem")
    problem = refusal(security_protocol="SSL", ssl_keyfile=tmp_path / "key.pem")
    assert problem == "invalid settings: KAFKA_SSL_KEYFILE set without KAFKA_SSL_CERTFILE"


def test_an_unknown_protocol_names_its_variable() -> None:
    assert refusal(security_protocol="TLS").startswith(
        "invalid settings: KAFKA_SECURITY_PROTOCOL: Input should be 'PLAINTEXT'"
    )


def test_more_in_sync_replicas_than_replicas_is_refused() -> None:
    assert "KAFKA_MIN_INSYNC_REPLICAS (3) exceeds KAFKA_REPLICATION_FACTOR (2)" in refusal(
        replication_factor=2, min_insync_replicas=3
    )


def test_the_password_is_never_in_the_settings_repr() -> None:
    settings = kafka(
        security_protocol="SASL_SSL",
        sasl_mechanism="PLAIN",
        sasl_username="ops",
        sasl_password=SecretStr(PASSWORD),
    )
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings.model_dump())


def test_a_validation_error_of_data_is_no_settings_problem() -> None:
    assert settings_problem(ValueError("a bug")) is None


def test_a_topic_the_cluster_refused_to_create_stops_the_start_but_a_race_does_not() -> None:
    response = SimpleNamespace(
        topic_errors=[
            ("ops.audit", 0, None),
            ("census.results", 36, "Topic 'census.results' already exists."),  # created meanwhile
            ("accounts.events", 38, "Unable to replicate the partition 3 time(s)"),
        ]
    )
    with pytest.raises(TopicsNotCreated) as refused:
        raise_for_refusals(response)
    assert str(refused.value) == (
        "Kafka refused to create topics: accounts.events: Unable to replicate the partition 3 "
        "time(s)"
    )
    raise_for_refusals(SimpleNamespace(topic_errors=[("ops.audit", 0, None)]))


def test_a_refusal_is_said_as_it_is_by_every_command() -> None:
    refusal_line = "Kafka at 127.0.0.1:9094 refused the SASL_SSL connection as ops: bad login"
    assert unreachable_message(KafkaRefused(refusal_line)) == refusal_line


settings_app = typer.Typer(cls=OneLineErrors)


@settings_app.callback()
def _group() -> None:
    """A group, as every `censo` app is."""


@settings_app.command()
def start() -> None:
    KafkaSettings()


def test_a_process_started_with_wrong_settings_stops_in_one_line_with_exit_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", PASSWORD)
    result = CliRunner().invoke(settings_app, ["start"], prog_name="censo")
    assert result.exit_code == 2
    assert result.stderr == (
        "censo: invalid settings: KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_USERNAME\n"
    )
    assert PASSWORD not in result.output
