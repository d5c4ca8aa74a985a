"""docs/configuration.md covers every settings class and every field, under the names
pydantic-settings really reads (its staleness is checked with the contracts)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from pydantic_settings import BaseSettings

import infra
import services
from services.configuration import SECTIONS, known_names, render, variables


def settings_classes() -> set[type[BaseSettings]]:
    """Every settings class of the services and the local infrastructure (modules imported)."""
    for package in (services, infra):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.endswith(".settings"):
                importlib.import_module(module.name)
    found, pending = set(), list(BaseSettings.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ("services", "infra"):
            found.add(cls)
    return found


def test_every_settings_class_has_a_section() -> None:
    assert settings_classes() <= {section.settings for section in SECTIONS}


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.settings.__name__)
def test_every_setting_is_described(section) -> None:  # type: ignore[no-untyped-def]
    assert section.settings.__doc__, f"{section.settings.__name__} needs a docstring"
    undescribed = [v.name for v in variables(section.settings) if not v.meaning.strip()]
    assert not undescribed, f"add a description to {undescribed}"


def test_aliased_fields_are_listed_under_the_variable_read() -> None:
    names = known_names()
    assert {"WORKER_GROUP_ID", "REGISTRATION_SERVICE_TOKEN", "CENSUS_FRESH_FOR"} <= names
    assert "WEB_CENSUS_WORKER_GROUP_ID" not in names
    assert "WEB_KAFKA" not in names  # nested settings have their own section


def test_the_documented_names_are_the_ones_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.census_worker.settings import WorkerSettings
    from services.web.settings import WebSettings

    monkeypatch.setenv("WORKER_GROUP_ID", "group-from-env")
    monkeypatch.setenv("CENSUS_FRESH_FOR", "90s")
    assert WebSettings().census_worker_group_id == "group-from-env"
    assert WorkerSettings().fresh_for.total_seconds() == 90


def test_secrets_have_no_default_in_the_page() -> None:
    page = render()
    assert "| `WEB_SESSION_SECRET` |  |" in page
    assert "| `KAFKA_SASL_PASSWORD` |  |" in page
