"""The envelope every event travels in, and its encoding to Kafka records.

The envelope fields follow the CloudEvents vocabulary: they are in the JSON body and are repeated as
`ce_*` headers so that tools can filter without decoding the body.
"""

from __future__ import annotations

import builtins
import json
import re
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_EVENT_BYTES = 1_000_000


class EventDecodeError(ValueError):
    """A record that cannot become an event: retrying will never fix it (dead-letter it)."""


E = TypeVar("E", bound="Event")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """Base of every event: envelope fields plus a typed `data` payload declared by subclasses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Subclasses pin these two with Literal types; the registry keys on them.
    type: str
    version: int
    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=utcnow)
    producer: str
    correlation_id: UUID = Field(default_factory=uuid4)
    causation_id: UUID | None = None

    # Where events of the class go; publishers send each event to its `destination`, which a
    # class that routes by content (ValidationRequested: by reason) chooses among `topic` and
    # `other_topics`.
    topic: ClassVar[str]
    other_topics: ClassVar[tuple[str, ...]] = ()
    key_field: ClassVar[str]
    # The `type` every instance of a subclass carries, readable on the class itself (a pydantic
    # field is not): `UserRoleChanged.type_name`, so no one spells the name as a string literal.
    type_name: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        pinned = cls.model_fields["type"].default
        if isinstance(pinned, str):
            cls.type_name = pinned

    @property
    def destination(self) -> str:
        """The topic this event is published to."""
        return self.topic

    @property
    def key(self) -> bytes:
        """The Kafka key: per-key order is what consumers rely on."""
        return str(getattr(self.data, self.key_field)).encode()  # type: ignore[attr-defined]  # `data` is declared by each subclass

    def headers(self) -> dict[str, str]:
        return {
            "ce_id": str(self.event_id),
            "ce_type": self.type,
            "ce_specversion": "1.0",
            "ce_source": self.producer,
            "ce_time": self.occurred_at.isoformat(),
            "event_version": str(self.version),
            "correlation_id": str(self.correlation_id),
        }

    def caused(self, event_class: builtins.type[E], **fields: Any) -> E:
        """Build an event caused by this one, keeping the correlation id."""
        return event_class(correlation_id=self.correlation_id, causation_id=self.event_id, **fields)


def encode_event(event: Event) -> tuple[bytes, bytes, dict[str, str]]:
    """Return (key, value, headers) for a Kafka record."""
    return event.key, event.model_dump_json().encode(), event.headers()


# How `encode_event` starts every body (`type` and `version` are the first fields).
_ENCODED_HEAD = re.compile(rb'\{"type":"([A-Za-z]{1,100})","version":([0-9]{1,4}),')


def decode_event(body: bytes | str, registry: dict[tuple[str, int], type[Event]]) -> Event:
    """Parse a record body into its event class, or raise EventDecodeError saying why."""
    if len(body) > MAX_EVENT_BYTES:
        raise EventDecodeError(f"payload of {len(body)} bytes exceeds {MAX_EVENT_BYTES}")
    return _decode_encoded(body, registry) or _decode_any(body, registry)


def _decode_encoded(
    body: bytes | str, registry: dict[tuple[str, int], type[Event]]
) -> Event | None:
    """The fast path (a rebuild decodes millions): a body as `encode_event` writes it names its
    class up front and is validated straight from JSON, without a dict in between. Anything
    else, valid or not, is left to `_decode_any`, so the outcome is the same either way."""
    head = _ENCODED_HEAD.match(body) if isinstance(body, bytes) else None
    if head is None:
        return None
    event_type = registry.get((head[1].decode(), int(head[2])))
    if event_type is None:
        return None
    try:
        return event_type.model_validate_json(body)
    except ValidationError:
        return None


def _decode_any(body: bytes | str, registry: dict[tuple[str, int], type[Event]]) -> Event:
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EventDecodeError(f"not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise EventDecodeError("not a JSON object")
    key = (raw.get("type"), raw.get("version"))
    event_type = registry.get(key)  # type: ignore[arg-type]  # any JSON value: a wrong one finds no class
    if event_type is None:
        raise EventDecodeError(f"unknown event type/version {key!r}")
    try:
        return event_type.model_validate(raw)
    except ValidationError as exc:
        raise EventDecodeError(
            f"invalid {key[0]} v{key[1]}: {exc.error_count()} errors: {exc}"
        ) from exc
