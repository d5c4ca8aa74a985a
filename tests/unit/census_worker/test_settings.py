"""Defaults of the worker's settings and how the environment overrides them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.settings import WorkerSettings


def test_defaults_point_at_the_real_site_and_a_safe_browser() -> None:
    settings = LookupSettings(_env_file=None)  # type: ignore[call-arg]

    assert settings.source == "wsp"
    assert settings.wsp_url == "https://wsp.registraduria.gov.co/censo/consultar/"
    assert settings.wsp_sitekey == "6LcthjAgAAAAAFIQLxy52074zanHv47cIvmIHglH"
    assert settings.captcha_base_url == "https://2captcha.com"
    assert settings.captcha_pool_size == 0
    assert (settings.max_concurrent_lookups, settings.page_timeout_s) == (4, 30.0)
    assert settings.recycle_after_lookups == 500
    assert settings.headless is True and settings.stealth is False
    assert settings.user_agent is None  # derived from the launched Chromium's version
    assert settings.consultacenso_url == "https://consultacenso.registraduria.gov.co/"
    assert settings.consultacenso_sitekey == "6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM"
    assert (settings.browser_max_rss_mb, settings.browser_memory_check_interval_s) == (1500, 30.0)


def test_every_field_is_documented() -> None:
    assert all(field.description for field in LookupSettings.model_fields.values())


def test_environment_overrides_with_the_census_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CENSUS_CAPTCHA_API_KEY", "s3cret")
    monkeypatch.setenv("CENSUS_MAX_CONCURRENT_LOOKUPS", "2")
    monkeypatch.setenv("CENSUS_STEALTH", "true")

    settings = LookupSettings()

    assert settings.captcha_api_key.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.max_concurrent_lookups == 2 and settings.stealth is True


def test_unknown_source_is_refused() -> None:
    with pytest.raises(ValueError):
        LookupSettings(source="carrier-pigeon")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "url", "sitekey"),
    [
        (
            "wsp",
            "https://wsp.registraduria.gov.co/censo/consultar/",
            "6LcthjAgAAAAAFIQLxy52074zanHv47cIvmIHglH",
        ),
        (
            "consultacenso",
            "https://consultacenso.registraduria.gov.co/",
            "6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM",
        ),
    ],
)
def test_page_url_and_sitekey_follow_the_source(source: str, url: str, sitekey: str) -> None:
    settings = LookupSettings(_env_file=None, source=source)  # type: ignore[call-arg, arg-type]

    assert (settings.page_url, settings.sitekey) == (url, sitekey)


def test_source_and_memory_limit_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CENSUS_SOURCE", "consultacenso")
    monkeypatch.setenv("CENSUS_BROWSER_MAX_RSS_MB", "800")

    settings = LookupSettings()

    assert settings.source == "consultacenso" and settings.browser_max_rss_mb == 800


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("86400", timedelta(hours=24)),
        ("90s", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("1.5h", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        ("PT6H", timedelta(hours=6)),
        ("0", timedelta(0)),
    ],
)
def test_census_fresh_for_reads_seconds_or_a_duration(
    monkeypatch: pytest.MonkeyPatch, written: str, meant: timedelta
) -> None:
    monkeypatch.setenv("CENSUS_FRESH_FOR", written)

    assert WorkerSettings().fresh_for == meant


def test_answers_are_fresh_for_a_day_by_default() -> None:
    assert WorkerSettings().fresh_for == timedelta(hours=24)
    assert all(field.description for field in WorkerSettings.model_fields.values())


@pytest.mark.parametrize(
    ("environment", "override", "migrates"),
    [
        ("development", None, True),
        ("production", None, False),
        ("production", True, True),
        ("development", False, False),
    ],
)
def test_the_worker_migrates_at_start_only_in_development_unless_told(
    environment: str, override: bool | None, migrates: bool
) -> None:
    settings = WorkerSettings(environment=environment, migrate_on_start=override)
    assert settings.migrates_on_start is migrates


def test_the_worker_environment_is_development_or_production() -> None:
    with pytest.raises(ValueError, match="environment"):
        WorkerSettings(environment="staging")
