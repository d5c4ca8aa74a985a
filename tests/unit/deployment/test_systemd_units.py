"""deploy/systemd/: every unit runs a real `censo` command from the image's virtualenv path, as
a user of its own, with the shared environment file, restarts and hardening; the variables a
unit sets are real settings, and a template's instance names its port."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.configuration import known_names
from tests.unit.deployment.censo_commands import resolve

UNITS = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
SERVICES = sorted(path.name for path in UNITS.glob("*.service"))
CENSO = "/opt/censo/venv/bin/censo"  # where the Containerfile installs it, on a host as well
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "CapabilityBoundingSet": "",
}


def directives(name: str) -> dict[str, list[str]]:
    """Every `Key=value` of the unit, in order (systemd allows a key several times)."""
    found: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


def test_the_units_cover_every_kind_of_process() -> None:
    assert {
        "censo-registration.service",
        "censo-relay@.service",
        "censo-worker@.service",
        "censo-web@.service",
        "censo-migrate.service",
    } <= set(SERVICES)


def test_the_units_run_censo_from_where_the_containerfile_installs_it() -> None:
    containerfile = (UNITS.parents[1] / "Containerfile").read_text(encoding="utf-8")
    assert "infra/bin/install-python /opt/censo/venv " in containerfile


@pytest.mark.parametrize("name", SERVICES)
def test_every_exec_start_is_a_censo_command(name: str) -> None:
    for command in directives(name)["ExecStart"]:
        program, *words = command.split()
        assert program == CENSO
        resolve(words)


@pytest.mark.parametrize("name", SERVICES)
def test_every_unit_runs_as_censo_with_the_shared_environment_and_hardening(name: str) -> None:
    unit = directives(name)
    assert unit["User"] == ["censo"] and unit["Group"] == ["censo"]
    assert unit["EnvironmentFile"][0] == "/etc/censo/censo.env"
    for key, value in HARDENING.items():
        assert unit.get(key) == [value], f"{name}: {key}={value}"
    if unit["Type"] != ["oneshot"]:
        assert unit["Restart"] == ["on-failure"]
        assert unit["WantedBy"] == ["censo.target"]


@pytest.mark.parametrize("name", SERVICES)
def test_the_variables_a_unit_sets_are_settings(name: str) -> None:
    assigned = (value.split("=", 1)[0] for value in directives(name).get("Environment", []))
    unknown = {variable for variable in assigned if variable != "HOME"} - known_names()
    assert not unknown, f"{name} sets what no process reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", [n for n in SERVICES if "@" in n])
def test_a_template_instance_is_the_port_of_its_process(name: str) -> None:
    ports = [v for v in directives(name)["Environment"] if re.fullmatch(r"\w+_PORT=%i", v)]
    assert len(ports) == 1, f"{name}: two instances on one host need ports of their own"
