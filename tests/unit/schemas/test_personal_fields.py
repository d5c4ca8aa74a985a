"""Personal fields are declared on the data classes (the `Personal` marker), never guessed."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from schemas.events import ALL_EVENTS, UserRegisteredData
from schemas.personal import ERASED_CONTEXT, ERASED_NAME, PERSONAL_NAMES, personal_fields


def _data_classes() -> list[type[BaseModel]]:
    return [event.model_fields["data"].annotation for event in ALL_EVENTS]  # type: ignore[misc]  # every event's data is a model


@pytest.mark.parametrize("data_class", _data_classes(), ids=lambda cls: cls.__name__)
def test_every_field_named_like_personal_data_is_declared_personal(
    data_class: type[BaseModel],
) -> None:
    named = PERSONAL_NAMES & set(data_class.model_fields)
    undeclared = named - set(personal_fields(data_class))
    assert not undeclared, f"{data_class.__name__}: mark {sorted(undeclared)} Personal(...)"


def test_a_sign_up_declares_its_name_phone_and_cedula() -> None:
    assert set(personal_fields(UserRegisteredData)) == {"cedula", "nombre", "telefono"}


def test_an_erased_value_passes_only_when_the_decoder_says_the_key_is_gone() -> None:
    fields = {
        "user_id": "7d3c5a2e-1b8f-4f44-9c11-0a5f0f2a9a11",
        "cedula": "",
        "nombre": ERASED_NAME,
        "telefono": "",
        "referral_code": "ABCD1234",
        "registered_at": "2026-01-01T00:00:00Z",
    }
    with pytest.raises(ValidationError):
        UserRegisteredData.model_validate(fields)
    erased = UserRegisteredData.model_validate(fields, context={ERASED_CONTEXT: True})
    assert erased.cedula == "" and erased.nombre == ERASED_NAME
