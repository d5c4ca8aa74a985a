"""Event contracts: committed JSON Schemas are current, and decoding rejects bad input clearly."""

from __future__ import annotations

import json

import pytest

from schemas.envelope import MAX_EVENT_BYTES, EventDecodeError, decode_event, encode_event
from schemas.events import EVENT_TYPES, UserRegistered
from schemas.jsonschema_export import SCHEMA_DIR, render_all
from schemas.topics import ALL_TOPICS
from tests.support.events import user_registered, validated


def test_committed_json_schemas_match_the_models() -> None:
    committed = {path.name: path.read_text(encoding="utf-8") for path in SCHEMA_DIR.glob("*.json")}
    assert committed == render_all(), "stale schemas: run `make schemas` and commit the result"


def test_every_event_round_trips_through_its_record() -> None:
    for event in (user_registered(), validated(user_registered())):
        _, value, headers = encode_event(event)
        assert decode_event(value, EVENT_TYPES) == event
        assert headers["ce_id"] == str(event.event_id)
        assert headers["ce_type"] == event.type


def test_keys_are_the_user_id_for_accounts_and_the_cedula_for_census() -> None:
    registered = user_registered(cedula="52123456")
    assert registered.key == str(registered.data.user_id).encode()
    assert validated(registered).key == b"52123456"


def test_caused_event_keeps_the_correlation_and_points_at_its_cause() -> None:
    registered = user_registered()
    answer = validated(registered)
    assert answer.correlation_id == registered.correlation_id
    assert answer.causation_id == registered.event_id


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff\xfe not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (json.dumps({"type": "UserRegistered", "version": 99}).encode(), "unknown event type"),
        (json.dumps({"type": "UserRegistered", "version": 1}).encode(), "invalid UserRegistered"),
        (b" " * (MAX_EVENT_BYTES + 1), "exceeds"),
    ],
)
def test_bad_records_raise_a_decode_error_that_says_why(body: bytes, reason: str) -> None:
    with pytest.raises(EventDecodeError, match=reason):
        decode_event(body, EVENT_TYPES)


def test_a_malformed_cedula_is_not_a_valid_event() -> None:
    raw = json.loads(encode_event(user_registered())[1])
    raw["data"]["cedula"] = "0123"
    with pytest.raises(EventDecodeError):
        decode_event(json.dumps(raw), EVENT_TYPES)


def test_topic_names_are_unique_and_events_use_declared_topics() -> None:
    names = [spec.name for spec in ALL_TOPICS]
    assert len(names) == len(set(names))
    assert {cls.topic for cls in EVENT_TYPES.values()} <= set(names)
    assert UserRegistered.topic == "accounts.events"
