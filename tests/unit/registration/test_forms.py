"""Whole forms report every problem at once."""

from __future__ import annotations

from uuid import uuid4

import pytest

from services.registration.domain.commands import RegisterUser, UpdateProfile
from services.registration.domain.errors import InvalidFields
from services.registration.domain.forms import validate_profile_changes, validate_registration


def test_registration_form_lists_every_bad_field() -> None:
    cmd = RegisterUser("01", "X", "123", "123", data_policy_accepted=False)
    with pytest.raises(InvalidFields) as caught:
        validate_registration(cmd)
    assert [p.field for p in caught.value.problems] == [
        "cedula",
        "nombre",
        "telefono",
        "password",
        "data_policy_accepted",
    ]


def test_registration_form_normalises_what_it_accepts() -> None:
    cmd = RegisterUser("1.020.304.050", " Ana  Gómez ", "+57 310 000 0000", "Orquídea-Azul", True)
    form = validate_registration(cmd)
    assert (form.cedula, form.nombre, form.telefono) == ("1020304050", "Ana Gómez", "3100000000")


def test_password_equal_to_a_dotted_cedula_is_still_refused() -> None:
    cmd = RegisterUser("1.020.304.050", "Ana Gómez", "3100000000", "x1020304050", True)
    with pytest.raises(InvalidFields) as caught:
        validate_registration(cmd)
    assert [p.field for p in caught.value.problems] == ["password"]


def test_profile_changes_only_cover_fields_sent() -> None:
    changes = validate_profile_changes(UpdateProfile(uuid4(), telefono="+573001112233"))
    assert changes == {"telefono": "3001112233"}
