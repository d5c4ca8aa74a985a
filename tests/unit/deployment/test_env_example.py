"""`.env.example` lists what a production deployment must decide, under real names only, and
holds no secret."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings

from services.configuration import SECTIONS, env_name, known_names

ROOT = Path(__file__).resolve().parents[3]
LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
DEVELOPMENT_ONLY = ("LocalInfraSettings", "SimulatorSettings")


def listed() -> dict[str, tuple[bool, str]]:
    """Each variable of the file: whether it is set (not commented out), and its value."""
    found: dict[str, tuple[bool, str]] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if match := LINE.match(line):
            assert match[2] not in found, f"{match[2]} listed twice"
            found[match[2]] = (match[1] is None, match[3])
    return found


def deployment_fields() -> list[tuple[str, type[BaseSettings], str]]:
    """(variable, class, field) of every setting a deployed service reads."""
    rows = []
    for section in SECTIONS:
        if section.settings.__name__ in DEVELOPMENT_ONLY:
            continue
        prefix = str(section.settings.model_config.get("env_prefix", "")).upper()
        for name, field in section.settings.model_fields.items():
            rows.append((env_name(prefix, name, field), section.settings, name))
    return rows


def test_every_variable_listed_is_a_setting() -> None:
    unknown = set(listed()) - known_names()
    assert not unknown, f"not read by any process: {sorted(unknown)}"


def test_every_secret_and_address_of_this_machine_is_listed() -> None:
    """What has no default fit for production: required values, secrets (empty by default),
    addresses of the development machine, and the environment switches."""
    must = set()
    for variable, settings, name in deployment_fields():
        field = settings.model_fields[name]
        secret = field.annotation is SecretStr
        local = "127.0.0.1" in str(field.default)
        if field.is_required() or secret or local or variable.endswith("_ENVIRONMENT"):
            must.add(variable)
    missing = must - set(listed())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_production_switches_are_on() -> None:
    values = {name: value for name, (active, value) in listed().items() if active}
    assert values["WEB_ENVIRONMENT"] == values["REGISTRATION_ENVIRONMENT"] == "production"
    assert values["WORKER_ENVIRONMENT"] == "production"
    assert values["WEB_SECURE_COOKIES"] == "true"
    assert values["KAFKA_REPLICATION_FACTOR"] == "3"
    assert values["KAFKA_CREATE_TOPICS"] == "false"


def test_no_secret_has_a_value() -> None:
    secrets = {
        variable
        for variable, settings, name in deployment_fields()
        if settings.model_fields[name].annotation is SecretStr
    }
    filled = [name for name, (_, value) in listed().items() if name in secrets and value]
    assert not filled, f"secrets with a value in .env.example: {filled}"
