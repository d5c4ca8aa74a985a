"""Decoding takes a fast path for bodies as `encode_event` writes them; the outcome is the same."""

from __future__ import annotations

import json

import pytest

from schemas.envelope import EventDecodeError, decode_event, encode_event
from schemas.events import EVENT_TYPES
from tests.support.events import user_registered, validated


def test_an_encoded_event_decodes_to_itself() -> None:
    event = validated(user_registered(cedula="52123456"))
    assert decode_event(encode_event(event)[1], EVENT_TYPES) == event


def test_the_same_event_with_its_fields_in_another_order_decodes_the_same() -> None:
    event = user_registered(cedula="52123457")
    reordered = json.dumps(json.loads(encode_event(event)[1]), sort_keys=True).encode()
    assert not reordered.startswith(b'{"type"')
    assert decode_event(reordered, EVENT_TYPES) == event
    assert decode_event(reordered.decode(), EVENT_TYPES) == event


def test_a_body_that_names_its_type_first_but_breaks_the_contract_is_still_rejected() -> None:
    body = json.loads(encode_event(user_registered(cedula="52123458"))[1])
    body["data"]["cedula"] = "0123"  # not a cédula
    with pytest.raises(EventDecodeError, match="invalid UserRegistered v1"):
        decode_event(json.dumps(body, separators=(",", ":")).encode(), EVENT_TYPES)


def test_a_type_named_first_and_contradicted_later_is_decided_as_json_decides_it() -> None:
    encoded = encode_event(user_registered(cedula="52123459"))[1]
    contradicted = encoded[:-1] + b',"type":"Unknown"}'
    with pytest.raises(EventDecodeError, match="unknown event type"):
        decode_event(contradicted, EVENT_TYPES)
