"""Keep-alives from one sweep for every stream, and bursts written as one chunk."""

from __future__ import annotations

import asyncio
from uuid import uuid4

from schemas.events import Role
from services.web.entrypoints.sse import MAX_BATCH, _encoded, _waiting
from services.web.live.audience import Change, Listener
from services.web.live.hub import Hub
from services.web.live.keepalive import keep_streams_alive
from services.web.live.subscriptions import KEEPALIVE, Message, Subscription

USER = uuid4()


def _subscription() -> Subscription:
    return Subscription(Listener(USER, Role.USER), size=4)


def test_an_idle_stream_gets_one_keepalive_per_interval() -> None:
    sub = _subscription()
    start = sub.last_offered
    assert not sub.keep_alive(start + 9.9, idle_s=10)
    assert sub.keep_alive(start + 10, idle_s=10)
    assert sub.queue.get_nowait() is KEEPALIVE
    assert not sub.keep_alive(start + 19.9, idle_s=10)  # counted from the keep-alive itself
    assert sub.keep_alive(start + 20, idle_s=10)


def test_a_stream_with_something_unsent_is_not_sent_a_keepalive() -> None:
    sub = _subscription()
    sub.queue.put_nowait(Message("e-1", "users", ""))
    assert not sub.keep_alive(sub.last_offered + 60, idle_s=10)
    assert sub.queue.qsize() == 1  # its own message keeps it alive; a full queue never resyncs


def test_a_change_offered_postpones_the_keepalive() -> None:
    sub = _subscription()
    sub.offer(Message("e-1", f"change-{USER}", ""))
    sub.queue.get_nowait()
    assert not sub.keep_alive(sub.last_offered + 5, idle_s=10)


def test_the_hub_sweeps_only_idle_streams() -> None:
    hub = Hub()
    quiet = hub.subscribe(Listener(uuid4(), Role.USER))
    busy = hub.subscribe(Listener(USER, Role.USER))
    hub.publish(Change("CedulaValidated", USER, None))
    quiet.last_offered -= 30
    assert hub.keep_alive(idle_s=10) == 1
    assert quiet.queue.get_nowait() is KEEPALIVE
    assert busy.queue.get_nowait().event == f"change-{USER}"


async def test_the_sweeping_task_ends_when_asked() -> None:
    hub = Hub()
    sub = hub.subscribe(Listener(USER, Role.USER))
    stop = asyncio.Event()
    task = asyncio.create_task(keep_streams_alive(hub, 0.04, stop))
    assert await asyncio.wait_for(sub.queue.get(), 5) is KEEPALIVE
    stop.set()
    await asyncio.wait_for(task, 5)


def test_what_waits_goes_out_in_one_chunk_and_the_end_is_seen() -> None:
    queue: asyncio.Queue[Message | None] = asyncio.Queue()
    for n in range(3):
        queue.put_nowait(Message(f"e-{n}", "referral-changed", ""))
    queue.put_nowait(None)
    batch, ended = _waiting(queue, Message("e-0", "referrals", ""))
    assert [m.id for m in batch] == ["e-0", "e-0", "e-1", "e-2"] and ended
    chunk = b"".join(map(_encoded, batch))
    assert chunk.count(b"\r\n\r\n") == 4
    assert b"event: referral-changed\r\ndata: 1\r\n\r\n" in chunk


def test_a_batch_is_bounded() -> None:
    queue: asyncio.Queue[Message | None] = asyncio.Queue()
    for n in range(MAX_BATCH + 5):
        queue.put_nowait(Message(f"e-{n}", "users", ""))
    batch, ended = _waiting(queue, queue.get_nowait())  # type: ignore[arg-type]
    assert len(batch) == MAX_BATCH and not ended and queue.qsize() == 5


def test_a_keepalive_is_a_comment() -> None:
    assert _encoded(KEEPALIVE) == b": ping\r\n\r\n"
