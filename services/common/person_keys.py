"""The people's data keys as the readers of sealed events get them: from the registration API
(`/api/person-keys`, service token), fetched a batch at a time and cached.

Readers first `prefetch` the key ids a batch of records names (`schemas.sealing.sealed_key_id`),
then open each record without I/O through `lookup`. A key the API does not return was deleted:
that is remembered for good (a deleted key never comes back). A key that exists is cached for
`ttl_s`, so a deletion reaches every reader within that time; the web projector, which sees
UserDeleted, forgets it at once.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterable
from uuid import UUID

import httpx

PATH = "/api/person-keys"
MAX_KEYS_PER_CALL = 500  # the API's own limit


class KeysUnavailable(RuntimeError):
    """The registration API could not say which keys exist: retry later, never erase."""


class PersonKeyring:
    def __init__(
        self,
        http: httpx.AsyncClient,
        ttl_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._ttl_s = ttl_s
        self._clock = clock
        self._keys: dict[UUID, tuple[bytes, float]] = {}
        self._deleted: set[UUID] = set()

    async def prefetch(self, user_ids: Iterable[UUID]) -> None:
        """Make sure `lookup` can answer for every one of `user_ids`."""
        now = self._clock()
        wanted = [
            user_id
            for user_id in dict.fromkeys(user_ids)
            if user_id not in self._deleted and self._fetched_at(user_id) + self._ttl_s < now
        ]
        for start in range(0, len(wanted), MAX_KEYS_PER_CALL):
            chunk = wanted[start : start + MAX_KEYS_PER_CALL]
            found = await self._fetch(chunk)
            for user_id in chunk:
                if user_id in found:
                    self._keys[user_id] = (found[user_id], now)
                else:
                    self._forget(user_id)

    def lookup(self, user_id: UUID) -> bytes | None:
        """The key (None: deleted). KeysUnavailable when it was not prefetched."""
        if user_id in self._deleted:
            return None
        cached = self._keys.get(user_id)
        if cached is None:
            raise KeysUnavailable(f"key of {user_id} not fetched")
        return cached[0]

    def forget(self, user_id: UUID) -> None:
        """The account was deleted (its UserDeleted was seen): no more opening its events."""
        self._forget(user_id)

    def _forget(self, user_id: UUID) -> None:
        self._keys.pop(user_id, None)
        self._deleted.add(user_id)

    def _fetched_at(self, user_id: UUID) -> float:
        cached = self._keys.get(user_id)
        return cached[1] if cached else float("-inf")

    async def _fetch(self, user_ids: list[UUID]) -> dict[UUID, bytes]:
        params = {"user_id": [str(user_id) for user_id in user_ids]}
        try:
            response = await self._http.get(PATH, params=params)
        except httpx.HTTPError as exc:
            raise KeysUnavailable(f"registration API unreachable: {type(exc).__name__}") from exc
        if response.status_code != httpx.codes.OK:
            raise KeysUnavailable(f"registration API answered {response.status_code}")
        keys = response.json().get("keys") or {}
        return {UUID(user_id): base64.b64decode(key) for user_id, key in keys.items()}
