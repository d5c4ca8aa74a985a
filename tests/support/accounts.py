"""Sign-up data for the suites that register people through an API or a page."""

from __future__ import annotations

import secrets
from typing import Any

PASSWORD = "Orquídea-Azul-77"


def new_cedula() -> str:
    """A random valid cédula (10 digits, no leading zero): tests never collide on the unique key."""
    return str(1_000_000_000 + secrets.randbelow(8_999_999_999))


def sign_up_form(**overrides: Any) -> dict[str, Any]:
    """A valid sign-up (the registration API's and the web form's fields), with `overrides`."""
    return {
        "cedula": new_cedula(),
        "nombre": "María Fernanda Gómez",
        "telefono": "+57 310 555 0101",
        "password": PASSWORD,
        "data_policy_accepted": True,
    } | overrides
