"""Which context preparers the stealth setting selects, and the fallback without the library."""

from __future__ import annotations

import sys

import pytest

from services.census_worker.lookup.browser import stealth
from services.census_worker.lookup.settings import LookupSettings


def settings(on: bool) -> LookupSettings:
    return LookupSettings(_env_file=None, stealth=on)  # type: ignore[call-arg]


def test_stealth_off_prepares_nothing_and_adds_no_launch_flag() -> None:
    assert stealth.stealth_preparers(settings(False)) == []
    assert stealth.stealth_launch_args(settings(False)) == ()


def test_stealth_on_uses_the_library() -> None:
    (preparer,) = stealth.stealth_preparers(settings(True))

    assert preparer is not stealth.hide_webdriver
    assert stealth.stealth_launch_args(settings(True)) == stealth.STEALTH_LAUNCH_ARGS


def test_without_the_library_only_webdriver_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "playwright_stealth", None)  # makes the import fail

    assert stealth.stealth_preparers(settings(True)) == [stealth.hide_webdriver]
