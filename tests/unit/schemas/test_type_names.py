"""Each event class names its type, so code compares with `UserRoleChanged.type_name` instead of
spelling "UserRoleChanged"; the registry keys on the same names."""

from __future__ import annotations

import pytest

from schemas.envelope import Event
from schemas.events import ALL_EVENTS, EVENT_TYPES


@pytest.mark.parametrize("event_class", ALL_EVENTS, ids=lambda cls: cls.__name__)
def test_the_class_names_the_type_its_events_carry(event_class: type[Event]) -> None:
    assert event_class.type_name == event_class.model_fields["type"].default
    assert EVENT_TYPES[(event_class.type_name, 1)] is event_class


def test_type_names_are_not_fields_of_the_contract() -> None:
    assert all("type_name" not in cls.model_json_schema()["properties"] for cls in ALL_EVENTS)
