"""Server-side sessions with two twists Litestar's backend lacks: a new session id when the user
logs in (against session fixation), and «Recordarme»: a 14-day cookie, or else a browser-session
cookie (no Max-Age) whose data the server keeps only while it is used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Message, ScopeSession

from services.web.connection import AnyConnection

ROTATE_KEY = "_rotate"
REMEMBER_KEY = "remember"


class RotatingSessionBackend(ServerSideSessionBackend):
    config: RotatingSessionConfig

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: AnyConnection
    ) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        old_id = connection.cookies.get(self.config.key)
        if not isinstance(scope_session, dict) or not scope_session:
            # An empty session is no session: nothing stored for anonymous visitors. (This app's
            # sessions are dicts; Litestar's other kinds, Empty or a data container, never occur.)
            if old_id:
                await store.delete(old_id)
                headers.add("Set-Cookie", self._cookie("", max_age=0))
            return
        data: dict[str, Any] = dict(scope_session)
        rotate = data.pop(ROTATE_KEY, False)
        if rotate and old_id:
            await store.delete(old_id)
        session_id = self.generate_session_id() if rotate or not old_id else old_id
        remember = bool(data.get(REMEMBER_KEY))
        lifetime = self.config.max_age if remember else self.config.browser_session_idle_s
        await store.set(session_id, self.serialize_data(data, connection.scope), lifetime)
        headers.add("Set-Cookie", self._cookie(session_id, max_age=lifetime if remember else None))

    def _cookie(self, value: str, max_age: int | None) -> str:
        cookie = Cookie(
            key=self.config.key,
            value=value,
            max_age=max_age,
            path=self.config.path,
            domain=self.config.domain,
            secure=self.config.secure,
            httponly=True,
            samesite=self.config.samesite,
        )
        return cookie.to_header(header="")


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
    browser_session_idle_s: int = field(default=12 * 3600)


def rotate_on_save(session: dict[str, Any]) -> None:
    """Ask the backend for a fresh session id when this response is sent."""
    session[ROTATE_KEY] = True
