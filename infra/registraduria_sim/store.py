"""A bounded in-memory map whose entries expire, so long load tests cannot grow memory forever."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")
Clock = Callable[[], float]


class ExpiringStore(Generic[V]):
    """Keeps at most `max_entries`; each entry lives `ttl_s` from its last `put`.

    Every `put` moves its key to the end, so the entries are ordered by expiry and
    eviction only ever looks at the front.
    """

    def __init__(self, ttl_s: float, max_entries: int, clock: Clock = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def put(self, key: str, value: V) -> None:
        self._items[key] = (self._clock() + self._ttl_s, value)
        self._items.move_to_end(key)
        self._evict()

    def get(self, key: str) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        expires_at, value = item
        if expires_at <= self._clock():
            del self._items[key]
            return None
        return value

    def pop(self, key: str) -> V | None:
        value = self.get(key)
        self._items.pop(key, None)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def _evict(self) -> None:
        now = self._clock()
        while self._items:
            _, (expires_at, _) = next(iter(self._items.items()))
            if expires_at > now and len(self._items) <= self._max_entries:
                return
            self._items.popitem(last=False)
