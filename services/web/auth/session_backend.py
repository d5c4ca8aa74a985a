"""Server-side sessions with three twists Litestar's backend lacks: a new session id when the user
logs in (against session fixation); «Recordarme»: a 14-day cookie, or else a browser-session
cookie (no Max-Age) whose data the server keeps only while it is used; and a session that ended
while a request was in flight stays ended (the request's answer removes the cookie instead of
saving the session again)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Message, ScopeSession

from services.web.auth.session_store import PostgresSessionStore
from services.web.connection import AnyConnection

SESSION_COOKIE = "censo_sesion"
ROTATE_KEY = "_rotate"
REMEMBER_KEY = "remember"
USER_KEY = "user"  # the logged-in user's snapshot (auth.viewer), with its "user_id"


class RotatingSessionBackend(ServerSideSessionBackend):
    config: RotatingSessionConfig

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: AnyConnection
    ) -> None:
        # The only store this app configures (app.stores["sessions"]).
        store = cast(PostgresSessionStore, self.config.get_store_from_app(connection.scope["app"]))
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
        remember = bool(data.get(REMEMBER_KEY))
        lifetime = self.config.max_age if remember else self.config.browser_session_idle_s
        body, owner = self.serialize_data(data, connection.scope), _owner(data)
        if rotate or not old_id:
            session_id = self.generate_session_id()
            await store.start(session_id, body, lifetime, owner)
        elif await store.keep(old_id, body, lifetime, owner):
            session_id = old_id
        else:  # ended while this request ran (logout, password changed): it stays ended
            headers.add("Set-Cookie", self._cookie("", max_age=0))
            return
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


def _owner(data: dict[str, Any]) -> UUID | None:
    user = data.get(USER_KEY)
    try:
        return UUID(str(user["user_id"])) if isinstance(user, dict) else None
    except (KeyError, ValueError):
        return None


def rotate_on_save(session: dict[str, Any]) -> None:
    """Ask the backend for a fresh session id when this response is sent."""
    session[ROTATE_KEY] = True
