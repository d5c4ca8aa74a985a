"""Readiness of a projecting web process: a lag above WEB_READY_MAX_LAG, Kafka out of reach or a
group not joined yet each make it unready, and say which."""

from __future__ import annotations

from typing import cast

from services.web.adapters.projector_watch import ProjectorWatch
from services.web.entrypoints.health import projector_checks


class StubWatch:
    def __init__(self, lag: int, reachable: bool = True, joined: bool = True) -> None:
        self._lag, self._reachable, self.joined = lag, reachable, joined

    async def lag(self) -> int:
        return self._lag

    async def reachable(self) -> bool:
        return self._reachable


async def checks(watch: StubWatch, max_lag: int = 10) -> dict[str, object]:
    return await projector_checks(cast(ProjectorWatch, watch), max_lag)


async def test_a_lag_at_the_threshold_is_ready_and_above_it_is_not() -> None:
    assert (await checks(StubWatch(lag=10)))["projection"] == "ok"
    behind = await checks(StubWatch(lag=11))
    assert behind["projection"] == "behind by more than 10 records"
    assert behind["projection_lag"] == 11


async def test_kafka_out_of_reach_and_a_group_not_joined_are_named() -> None:
    found = await checks(StubWatch(lag=0, reachable=False, joined=False))
    assert found["kafka"] == "unreachable"
    assert found["projector"] == "joining its group"
