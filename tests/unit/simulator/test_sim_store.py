"""The bounded, expiring map behind sessions and captcha tasks."""

from __future__ import annotations

from infra.registraduria_sim.store import ExpiringStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entry_is_forgotten_after_its_ttl():
    clock = FakeClock()
    store: ExpiringStore[str] = ExpiringStore(ttl_s=10, max_entries=100, clock=clock)
    store.put("a", "value")

    clock.now += 9.9
    assert store.get("a") == "value"
    clock.now += 0.2
    assert store.get("a") is None


def test_oldest_entries_are_evicted_beyond_the_cap():
    store: ExpiringStore[int] = ExpiringStore(ttl_s=60, max_entries=10, clock=FakeClock())
    for n in range(1000):
        store.put(str(n), n)

    assert len(store) == 10
    assert store.get("989") is None and store.get("999") == 999


def test_put_refreshes_the_expiry():
    clock = FakeClock()
    store: ExpiringStore[str] = ExpiringStore(ttl_s=10, max_entries=100, clock=clock)
    store.put("a", "first")
    clock.now += 8
    store.put("a", "second")
    clock.now += 8

    assert store.get("a") == "second"


def test_pop_removes_the_entry():
    store: ExpiringStore[str] = ExpiringStore(ttl_s=10, max_entries=100, clock=FakeClock())
    store.put("a", "value")

    assert store.pop("a") == "value"
    assert store.pop("a") is None
