"""Sealed records carry no personal field in clear; the key opens them, its deletion erases them."""

from __future__ import annotations

from uuid import UUID

import pytest

from schemas.envelope import EventDecodeError, encode_event
from schemas.events import EVENT_TYPES, Role, UserRoleChanged, UserRoleChangedData
from schemas.personal import ERASED_NAME
from schemas.sealing import is_sealable, new_key, open_event, seal_event, sealed_key_id
from tests.support.events import user_registered, validated

KEY = new_key()


def test_a_sealed_sign_up_holds_neither_name_phone_nor_cedula_and_is_keyed_by_user_id() -> None:
    event = user_registered(cedula="52123456")
    key, value, _ = seal_event(event, KEY)
    assert key == str(event.data.user_id).encode()
    for clear in (b"52123456", "Ana María".encode(), b"3001234567"):
        assert clear not in value and clear not in key


def test_the_key_opens_a_sealed_event_to_itself() -> None:
    event = validated(user_registered(cedula="52123457"))
    value = seal_event(event, KEY)[1]
    assert sealed_key_id(value) == event.data.user_id
    assert open_event(value, EVENT_TYPES, lambda _: KEY) == (event, False)


def test_without_its_key_a_sealed_event_opens_erased() -> None:
    registered = user_registered(cedula="52123458")
    opened, erased = open_event(seal_event(registered, KEY)[1], EVENT_TYPES, lambda _: None)
    assert erased and opened.data.nombre == ERASED_NAME  # type: ignore[attr-defined]  # a UserRegistered
    assert opened.data.cedula == "" and opened.data.telefono == ""  # type: ignore[attr-defined]  # as above
    assert opened.data.referral_code == registered.data.referral_code  # type: ignore[attr-defined]  # as above


def test_a_census_answer_without_its_key_loses_its_voting_place() -> None:
    answer = validated(user_registered(cedula="52123459"))
    opened, erased = open_event(seal_event(answer, KEY)[1], EVENT_TYPES, lambda _: None)
    assert erased and opened.data.voting_place is None  # type: ignore[attr-defined]  # a CedulaValidated
    assert opened.data.status == answer.data.status  # type: ignore[attr-defined]  # as above


def test_another_persons_key_does_not_open_it() -> None:
    value = seal_event(user_registered(cedula="52123460"), KEY)[1]
    with pytest.raises(EventDecodeError, match="do not open"):
        open_event(value, EVENT_TYPES, lambda _: new_key())


def test_a_record_written_before_sealing_opens_in_clear_without_asking_for_a_key() -> None:
    event = user_registered(cedula="52123461")

    def no_lookup(_: UUID) -> bytes | None:
        raise AssertionError("a clear record needs no key")

    assert open_event(encode_event(event)[1], EVENT_TYPES, no_lookup) == (event, False)


def test_events_without_personal_fields_are_not_sealed() -> None:
    data = UserRoleChangedData(
        user_id=user_registered().data.user_id, role=Role.ADMIN, previous_role=Role.USER
    )
    assert not is_sealable(UserRoleChanged(producer="tests", data=data))
    assert is_sealable(user_registered())
