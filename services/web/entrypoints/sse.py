"""GET /eventos: the live-update stream of one browser (server-sent events).

Each event only names what changed (`change-<user id>`, `referrals`, `users`, `resync`); the page
fetches the fragment again through the ordinary routes, so nothing a viewer may not see ever
travels on the stream. A reconnect with Last-Event-ID (or a page with `?desde=`, the hub's position
when it was rendered) replays what was missed, or asks for a `resync` when this process cannot
know. Comments keep idle connections open through proxies: one task queues them for every
idle stream (`live/keepalive.py`), and what waits in a stream's queue goes out in one write.

A stream ends with its session (logout, a password change, on any web process). A session, a user
and the process each hold a bounded number of streams; one more is refused with a 429 that says
why in Spanish.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from litestar import get
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromQuery, HeaderParameter
from litestar.response import Response, ServerSentEventMessage, Stream

from services.web.auth.session_backend import SESSION_COOKIE
from services.web.auth.session_store import session_digest
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.live.audience import Listener
from services.web.live.hub import Hub
from services.web.live.subscriptions import KEEPALIVE, RESYNC, Message, TooManyStreams

RECONNECT_MS = 3000
MAX_BATCH = 64  # messages written to one socket in one chunk when several are waiting
HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"}


def _encoded(message: Message) -> bytes:
    if message is KEEPALIVE:
        return b": ping\r\n\r\n"  # the line ends Litestar writes
    return ServerSentEventMessage(
        id=message.id, event=message.event, data=message.data or "1"
    ).encode()


def _waiting(queue: asyncio.Queue[Message | None], first: Message) -> tuple[list[Message], bool]:
    """`first` and what else is already queued (up to MAX_BATCH), and whether the end came."""
    batch = [first]
    while len(batch) < MAX_BATCH and not queue.empty():
        message = queue.get_nowait()
        if message is None:
            return batch, True
        batch.append(message)
    return batch, False


async def _stream(
    hub: Hub, listener: Listener, session: str, last_event_id: str | None
) -> AsyncIterator[bytes]:
    # Subscribed when streaming starts, so a response never sent leaves no subscription behind.
    subscription = hub.subscribe(listener, session)
    missed = hub.replay(listener, last_event_id) if last_event_id else []
    try:
        # The id makes the browser's Last-Event-ID meaningful even before the first change.
        hello = ServerSentEventMessage(
            data=None, id=hub.last_id, retry=RECONNECT_MS, comment="hola"
        )
        yield hello.encode()
        earlier = missed if missed is not None else [Message(hub.last_id, RESYNC, "")]
        if earlier:
            yield b"".join(map(_encoded, earlier))
        ended = False
        while not ended:
            message = await subscription.queue.get()
            if message is None:  # its session ended, or the server is shutting down
                return
            # A burst (a leader's referrals, an admin) goes out in one write, not one per event.
            batch, ended = _waiting(subscription.queue, message)
            yield b"".join(map(_encoded, batch))
    finally:
        hub.unsubscribe(subscription)


@get("/eventos", name="live_events", include_in_schema=False)
async def live_events(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    hub: NamedDependency[Hub],
    last_event_id: Annotated[str | None, HeaderParameter(name="last-event-id")] = None,
    desde: FromQuery[str | None] = None,
) -> Stream | Response[str]:
    listener = Listener(viewer.user_id, viewer.role)
    session = session_digest(request.cookies.get(SESSION_COOKIE, ""))
    try:
        hub.admit(listener, session)
    except TooManyStreams as refusal:
        return Response(str(refusal), status_code=429, media_type=MediaType.TEXT)
    # A reconnect names the last event it saw; a new page names where the hub stood when it
    # was rendered (`?desde=`), so a change between render and connect is not lost either.
    since = last_event_id or desde
    # Written as bytes through a plain Stream: what Litestar's ServerSentEvent would encode
    # message by message is encoded here once per batch.
    stream = _stream(hub, listener, session, since)
    return Stream(stream, media_type="text/event-stream", headers=HEADERS)
