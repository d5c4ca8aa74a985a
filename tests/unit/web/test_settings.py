"""Web settings: the registration token is the registration service's own variable; production
refuses to start without a session secret."""

from __future__ import annotations

import pytest
from litestar.exceptions import ImproperlyConfiguredException

from services.web.app import refuse_missing_production_secrets, session_secret
from services.web.settings import WebSettings


def test_the_service_token_is_read_from_registration_service_token(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REGISTRATION_SERVICE_TOKEN", "shared-secret")
    assert WebSettings().registration_service_token.get_secret_value() == "shared-secret"


def test_every_setting_is_documented() -> None:
    undocumented = [name for name, f in WebSettings.model_fields.items() if not f.description]
    assert undocumented == []


def test_production_needs_a_session_secret() -> None:
    with pytest.raises(ImproperlyConfiguredException):
        session_secret(WebSettings(environment="production"))


def test_development_makes_one_up() -> None:
    assert len(session_secret(WebSettings(environment="development"))) >= 32
    assert session_secret(WebSettings(session_secret="fixed")) == "fixed"


def test_production_needs_the_registration_token() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="REGISTRATION_SERVICE_TOKEN"):
        refuse_missing_production_secrets(
            WebSettings(environment="production", registration_service_token="")
        )
    refuse_missing_production_secrets(
        WebSettings(environment="production", registration_service_token="shared-secret")
    )
    refuse_missing_production_secrets(WebSettings(registration_service_token=""))  # development
