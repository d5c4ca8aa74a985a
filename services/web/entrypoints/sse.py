"""GET /eventos: the live-update stream of one browser (server-sent events).

Each event only names what changed (`change-<user id>`, `referrals`, `users`, `resync`); the page
fetches the fragment again through the ordinary routes, so nothing a viewer may not see ever
travels on the stream. A reconnect with Last-Event-ID (or a page with `?desde=`, the hub's position
when it was rendered) replays what was missed, or asks for a `resync` when this process cannot
know. Comments keep idle connections open through proxies.

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
from litestar.response import Response, ServerSentEvent, ServerSentEventMessage

from services.web.auth.session_backend import SESSION_COOKIE
from services.web.auth.session_store import session_digest
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.live.audience import Listener
from services.web.live.hub import RESYNC, Hub, Message, TooManyStreams
from services.web.settings import WebSettings

RECONNECT_MS = 3000


def _event(message: Message) -> ServerSentEventMessage:
    return ServerSentEventMessage(id=message.id, event=message.event, data=message.data or "1")


async def _stream(
    hub: Hub, listener: Listener, session: str, last_event_id: str | None, heartbeat_s: float
) -> AsyncIterator[ServerSentEventMessage]:
    # Subscribed when streaming starts, so a response never sent leaves no subscription behind.
    subscription = hub.subscribe(listener, session)
    missed = hub.replay(listener, last_event_id) if last_event_id else []
    try:
        # The id makes the browser's Last-Event-ID meaningful even before the first change.
        yield ServerSentEventMessage(data=None, id=hub.last_id, retry=RECONNECT_MS, comment="hola")
        for earlier in missed if missed is not None else [Message(hub.last_id, RESYNC, "")]:
            yield _event(earlier)
        while True:
            try:
                message = await asyncio.wait_for(subscription.queue.get(), heartbeat_s)
            except TimeoutError:
                yield ServerSentEventMessage(data=None, comment="ping")
                continue
            if message is None:  # its session ended, or the server is shutting down
                return
            yield _event(message)
    finally:
        hub.unsubscribe(subscription)


@get("/eventos", name="live_events", include_in_schema=False)
async def live_events(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    hub: NamedDependency[Hub],
    settings: NamedDependency[WebSettings],
    last_event_id: Annotated[str | None, HeaderParameter(name="last-event-id")] = None,
    desde: FromQuery[str | None] = None,
) -> ServerSentEvent | Response[str]:
    listener = Listener(viewer.user_id, viewer.role)
    session = session_digest(request.cookies.get(SESSION_COOKIE, ""))
    try:
        hub.admit(listener, session)
    except TooManyStreams as refusal:
        return Response(str(refusal), status_code=429, media_type=MediaType.TEXT)
    # A reconnect names the last event it saw; a new page names where the hub stood when it
    # was rendered (`?desde=`), so a change between render and connect is not lost either.
    since = last_event_id or desde
    return ServerSentEvent(
        _stream(hub, listener, session, since, settings.sse_heartbeat_s),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
