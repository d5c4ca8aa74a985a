"""The catalogue of every environment variable the processes read, from their settings classes.

`python -m services.contracts` writes it to docs/configuration.md (with the API contracts); a
test fails while the committed page is stale. Reading the classes does no I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import AliasChoices, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

from infra.local.settings import LocalInfraSettings
from infra.registraduria_sim.settings import SimulatorSettings
from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.settings import WorkerSettings
from services.common.settings import KafkaSettings, LoggingSettings
from services.registration.settings import RegistrationSettings
from services.web.settings import WebSettings


@dataclass(frozen=True)
class Section:
    title: str
    read_by: str
    settings: type[BaseSettings]


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    required: bool
    meaning: str


SECTIONS = (
    Section("Kafka", "every process that talks to Kafka", KafkaSettings),
    Section("Logging", "every process", LoggingSettings),
    Section(
        "Registration",
        "`censo registration serve|relay|migrate`, `censo admin …`",
        RegistrationSettings,
    ),
    Section("Web", "`censo web serve|migrate`, `censo ops …`", WebSettings),
    Section("Census worker", "`censo worker run|migrate`", WorkerSettings),
    Section("Census lookup", "`censo worker run`, `censo lookup`", LookupSettings),
    Section("Local stack (development only)", "`censo infra …`, `make run`", LocalInfraSettings),
    Section("Simulator (development only)", "`censo infra simulator`", SimulatorSettings),
)

# Read straight from the environment by one command each, outside any settings class.
OTHER_VARIABLES = (
    Variable("CENSO_ADMIN_PASSWORD", "", False, "`censo admin create`: the password (else asked)."),
    Variable(
        "CENSO_OPERATOR",
        "the login name",
        False,
        "Who `censo ops` records on ops.audit, and `censo admin` on accounts.events.",
    ),
    Variable(
        "CENSO_TEMPORARY_PASSWORD",
        "",
        False,
        "`censo admin temporary-password`: the password (else asked).",
    ),
    Variable("CENSO_STATE_DIR", ".local", False, "Local stack: Kafka's and PostgreSQL's data."),
    Variable("PG_BIN_DIR", "", False, "Local stack: PostgreSQL's bin folder, when not found."),
)


def known_names() -> set[str]:
    """Every variable some process reads: what an environment file may set."""
    names = {v.name for section in SECTIONS for v in variables(section.settings)}
    return names | {v.name for v in OTHER_VARIABLES}


def variables(settings: type[BaseSettings]) -> list[Variable]:
    """One per field read from the environment; nested settings (`kafka`) have their section."""
    prefix = str(settings.model_config.get("env_prefix", "")).upper()
    found = []
    for name, field in settings.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings):
            continue
        found.append(
            Variable(
                env_name(prefix, name, field),
                default_text(field),
                field.is_required(),
                field.description or "",
            )
        )
    return found


def env_name(prefix: str, name: str, field: FieldInfo) -> str:
    """The variable pydantic-settings reads: the alias when there is one (no prefix), the first
    of several; otherwise the prefix and the field's name."""
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        alias = next((choice for choice in alias.choices if isinstance(choice, str)), None)
    return (alias if isinstance(alias, str) else f"{prefix}{name}").upper()


def default_text(field: FieldInfo) -> str:
    if field.default_factory is not None or field.default is PydanticUndefined:
        return ""
    return value_text(field.default)


def value_text(value: Any) -> str:
    """A default as an operator would write it in the environment."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, timedelta):
        return f"{value.total_seconds():g}"
    if isinstance(value, tuple):
        return json.dumps(list(value)) if value else ""
    return "" if value is None else str(value)


def render() -> str:
    lines = [
        "# Configuration",
        "",
        "Every environment variable the processes read, generated from their settings classes",
        "by `make contracts` (`services/configuration.py`); a test fails while this page is",
        "stale. Each process reads only the sections it needs and ignores the others, so one",
        "environment file can serve several processes (`.env.example`, `docs/deployment.md`).",
        "Empty default: unset.",
    ]
    for section in SECTIONS:
        doc = " ".join((section.settings.__doc__ or "").split())
        lines += ["", f"## {section.title}", "", f"{doc} Read by {section.read_by}.", ""]
        lines += table(variables(section.settings))
    lines += ["", "## Read by one command each", ""]
    lines += table(list(OTHER_VARIABLES))
    return "\n".join(lines) + "\n"


def table(rows: list[Variable]) -> list[str]:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for row in rows:
        default = "**required**" if row.required else (f"`{row.default}`" if row.default else "")
        meaning = " ".join(row.meaning.split()).replace("|", "\\|")
        lines.append(f"| `{row.name}` | {default} | {meaning} |")
    return lines
