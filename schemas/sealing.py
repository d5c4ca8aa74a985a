"""Personal fields on the wire: sealed with their person's key (AES-256-GCM), opened with it.

A sealed record's body is the event's JSON without its personal fields, plus
`data.sealed = {"key_id": <user id>, "ciphertext": <base64 nonce+ciphertext>}`; its Kafka key is
the user id, never a cédula. Deleting the key (crypto-shredding) leaves every copy of the record
unreadable; such a record then opens with each personal field at its `erased` value. Records
written before sealing existed carry their fields in clear and open as before.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError
from pydantic_core import from_json

from schemas.envelope import Event, EventDecodeError, decode_event
from schemas.personal import ERASED_CONTEXT, personal_fields

KEY_BYTES = 32
_NONCE_BYTES = 12
SEALED = "sealed"
# A sealed body names its key up front (json.dumps keeps the field order): consumers read the
# key ids of a whole batch with this, fetch the keys at once, then open records without I/O.
_KEY_ID = re.compile(rb'"sealed":\{"key_id":"([0-9a-f-]{36})"')
_KEY_ID_START = b'"sealed":{"key_id":"'

# The person's key, None when it was deleted; raises when it cannot be known right now.
KeyLookup = Callable[[UUID], bytes | None]


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def is_sealable(event: Event) -> bool:
    """The event has personal fields, so it must travel sealed."""
    return bool(personal_fields(type(event.data)))  # type: ignore[attr-defined]  # `data` is declared by each subclass


def key_id_of(event: Event) -> UUID:
    """Whose key seals it: the person the event is about."""
    return event.data.user_id  # type: ignore[attr-defined, no-any-return]  # every sealable data class has user_id


def seal_event(event: Event, key: bytes) -> tuple[bytes, bytes, dict[str, str]]:
    """(key, value, headers) of the record, its personal fields encrypted with `key`."""
    body = event.model_dump(mode="json")
    data: dict[str, Any] = body["data"]
    secret = {name: data.pop(name) for name in personal_fields(type(event.data))}  # type: ignore[attr-defined]  # as above
    key_id = str(key_id_of(event))
    nonce = os.urandom(_NONCE_BYTES)
    plain = json.dumps(secret, ensure_ascii=False).encode()
    sealed = nonce + AESGCM(key).encrypt(nonce, plain, _bound_to(event.event_id))
    data[SEALED] = {"key_id": key_id, "ciphertext": base64.b64encode(sealed).decode()}
    value = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return key_id.encode(), value, event.headers()


def sealed_key_id(body: bytes) -> UUID | None:
    """The key a record needs to be opened, or None when it is in clear."""
    found = _key_id_match(body)
    return _user_id(found[1]) if found else None


@lru_cache(maxsize=1 << 16)
def _user_id(text: bytes) -> UUID:
    """The key id as a UUID; remembered, as a person's records come in runs and each is looked
    at twice (the batch's key fetch, then the opening): `UUID()` costs a microsecond."""
    return UUID(text.decode())


def _key_id_match(body: bytes) -> re.Match[bytes] | None:
    """`_KEY_ID.search(body)`, found faster (a rebuild looks at millions of bodies): the regex
    is tried only where its literal start occurs, leftmost first, as `search` would."""
    start = body.find(_KEY_ID_START)
    while start >= 0:
        found = _KEY_ID.match(body, start)
        if found:
            return found
        start = body.find(_KEY_ID_START, start + 1)
    return None


def _parsed(text: bytes) -> Any:
    """`json.loads`, in Rust (pydantic's parser; twice as fast); whatever it refuses (a lone
    surrogate, say) goes to `json.loads`, so the result and the errors stay the same."""
    try:
        return from_json(text)
    except ValueError:
        return json.loads(text)


def open_event(
    body: bytes, registry: dict[tuple[str, int], type[Event]], keys: KeyLookup
) -> tuple[Event, bool]:
    """The event and whether it was erased (its key deleted). Raises EventDecodeError for a
    record that no key can make valid, as `decode_event` does."""
    if sealed_key_id(body) is None:
        return decode_event(body, registry), False
    raw = _parsed(body)
    data = raw.get("data")
    if not isinstance(data, dict) or not isinstance(data.get(SEALED), dict):
        return decode_event(body, registry), False
    event_type = registry.get((raw.get("type"), raw.get("version")))
    if event_type is None:
        raise EventDecodeError(f"unknown event type/version {raw.get('type')!r}")
    sealed = data.pop(SEALED)
    key = keys(_user_id(str(sealed.get("key_id")).encode()))
    if key is None:
        fields = personal_fields(event_type.model_fields["data"].annotation)  # type: ignore[arg-type]  # a data class
        data.update({name: marker.erased for name, marker in fields.items()})
        return _validated(event_type, raw, erased=True), True
    data.update(_decrypted(sealed, key, raw.get("event_id")))
    return _validated(event_type, raw, erased=False), False


def _decrypted(sealed: dict[str, Any], key: bytes, event_id: Any) -> dict[str, Any]:
    try:
        blob = base64.b64decode(str(sealed.get("ciphertext")), validate=True)
        plain = AESGCM(key).decrypt(
            blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], _bound_to(UUID(str(event_id)))
        )
    except (InvalidTag, ValueError) as exc:
        raise EventDecodeError(f"sealed fields do not open: {type(exc).__name__}") from exc
    secret = _parsed(plain)
    if not isinstance(secret, dict):
        raise EventDecodeError("sealed fields are not an object")
    return secret


def _validated(event_type: type[Event], raw: dict[str, Any], *, erased: bool) -> Event:
    try:
        return event_type.model_validate(raw, context={ERASED_CONTEXT: erased})
    except ValidationError as exc:
        raise EventDecodeError(f"invalid sealed {event_type.type_name}: {exc}") from exc


def _bound_to(event_id: UUID) -> bytes:
    """Associated data: a ciphertext copied into another event does not open."""
    return event_id.bytes
