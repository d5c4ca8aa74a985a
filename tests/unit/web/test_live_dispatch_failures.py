"""A live update that cannot be dispatched still reaches those it concerned: as a resync."""

from __future__ import annotations

import asyncio
import json
from uuid import UUID, uuid4

import pytest

from schemas.events import Role
from services.web.live.audience import Listener
from services.web.live.changes import ChangeReader
from services.web.live.hub import Hub
from services.web.live.listener import ChangeListener
from services.web.live.subscriptions import RESYNC

LEADER, REFERRAL, STRANGER, ADMIN = uuid4(), uuid4(), uuid4(), uuid4()


class FailingReader(ChangeReader):
    """Knows REFERRAL's referrer from an earlier read; every read now fails (database away)."""

    def __init__(self, known: dict[UUID, UUID | None]) -> None:
        self._referrers = dict(known)

    async def read_all(self, payloads: list[str]) -> list:  # type: ignore[type-arg]
        raise OSError("connection refused")


def _payload(user: UUID) -> str:
    return json.dumps({"type": "CedulaValidated", "user_id": str(user)})


async def _dispatch_one(reader: ChangeReader, hub: Hub, payload: str) -> None:
    listener = ChangeListener("postgresql://unused", reader, hub)
    dispatching = asyncio.create_task(listener._dispatch())
    listener._on_notify(None, 0, "read_model_changes", payload)
    try:
        for _ in range(10):  # a few turns of the loop: the dispatcher takes the payload, fails
            await asyncio.sleep(0)
    finally:
        dispatching.cancel()


def _told(hub: Hub, user: UUID, role: Role = Role.USER):  # type: ignore[no-untyped-def]
    return hub.subscribe(Listener(user, role))


def _events(subscription) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    while not subscription.queue.empty():
        out.append(subscription.queue.get_nowait().event)
    return out


@pytest.mark.parametrize("known", [True, False])
async def test_a_failed_dispatch_tells_those_concerned_to_resync(known: bool) -> None:
    hub = Hub()
    subs = {
        "referral": _told(hub, REFERRAL),
        "leader": _told(hub, LEADER, Role.LEADER),
        "admin": _told(hub, ADMIN, Role.ADMIN),
        "stranger": _told(hub, STRANGER),
    }
    reader = FailingReader({REFERRAL: LEADER} if known else {})
    await _dispatch_one(reader, hub, _payload(REFERRAL))
    told = {name: _events(sub) for name, sub in subs.items()}
    assert told["referral"] == told["leader"] == told["admin"] == [RESYNC]
    # With the referrer known, nobody else is disturbed; unknown, everyone must fetch again.
    assert told["stranger"] == ([] if known else [RESYNC])


def test_whom_a_change_concerns_is_known_only_with_every_referrer() -> None:
    reader = FailingReader({REFERRAL: LEADER, LEADER: None})
    assert reader.concerned([_payload(REFERRAL), _payload(LEADER)]) == {REFERRAL, LEADER}
    assert reader.concerned([_payload(STRANGER)]) is None
    assert reader.concerned(["not json"]) == set()
